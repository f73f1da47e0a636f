/**
 * Customs (CONTRACT §9) on both stores: a booking whose parcel leaves the EU customs union is refused with 422
 * customs_incomplete naming each missing field before any stock is reserved, books once the data is complete,
 * and its shipment's CN23 (409 before the label, a PDF after it) holds the lines, values, tariff numbers,
 * origins, incoterm and EORI, read back from the PDF; an EU parcel needs none and has none.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { MerchantConfig } from '../../shared/src/config.ts';
import { bookOne, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';
import { pdfText } from '../fixtures/pdf-text.ts';

const stores = await storeFactories();

/** The fixture merchant shipping to Switzerland too; `complete` gives its products and itself what customs need. */
function merchant(complete: boolean): MerchantConfig {
  const config = baseConfig();
  const lane = config.carriers[0]?.services[0]?.lanes[0];
  if (lane) lane.to = ['FR', 'CH'];
  if (complete) {
    config.merchant.eori = 'FR12345678901';
    for (const product of config.products) Object.assign(product, { hsCode: '691200', originCountry: 'PT' });
  }
  return config;
}

const TO_GENEVA = {
  shippingAddress: { name: 'A', line1: '1 rue du Rhône', postalCode: '1204', city: 'Genève', country: 'CH' },
};

describe.each(stores)('customs on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  afterEach(async () => app.close());

  const available = async () =>
    (await app.inject({ url: '/v1/inventory/MUG-01', headers: SECRET })).json().warehouses[0].available;

  it('refuses a Swiss order with 422 customs_incomplete naming each missing field, and reserves nothing', async () => {
    app = await testApp({ store: await makeStore(), merchants: [merchant(false)] });
    const before = await available();
    const refused = await bookOne(app, TO_GENEVA);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'customs_incomplete',
      details: [
        { field: 'items[0].hsCode', code: 'required' },
        { field: 'items[0].originCountry', code: 'required' },
        { field: 'merchant.eori', code: 'required' },
      ],
    });
    expect(await available()).toBe(before);
    // Within the EU nothing is asked.
    expect((await bookOne(app)).statusCode).toBe(201);
  });

  it('books it once complete; its CN23 follows the label and holds what customs read', async () => {
    const other = baseConfig();
    other.merchant.id = 'other';
    other.keys = [{ key: 'sk_test_other', type: 'secret' }];
    app = await testApp({ store: await makeStore(), merchants: [merchant(true), other] });
    const booked = await bookOne(app, {
      ...TO_GENEVA,
      items: [{ sku: 'MUG-01', quantity: 2, unitPrice: 1290 }],
      totals: { items: 2580, shipping: 0, tax: 0, total: 2580, currency: 'EUR' },
    });
    expect(booked.statusCode).toBe(201);
    const shipment = booked.json().shipments[0];
    const early = await app.inject({ url: `/v1/shipments/${shipment.id}/customs`, headers: SECRET });
    expect([early.statusCode, early.json().code]).toEqual([409, 'not_ready']);
    await app.relay.drain();
    const cn23 = await app.inject({ url: `/v1/shipments/${shipment.id}/customs`, headers: SECRET });
    expect(cn23.statusCode).toBe(200);
    expect(cn23.headers['content-type']).toBe('application/pdf');
    const [text = ''] = await pdfText(cn23.rawPayload);
    for (const expected of [
      'CN 23',
      'Sale of goods',
      'Mug (MUG-01)',
      '691200 PT', // HS tariff number, then origin, on the item's row
      '0.900', // 2 × 450 g
      '25.80', // 2 × 12.90 EUR
      'EORI: FR12345678901',
      'Incoterm: DAP',
      `Invoice: ${booked.json().reference}`,
      '1204 Genève CH',
      'Postal charges / Fees: 0.00 EUR',
    ]) {
      expect(text).toContain(expected);
    }
    // Another merchant's key sees no such shipment; an EU parcel has no CN23.
    const foreign = await app.inject({
      url: `/v1/shipments/${shipment.id}/customs`,
      headers: { authorization: 'Bearer sk_test_other' },
    });
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'not_found']);
    const eu = (await bookOne(app)).json().shipments[0];
    await app.relay.drain();
    const none = await app.inject({ url: `/v1/shipments/${eu.id}/customs`, headers: SECRET });
    expect([none.statusCode, none.json().code]).toEqual([404, 'not_found']);
    const unknown = await app.inject({ url: '/v1/shipments/shp_nope/customs', headers: SECRET });
    expect(unknown.statusCode).toBe(404);
  });
});
