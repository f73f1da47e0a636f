import { describe, expect, it } from 'vitest';
import { baseConfig, onlyOption, promiseAt } from '../../../test/fixtures/merchant.ts';
import { compileMerchant } from './merchant.ts';
import { findLane, postalMatchLength, shipmentPrice } from './rating.ts';

const at = '2026-11-23T09:00:00Z';

describe('postal patterns', () => {
  it('matches "*" against anything, including no postal code', () => {
    expect(postalMatchLength('*', '')).toBe(0);
    expect(postalMatchLength('*', '75011')).toBe(0);
  });

  it('matches a prefix pattern and an exact code, exact being the more specific', () => {
    expect(postalMatchLength('75*', '75011')).toBe(3);
    expect(postalMatchLength('75*', '69001')).toBe(-1);
    expect(postalMatchLength('75011', '75011')).toBeGreaterThan(postalMatchLength('7501*', '75011'));
  });

  it('picks the lane with the longest matching pattern, ties in file order', () => {
    const config = baseConfig();
    const lanes = config.carriers[0]!.services[0]!.lanes;
    lanes.push({ ...structuredClone(lanes[0]!), postalCodes: ['20*'], transitDays: [3, 4] });
    lanes.push({ ...structuredClone(lanes[0]!), postalCodes: ['20*'], transitDays: [5, 6] });
    const service = compileMerchant(config).services[0]!;
    expect(findLane(service, 'FR', 'FR', '20000')?.transitDays).toEqual([3, 4]);
    expect(findLane(service, 'FR', 'FR', '75011')?.transitDays).toEqual([1, 2]);
    expect(findLane(service, 'DE', 'FR', '75011')).toBeNull();
  });

  it('compares postal codes upper-cased and without spaces', () => {
    const config = baseConfig();
    config.carriers[0]!.services[0]!.lanes[0]!.to = ['GB'];
    config.carriers[0]!.services[0]!.lanes[0]!.postalCodes = ['SW1A*'];
    expect(promiseAt(config, { at, country: 'GB', postalCode: 'sw1a 1aa' }).options).toHaveLength(1);
  });
});

describe('prices', () => {
  it('prices the contract example: 690 + 10 % fuel = 759', () => {
    expect(onlyOption(promiseAt(baseConfig(), { at })).price).toEqual({ amount: 759, currency: 'EUR' });
  });

  it('adds a fixed surcharge by postal pattern before the percent (Corsica: (690 + 500) × 1.1 = 1309)', () => {
    expect(onlyOption(promiseAt(baseConfig(), { at, postalCode: '20000' })).price.amount).toBe(1309);
  });

  it('adds percents together instead of compounding them, and rounds half up once', () => {
    const config = baseConfig();
    config.carriers[0]!.services[0]!.lanes[0]!.rates = [{ upToGrams: 1000, amount: 5 }];
    config.carriers[0]!.services[0]!.surcharges = [
      { name: 'fuel', percent: 5 },
      { name: 'peak', percent: 5 },
    ];
    // 5 × 1.10 = 5.5 → 6 (compounding would give 5.5125, and rounding each percent 5 + 0 + 0 = 5)
    expect(onlyOption(promiseAt(config, { at })).price.amount).toBe(6);
  });

  it('takes the first rate band that holds the parcel weight', () => {
    const service = compileMerchant(baseConfig()).services[0]!;
    const lane = service.lanes[0]!;
    expect(shipmentPrice(service, lane, 1000, '75011')).toBe(759);
    expect(shipmentPrice(service, lane, 1001, '75011')).toBe(1639);
    expect(shipmentPrice(service, lane, 30001, '75011')).toBeNull();
  });

  it('prices one parcel per shipment, weighing the sum of its items', () => {
    const result = promiseAt(baseConfig(), { at, lines: [{ sku: 'MUG-01', quantity: 3 }] });
    expect(onlyOption(result).price.amount).toBe(1639); // 1 350 g → second band
  });
});

describe('exclusions', () => {
  it('excludes a service when the parcel is too heavy', () => {
    const config = baseConfig();
    config.carriers[0]!.services[0]!.maxWeightGrams = 1000;
    const result = promiseAt(config, { at, lines: [{ sku: 'MUG-01', quantity: 3 }] });
    expect(result).toMatchObject({ status: 'unavailable', reason: 'no_service', options: [] });
  });

  it('excludes a service when the longest side is too long', () => {
    const config = baseConfig();
    config.carriers[0]!.services[0]!.maxSideCm = 25;
    expect(promiseAt(config, { at, lines: [{ sku: 'TEE-02', quantity: 1 }] }).options).toEqual([]);
    expect(promiseAt(config, { at, lines: [{ sku: 'MUG-01', quantity: 1 }] }).options).toHaveLength(1);
  });

  it('excludes dangerous goods unless the service allows them', () => {
    const config = baseConfig();
    config.products.push({
      sku: 'PERFUME',
      name: 'Perfume',
      weightGrams: 300,
      dimensionsCm: [10, 6, 6],
      dangerousGoods: true,
    });
    config.inventory!.push({ warehouse: 'paris', sku: 'PERFUME', onHand: 5 });
    const lines = [{ sku: 'PERFUME', quantity: 1 }];
    expect(promiseAt(config, { at, lines }).options).toEqual([]);
    config.carriers[0]!.services[0]!.allowsDangerousGoods = true;
    expect(promiseAt(config, { at, lines }).options).toHaveLength(1);
  });
});
