import { describe, expect, it } from 'vitest';
import { baseConfig, onlyOption, promiseAt, withLyon } from '../../../test/fixtures/merchant.ts';

const at = '2026-11-23T09:00:00Z';
const warehousesOf = (result: ReturnType<typeof promiseAt>) =>
  onlyOption(result).shipments.map((s) => [s.warehouse, s.items.map((i) => i.sku)]);

describe('sourcing', () => {
  it('ships from the warehouse with the lowest priority number when several can serve the whole cart', () => {
    const config = withLyon(baseConfig(), { priority: 0 });
    config.inventory!.push({ warehouse: 'lyon', sku: 'MUG-01', onHand: 5 });
    expect(warehousesOf(promiseAt(config, { at }))).toEqual([['lyon', ['MUG-01']]]);
  });

  it('prefers one warehouse for the whole cart over a split, even when it is not the first by priority', () => {
    const config = withLyon(baseConfig());
    config.inventory = [
      { warehouse: 'paris', sku: 'MUG-01', onHand: 5 },
      { warehouse: 'lyon', sku: 'MUG-01', onHand: 5 },
      { warehouse: 'lyon', sku: 'TEE-02', onHand: 5 },
    ];
    const lines = [
      { sku: 'MUG-01', quantity: 1 },
      { sku: 'TEE-02', quantity: 1 },
    ];
    expect(warehousesOf(promiseAt(config, { at, lines }))).toEqual([['lyon', ['MUG-01', 'TEE-02']]]);
  });

  it('splits a cart no warehouse can serve alone into the fewest shipments', () => {
    const config = withLyon(baseConfig());
    config.products.push({ sku: 'BOOK', name: 'Book', weightGrams: 900, dimensionsCm: [28, 22, 3] });
    config.inventory = [
      { warehouse: 'paris', sku: 'MUG-01', onHand: 5 },
      { warehouse: 'lyon', sku: 'MUG-01', onHand: 5 },
      { warehouse: 'lyon', sku: 'TEE-02', onHand: 5 },
      { warehouse: 'paris', sku: 'BOOK', onHand: 5 },
    ];
    const lines = [
      { sku: 'MUG-01', quantity: 1 },
      { sku: 'TEE-02', quantity: 1 },
      { sku: 'BOOK', quantity: 1 },
    ];
    const result = promiseAt(config, { at, lines });
    expect(warehousesOf(result)).toEqual([
      ['paris', ['MUG-01', 'BOOK']],
      ['lyon', ['TEE-02']],
    ]);
  });

  it('gives a split option the latest dates and the sum of the shipment prices', () => {
    const config = withLyon(baseConfig(), { handlingDays: 1 });
    config.inventory = [
      { warehouse: 'paris', sku: 'MUG-01', onHand: 5 },
      { warehouse: 'lyon', sku: 'TEE-02', onHand: 5 },
    ];
    const lines = [
      { sku: 'MUG-01', quantity: 1 },
      { sku: 'TEE-02', quantity: 1 },
    ];
    const option = onlyOption(promiseAt(config, { at, lines }));
    expect(option.shipments.map((s) => s.dispatchDate)).toEqual(['2026-11-23', '2026-11-24']);
    expect(option).toMatchObject({
      dispatchDate: '2026-11-24',
      delivery: { earliest: '2026-11-25', latest: '2026-11-26' },
      cutoffAt: '2026-11-23T13:00:00.000Z',
      price: { amount: 759 * 2 },
    });
  });

  it('never splits a line across warehouses', () => {
    const config = withLyon(baseConfig());
    config.inventory = [
      { warehouse: 'paris', sku: 'MUG-01', onHand: 3 },
      { warehouse: 'lyon', sku: 'MUG-01', onHand: 3 },
    ];
    const result = promiseAt(config, { at, lines: [{ sku: 'MUG-01', quantity: 5 }] });
    expect(result).toMatchObject({ status: 'unavailable', reason: 'out_of_stock' });
  });

  it('sends a line nobody has in stock to the warehouse whose incoming stock arrives first', () => {
    const config = withLyon(baseConfig());
    config.inventory = [
      { warehouse: 'paris', sku: 'MUG-01', onHand: 0, incoming: [{ quantity: 9, expectedAt: '2026-12-10' }] },
      { warehouse: 'lyon', sku: 'MUG-01', onHand: 0, incoming: [{ quantity: 9, expectedAt: '2026-12-03' }] },
    ];
    const result = promiseAt(config, { at });
    expect(result.items[0]?.availableFrom).toBe('2026-12-03');
    expect(warehousesOf(result)).toEqual([['lyon', ['MUG-01']]]);
  });

  it('stocks a bundle through its components, all from one warehouse', () => {
    const config = withLyon(baseConfig());
    config.inventory = [
      { warehouse: 'paris', sku: 'MUG-01', onHand: 10 },
      { warehouse: 'lyon', sku: 'MUG-01', onHand: 10 },
      { warehouse: 'lyon', sku: 'TEE-02', onHand: 10 },
    ];
    const result = promiseAt(config, { at, lines: [{ sku: 'GIFT-01', quantity: 2 }] });
    expect(warehousesOf(result)).toEqual([['lyon', ['GIFT-01']]]);
    // 2 × (2 × 450 g + 200 g) = 2 200 g → the second band
    expect(onlyOption(result).price.amount).toBe(1639);
  });

  it('counts a component once for a bundle and a loose line that share it', () => {
    const config = baseConfig();
    config.inventory = [
      { warehouse: 'paris', sku: 'MUG-01', onHand: 3 },
      { warehouse: 'paris', sku: 'TEE-02', onHand: 3 },
    ];
    const lines = [
      { sku: 'GIFT-01', quantity: 1 },
      { sku: 'MUG-01', quantity: 2 },
    ];
    // The gift takes two mugs; only one is left for the loose line of two.
    expect(promiseAt(config, { at, lines }).items.map((i) => [i.sku, i.available, i.reason])).toEqual([
      ['GIFT-01', true, null],
      ['MUG-01', false, 'out_of_stock'],
    ]);
  });

  it('subtracts reserved and safety stock from what is on hand', () => {
    const config = baseConfig();
    const levels = [{ warehouse: 'paris', sku: 'MUG-01', onHand: 10, reserved: 6, safetyStock: 3, incoming: [] }];
    expect(promiseAt(config, { at, levels, lines: [{ sku: 'MUG-01', quantity: 1 }] }).status).toBe('available');
    expect(promiseAt(config, { at, levels, lines: [{ sku: 'MUG-01', quantity: 2 }] }).status).toBe('unavailable');
  });
});

describe('unavailable lines', () => {
  it('says unknown_sku for a product the merchant does not sell', () => {
    const result = promiseAt(baseConfig(), { at, lines: [{ sku: 'NOPE', quantity: 1 }] });
    expect(result).toMatchObject({ status: 'unavailable', reason: 'unknown_sku', options: [] });
  });

  it('says out_of_stock when no warehouse has enough, now or incoming', () => {
    const result = promiseAt(baseConfig(), { at, lines: [{ sku: 'MUG-01', quantity: 41 }] });
    expect(result).toMatchObject({ status: 'unavailable', reason: 'out_of_stock' });
  });

  it('says no_service when the stock exists but no lane reaches the destination', () => {
    const result = promiseAt(baseConfig(), { at, country: 'JP', postalCode: '100-0001' });
    expect(result).toMatchObject({ status: 'unavailable', reason: 'no_service', options: [] });
    expect(result.items[0]).toMatchObject({ available: false, reason: 'no_service' });
  });

  it('answers partial with options for the lines that can be promised', () => {
    const lines = [
      { sku: 'MUG-01', quantity: 1 },
      { sku: 'NOPE', quantity: 1 },
    ];
    const result = promiseAt(baseConfig(), { at, lines });
    expect(result.status).toBe('partial');
    expect(result.reason).toBeNull();
    expect(result.items.map((i) => i.reason)).toEqual([null, 'unknown_sku']);
    expect(onlyOption(result).shipments[0]?.items).toEqual([{ sku: 'MUG-01', quantity: 1 }]);
  });
});
