/**
 * After the booking, on the demo merchant as `npm start` serves it (demo/merchant.yaml), on both stores: an order
 * edited before it ships; returned after delivery with a label, its parcel tracked to the warehouse and an
 * inspection that restocks; a Swiss order of a product without customs data refused until the data is filled
 * in, then booked with its CN23. The walkthrough in demo/README.md does the same with curl.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMerchantConfigs } from '../../api/src/config/load-config.ts';
import type { MerchantConfig } from '../../shared/src/config.ts';
import { MONDAY_MORNING, storeFactories, testApp } from '../fixtures/app.ts';
import { pdfText } from '../fixtures/pdf-text.ts';

const stores = await storeFactories();
const SECRET = { authorization: 'Bearer sk_test_demo', 'content-type': 'application/json' };
const demo = (): MerchantConfig => structuredClone(loadMerchantConfigs()[0]?.config as MerchantConfig);

describe.each(stores)('the demo merchant after the booking on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  let now = MONDAY_MORNING;
  afterEach(async () => app.close());

  const start = async (config = demo()) => {
    app = await testApp({ store: await makeStore(), now: () => now, merchants: [config] });
  };
  const send = (method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>, key?: string) =>
    app.inject({ method, url, headers: { ...SECRET, ...(key ? { 'idempotency-key': key } : {}) }, payload });
  const read = async (url: string) => (await app.inject({ url, headers: SECRET })).json();
  const book = async (sku: string, quantity: number, address: Record<string, string>) => {
    const promise = (
      await app.inject({
        url: `/v1/promise?key=pk_test_demo&sku=${sku}&quantity=${quantity}&country=${address.country}&postalCode=${address.postalCode}`,
        headers: { origin: 'https://shop.example' },
      })
    ).json();
    const option = promise.options[0];
    const unitPrice = 1290;
    return send(
      'POST',
      '/v1/orders',
      {
        reference: randomUUID(),
        promiseId: promise.promiseId,
        optionId: option.id,
        items: [{ sku, quantity, unitPrice }],
        shippingAddress: { name: 'Client Démo', line1: '10 rue de la Roquette', ...address },
        totals: {
          items: unitPrice * quantity,
          shipping: option.price.amount,
          tax: 0,
          total: unitPrice * quantity + option.price.amount,
          currency: 'EUR',
        },
      },
      randomUUID(),
    );
  };
  const track = (carrier: string, trackingNumber: string, status: string, occurredAt: string) =>
    send('POST', '/v1/tracking/events', { events: [{ carrier, trackingNumber, status, occurredAt }] });

  it('edits an order before it ships, then takes two mugs back with a label and restocks the resellable one', async () => {
    await start();
    const booked = await book('MUG-01', 2, { postalCode: '75011', city: 'Paris', country: 'FR' });
    expect(booked.statusCode).toBe(201);
    const order = booked.json();
    const edited = await send(
      'PATCH',
      `/v1/orders/${order.id}`,
      {
        shippingAddress: {
          name: 'Client Démo',
          line1: '3 quai Saint-Antoine',
          postalCode: '69002',
          city: 'Lyon',
          country: 'FR',
        },
      },
      randomUUID(),
    );
    expect(edited.statusCode).toBe(200);
    expect(edited.json().shippingAddress.city).toBe('Lyon');
    await app.relay.drain();
    const labelled = await read(`/v1/orders/${order.id}`);
    const [shipment] = labelled.shipments;
    expect(shipment.status).toBe('label_created');
    // Once labelled, no more edits.
    const late = await send(
      'PATCH',
      `/v1/orders/${order.id}`,
      { items: [{ sku: 'MUG-01', quantity: 1 }] },
      randomUUID(),
    );
    expect([late.statusCode, late.json().code]).toEqual([409, 'not_editable']);
    await track(shipment.carrier, shipment.trackingNumber, 'delivered', '2026-11-25T10:00:00Z');
    const before = (await read('/v1/inventory/MUG-01')).warehouses.find(
      (w: { warehouse: string }) => w.warehouse === 'paris',
    );

    now = Date.parse('2026-11-27T09:00:00Z');
    const asked = await send('POST', `/v1/orders/${order.id}/returns`, {
      method: 'label',
      items: [{ sku: 'MUG-01', quantity: 2, reason: 'changed_mind' }],
    });
    expect(asked.statusCode).toBe(201);
    const returnId = asked.json().id;
    await send('POST', `/v1/returns/${returnId}/approve`, {});
    await app.relay.drain();
    const ret = await read(`/v1/returns/${returnId}`);
    expect(ret).toMatchObject({ status: 'label_created', warehouse: 'paris' });
    expect((await app.inject({ url: `/v1/returns/${returnId}/label`, headers: SECRET })).headers['content-type']).toBe(
      'application/pdf',
    );
    await track(ret.label.carrier, ret.label.trackingNumber, 'delivered', '2026-11-30T10:00:00Z');
    expect((await read(`/v1/returns/${returnId}`)).status).toBe('received');
    const inspected = await send('POST', `/v1/returns/${returnId}/inspect`, {
      items: [
        { sku: 'MUG-01', quantity: 1, condition: 'resellable' },
        { sku: 'MUG-01', quantity: 1, condition: 'damaged' },
      ],
    });
    // The demo's policy: a label costs the shopper 4.50 EUR when the shop is not at fault.
    expect(inspected.json().refund).toMatchObject({ items: 1290, fee: 450, total: 840 });
    const after = (await read('/v1/inventory/MUG-01')).warehouses.find(
      (w: { warehouse: string }) => w.warehouse === 'paris',
    );
    expect(after.onHand).toBe(before.onHand + 1);
    expect((await send('POST', `/v1/returns/${returnId}/refund`, {})).json().status).toBe('refunded');
    // The perfume is not taken back.
    expect(
      (
        await send('POST', `/v1/orders/${order.id}/returns`, {
          method: 'label',
          items: [{ sku: 'PERFUME-07', quantity: 1, reason: 'other' }],
        })
      ).json().details,
    ).toEqual([{ field: 'items[0].sku', code: 'not_returnable_sku' }]);
  });

  it('refuses a Swiss order of a product without customs data, then books it with a CN23 once the data is in', async () => {
    await start();
    const zurich = { postalCode: '8001', city: 'Zürich', country: 'CH' };
    const refused = await book('NOTEBOOK-15', 2, zurich);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'customs_incomplete',
      details: [
        { field: 'items[0].hsCode', code: 'required' },
        { field: 'items[0].originCountry', code: 'required' },
      ],
    });
    await app.close();
    // The merchant fills the data in and restarts.
    const fixed = demo();
    const notebook = fixed.products.find((p) => p.sku === 'NOTEBOOK-15');
    Object.assign(notebook ?? {}, { hsCode: '482010', originCountry: 'FR' });
    await start(fixed);
    const booked = await book('NOTEBOOK-15', 2, zurich);
    expect(booked.statusCode).toBe(201);
    const shipmentId = booked.json().shipments[0].id;
    expect((await app.inject({ url: `/v1/shipments/${shipmentId}/customs`, headers: SECRET })).statusCode).toBe(409);
    await app.relay.drain();
    const cn23 = await app.inject({ url: `/v1/shipments/${shipmentId}/customs`, headers: SECRET });
    expect(cn23.statusCode).toBe(200);
    const text = (await pdfText(cn23.rawPayload)).join(' ');
    for (const expected of ['CN 23', 'Carnet A5', '482010', 'FR12345678901', 'DAP']) expect(text).toContain(expected);
  });
});
