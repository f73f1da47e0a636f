import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/src/orders.ts';
import { baseConfig } from '../../../test/fixtures/merchant.ts';
import { compileMerchant } from '../promise/merchant.ts';
import { crossesCustomsBorder, customsDeclaration, customsProblems } from './customs.ts';

describe('crossesCustomsBorder', () => {
  it('returns false within the EU customs union, Monaco included', () => {
    expect(crossesCustomsBorder('FR', 'DE', '10115')).toBe(false);
    expect(crossesCustomsBorder('FR', 'MC', '98000')).toBe(false);
    expect(crossesCustomsBorder('DE', 'ES', '28001')).toBe(false);
  });

  it('returns true out of it or into it: Switzerland, the United Kingdom, Norway, overseas departments', () => {
    expect(crossesCustomsBorder('FR', 'CH', '1201')).toBe(true);
    expect(crossesCustomsBorder('GB', 'FR', '75011')).toBe(true);
    expect(crossesCustomsBorder('FR', 'NO', '0150')).toBe(true);
    expect(crossesCustomsBorder('FR', 'RE', '97400')).toBe(true);
  });

  it('returns true for territories reached through customs: the Canary Islands, Ceuta, Heligoland, Livigno', () => {
    expect(crossesCustomsBorder('FR', 'ES', '35001')).toBe(true);
    expect(crossesCustomsBorder('FR', 'ES', '51001')).toBe(true);
    expect(crossesCustomsBorder('FR', 'DE', '27498')).toBe(true);
    expect(crossesCustomsBorder('FR', 'IT', '23041')).toBe(true);
    expect(crossesCustomsBorder('FR', 'FR', '97400')).toBe(true); // La Réunion sent as FR
    expect(crossesCustomsBorder('FR', 'FI', '22100')).toBe(true); // Åland
    expect(crossesCustomsBorder('FR', 'FR', '75011')).toBe(false);
  });
});

/** An order of one MUG-01 and two TEE-02 from `warehouse` to `country`. */
function order(country: string, postalCode: string, warehouse = 'paris'): Order {
  return {
    id: 'ord_1',
    reference: 'R-1',
    channel: null,
    status: 'accepted',
    createdAt: '2026-11-23T09:00:00.000Z',
    updatedAt: '2026-11-23T09:00:00.000Z',
    promiseId: null,
    optionId: 'colissimo-home',
    items: [
      { sku: 'MUG-01', quantity: 1, unitPrice: 1290 },
      { sku: 'TEE-02', quantity: 2, unitPrice: 1990 },
    ],
    shippingAddress: { name: 'A', line1: '1 Rue', postalCode, city: 'X', country },
    totals: { items: 5270, shipping: 0, tax: 0, total: 5270, currency: 'EUR' },
    shipments: [
      {
        id: 'shp_1',
        warehouse,
        carrier: 'colissimo',
        service: 'colissimo-home',
        items: [
          { sku: 'MUG-01', quantity: 1 },
          { sku: 'TEE-02', quantity: 2 },
        ],
        reservations: [],
        dispatchDate: '2026-11-23',
        promisedDelivery: { earliest: '2026-11-24', latest: '2026-11-25' },
        status: 'pending',
        trackingNumber: null,
      },
    ],
    timeline: [],
  };
}

describe('customsProblems', () => {
  const request = { items: order('CH', '1201').items };

  it('finds nothing to declare within the EU', () => {
    expect(customsProblems(request, order('DE', '10115'), compileMerchant(baseConfig()))).toEqual([]);
  });

  it("names each missing tariff number and origin by the request's item, and the merchant's EORI", () => {
    const config = baseConfig();
    const mug = config.products.find((p) => p.sku === 'MUG-01');
    if (mug) Object.assign(mug, { hsCode: '691200', originCountry: 'FR' });
    expect(customsProblems(request, order('CH', '1201'), compileMerchant(config))).toEqual([
      { field: 'items[1].hsCode', code: 'required' },
      { field: 'items[1].originCountry', code: 'required' },
      { field: 'merchant.eori', code: 'required' },
    ]);
  });

  it('asks for the IOSS number of a parcel entering the EU worth up to 150 EUR, and not above', () => {
    const config = baseConfig();
    config.merchant.eori = 'GB123456789000';
    config.warehouses.push({
      ...structuredClone(config.warehouses[0]!),
      id: 'london',
      country: 'GB',
      timeZone: 'Europe/London',
    });
    for (const p of config.products) Object.assign(p, { hsCode: '691200', originCountry: 'GB' });
    const merchant = compileMerchant(config);
    expect(customsProblems(request, order('FR', '75011', 'london'), merchant)).toEqual([
      { field: 'merchant.ioss', code: 'required' },
    ]);
    const dear = order('FR', '75011', 'london');
    dear.items = dear.items.map((item) => ({ ...item, unitPrice: 10_000 }));
    expect(customsProblems(request, dear, merchant)).toEqual([]);
  });
});

describe('customsProblems of a free line', () => {
  it('asks for the customs value of a line given away, which the border would not take at nothing', () => {
    const config = baseConfig();
    config.merchant.eori = 'FR12345678901';
    for (const p of config.products) Object.assign(p, { hsCode: '691200', originCountry: 'FR' });
    const free = order('CH', '1201');
    free.items = free.items.map((item) => (item.sku === 'TEE-02' ? { ...item, unitPrice: 0 } : item));
    expect(customsProblems({ items: free.items }, free, compileMerchant(config))).toEqual([
      { field: 'items[1].customsValue', code: 'required' },
    ]);
  });
});

describe('customsDeclaration', () => {
  it("declares each line at the product's customs value, else its unit price, with weights and totals", () => {
    const config = baseConfig();
    config.merchant.eori = 'FR12345678901';
    for (const p of config.products) Object.assign(p, { hsCode: '610910', originCountry: 'PT' });
    const mug = config.products.find((p) => p.sku === 'MUG-01');
    if (mug) mug.customsValue = 800;
    const declaration = customsDeclaration(
      compileMerchant(config),
      order('CH', '1201'),
      order('CH', '1201').shipments[0]!,
    );
    expect(declaration).toMatchObject({
      from: 'FR',
      to: 'CH',
      incoterm: 'DAP',
      eori: 'FR12345678901',
      iossApplies: false,
      currency: 'EUR',
      totalValue: 800 + 2 * 1990,
      totalWeightGrams: 450 + 2 * 200,
      invoice: 'R-1',
    });
    expect(declaration?.lines.map((l) => [l.sku, l.quantity, l.unitValue, l.hsCode, l.originCountry])).toEqual([
      ['MUG-01', 1, 800, '610910', 'PT'],
      ['TEE-02', 2, 1990, '610910', 'PT'],
    ]);
  });
});
