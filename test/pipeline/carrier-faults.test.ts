/**
 * Carriers that misbehave must never corrupt stock: a voided label is not a cancelled order, shipped stock
 * leaves on hand once whatever the order of events, a carrier speaks only for its own parcels, and a push with
 * no body is refused, not a crash. Reservations left behind can be corrected by hand, with a reason.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { MerchantConfig } from '../../shared/src/config.ts';
import { bookAndLabel, MONDAY_MORNING, SECRET, storeFactories, testApp, trackEvents } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';

const stores = await storeFactories();
const json = { ...SECRET, 'content-type': 'application/json' };

/** The fixture merchant with a second carrier (chronopost), each carrier with its own push secret. */
function twoCarriers(): MerchantConfig {
  const config = baseConfig();
  const colissimo = config.carriers[0];
  if (!colissimo) throw new Error('fixture without carrier');
  colissimo.trackingSecret = 'colissimo-secret-0123456789abcdef';
  const service = colissimo.services[0];
  if (!service) throw new Error('fixture without service');
  config.carriers.push({
    ...structuredClone(colissimo),
    id: 'chronopost',
    name: 'Chronopost',
    trackingSecret: 'chronopost-secret-0123456789abcdef',
    services: [{ ...structuredClone(service), id: 'chrono-13', name: 'Chrono 13' }],
  });
  return config;
}

describe.each(stores)('carrier faults on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  afterEach(async () => {
    await app?.close();
  });

  const start = async (config = twoCarriers()) => {
    app = await testApp({ store: await makeStore(), now: MONDAY_MORNING, merchants: [config] });
  };
  const book = (optionId = 'colissimo-home', quantity = 1) =>
    bookAndLabel(app, {
      optionId,
      items: [{ sku: 'MUG-01', quantity, unitPrice: 1000 }],
      totals: { items: 1000 * quantity, shipping: 0, tax: 0, total: 1000 * quantity, currency: 'EUR' },
    });
  const track = (events: Record<string, unknown>[]) => trackEvents(app, events);
  const order = async (id: string) => (await app.inject({ url: `/v1/orders/${id}`, headers: SECRET })).json();
  const level = async () => (await app.inject({ url: '/v1/inventory/MUG-01', headers: SECRET })).json().warehouses[0];
  const openExceptions = async () => (await app.inject({ url: '/v1/exceptions', headers: SECRET })).json().data;
  const push = (carrier: string, secret: string, body: string | undefined, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: `/v1/tracking/carriers/test/${carrier}/events`,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        'x-promesse-signature': `sha256=${createHmac('sha256', secret)
          .update(body ?? '')
          .digest('hex')}`,
        ...headers,
      },
      ...(body === undefined ? {} : { payload: body }),
    });

  it('treats a carrier cancellation of a labelled parcel as a voided label: order kept, stock kept, exception opened, the merchant can still cancel', async () => {
    await start();
    const booked = await book();
    const tn = booked.shipments[0].trackingNumber;
    const voided = await track([{ trackingNumber: tn, code: 'CAN', occurredAt: '2026-11-23T12:00:00Z' }]);
    expect(voided.json()).toMatchObject({ applied: 1 });
    const after = await order(booked.id);
    expect(after.status).toBe('in_preparation');
    expect(after.shipments[0].status).toBe('label_created');
    expect(after.timeline.at(-1).message).toBe('label voided by the carrier');
    expect(await level()).toMatchObject({ onHand: 40, reserved: 1 });
    expect(await openExceptions()).toEqual([
      expect.objectContaining({ kind: 'shipment', reason: 'label_voided', orderId: booked.id }),
    ]);

    const cancel = await app.inject({ method: 'POST', url: `/v1/orders/${booked.id}/cancel`, headers: SECRET });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json().status).toBe('cancelled');
    expect(await level()).toMatchObject({ onHand: 40, reserved: 0 });
  });

  it('takes shipped stock out of on hand once, even when a later-stamped "label created" arrives between two pickups', async () => {
    await start();
    const other = await book(); // another order's reservation, which must survive
    const booked = await book();
    const tn = booked.shipments[0].trackingNumber;
    expect(await level()).toMatchObject({ onHand: 40, reserved: 2 });
    await track([{ trackingNumber: tn, code: 'PCK', occurredAt: '2026-11-23T16:00:00Z', eventId: 'a' }]);
    await track([{ trackingNumber: tn, code: 'LBL', occurredAt: '2026-11-23T17:00:00Z', eventId: 'b' }]);
    expect((await order(booked.id)).shipments[0].status).toBe('picked_up');
    await track([{ trackingNumber: tn, code: 'PCK', occurredAt: '2026-11-23T18:00:00Z', eventId: 'c' }]);
    await track([{ trackingNumber: tn, code: 'TRN', occurredAt: '2026-11-23T22:00:00Z', eventId: 'd' }]);
    expect(await level()).toMatchObject({ onHand: 39, reserved: 1 });
    expect((await order(other.id)).status).toBe('in_preparation');
    const ledger = (await app.inject({ url: '/v1/inventory/MUG-01/movements', headers: SECRET })).json().movements;
    expect(ledger.filter((m: { reason: string }) => m.reason === 'ship')).toHaveLength(1);
  });

  it('takes shipped stock out once when a batch brings several departure scans out of order', async () => {
    await start();
    const booked = await book();
    const tn = booked.shipments[0].trackingNumber;
    await track([
      { trackingNumber: tn, code: 'TRN', occurredAt: '2026-11-23T22:00:00Z' },
      { trackingNumber: tn, code: 'PCK', occurredAt: '2026-11-23T16:00:00Z' },
      { trackingNumber: tn, code: 'LBL', occurredAt: '2026-11-24T01:00:00Z' },
    ]);
    expect(await level()).toMatchObject({ onHand: 39, reserved: 0 });
    expect((await order(booked.id)).shipments[0]).toMatchObject({
      status: 'in_transit',
      leftAt: '2026-11-23T16:00:00.000Z',
    });
  });

  it("accepts a carrier's push only for that carrier's own parcels", async () => {
    await start();
    const chrono = await book('chrono-13');
    const tn = chrono.shipments[0].trackingNumber;
    const body = JSON.stringify({ events: [{ trackingNumber: tn, code: 'CAN', occurredAt: '2026-11-23T12:00:00Z' }] });
    const wrong = await push('colissimo', 'colissimo-secret-0123456789abcdef', body);
    expect(wrong.statusCode).toBe(200);
    expect(wrong.json()).toEqual({
      applied: 0,
      unknown: 0,
      duplicates: 0,
      rejected: [{ index: 0, code: 'unknown_tracking_number' }],
    });
    const viaKey = await track([{ trackingNumber: tn, code: 'PCK', occurredAt: '2026-11-23T16:00:00Z' }]);
    expect(viaKey.json().rejected).toEqual([{ index: 0, code: 'unknown_tracking_number' }]);
    expect((await order(chrono.id)).shipments[0].status).toBe('label_created');
    expect(await openExceptions()).toEqual([]);

    const own = await push('chronopost', 'chronopost-secret-0123456789abcdef', body.replace('CAN', 'PCK'));
    expect(own.json()).toMatchObject({ applied: 1 });
    expect((await order(chrono.id)).shipments[0].status).toBe('picked_up');
  });

  it('answers a carrier push with no body 401 when unsigned and 400 when signed, never 500', async () => {
    await start();
    const unsigned = await app.inject({ method: 'POST', url: '/v1/tracking/carriers/test/colissimo/events' });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().code).toBe('unauthorized');
    const signedEmpty = await push('colissimo', 'colissimo-secret-0123456789abcdef', undefined);
    expect(signedEmpty.statusCode).toBe(400);
    expect(signedEmpty.json().code).toBe('invalid_request');
  });

  it("releases an order's reservation by hand through the order, so it is never released or shipped twice", async () => {
    await start();
    const booked = await book('colissimo-home', 2);
    const other = await book();
    const adjust = (body: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/v1/inventory/paris/MUG-01/adjustments', headers: json, payload: body });
    expect((await adjust({ reservedDelta: -1, note: 'no order' })).json().details).toEqual([
      { field: 'orderId', code: 'required' },
    ]);
    const fixed = await adjust({ reservedDelta: -1, orderId: booked.id, note: 'One mug broken in the warehouse' });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json()).toMatchObject({ onHand: 40, reserved: 2 });
    const ledger = (await app.inject({ url: '/v1/inventory/MUG-01/movements', headers: SECRET })).json().movements;
    expect(ledger[0]).toMatchObject({
      reason: 'adjust',
      reservedDelta: -1,
      orderId: booked.id,
      note: 'One mug broken in the warehouse',
    });
    expect((await order(booked.id)).shipments[0].reservations).toEqual([
      { sku: 'MUG-01', quantity: 1, backorder: false },
    ]);
    const over = await adjust({ reservedDelta: -2, orderId: booked.id, note: 'again' });
    expect(over.statusCode).toBe(422);
    expect(over.json().details).toEqual([{ field: 'reservedDelta', code: 'more_than_reserved' }]);
    // The order releases only what it still holds: the other order's reservation stays whole.
    await app.inject({ method: 'POST', url: `/v1/orders/${booked.id}/cancel`, headers: SECRET });
    expect(await level()).toMatchObject({ onHand: 40, reserved: 1 });
    expect((await order(other.id)).shipments[0].reservations[0].quantity).toBe(1);
  });

  it('corrects on hand by hand with its note in the ledger, never below zero', async () => {
    await start();
    const adjust = (body: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/v1/inventory/paris/MUG-01/adjustments', headers: json, payload: body });
    const counted = await adjust({ onHandDelta: -3, note: 'Stocktake: 3 broken' });
    expect(counted.json()).toMatchObject({ onHand: 37, reserved: 0 });
    const ledger = (await app.inject({ url: '/v1/inventory/MUG-01/movements', headers: SECRET })).json().movements;
    expect(ledger[0]).toMatchObject({ reason: 'adjust', onHandDelta: -3, note: 'Stocktake: 3 broken' });
    expect((await adjust({ onHandDelta: -38, note: 'too many' })).json().details).toEqual([
      { field: 'onHandDelta', code: 'below_zero' },
    ]);
    expect((await adjust({ onHandDelta: -3 })).statusCode).toBe(400);
    expect((await adjust({ reservedDelta: 1, note: 'hold' })).statusCode).toBe(400);
    expect((await adjust({ note: 'nothing' })).statusCode).toBe(422);
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/v1/inventory/nowhere/MUG-01/adjustments',
      headers: json,
      payload: { onHandDelta: 1, note: 'x' },
    });
    expect(elsewhere.statusCode).toBe(404);
  });

  it("keeps no tracking event when applying it fails, so the carrier's retry applies it", async () => {
    const store = await makeStore();
    const changeOrder = store.changeOrder;
    let failNext = false;
    store.changeOrder = (merchantId, id, change, events) =>
      changeOrder(
        merchantId,
        id,
        (order, fresh) => {
          if (failNext) {
            failNext = false;
            throw new Error('the database went away mid-change');
          }
          return change(order, fresh);
        },
        events,
      );
    app = await testApp({ store, now: MONDAY_MORNING, merchants: [twoCarriers()] });
    const booked = await book();
    const tn = booked.shipments[0].trackingNumber;
    failNext = true;
    const event = { trackingNumber: tn, code: 'PCK', occurredAt: '2026-11-23T16:00:00Z', eventId: 'pck-1' };
    expect((await track([event])).statusCode).toBe(500);
    expect((await order(booked.id)).shipments[0].status).toBe('label_created');
    expect((await track([event])).json()).toEqual({ applied: 1, unknown: 0, duplicates: 0, rejected: [] });
    expect((await order(booked.id)).shipments[0].status).toBe('picked_up');
    expect(await level()).toMatchObject({ onHand: 39, reserved: 0 });
  });

  it('ships a parcel even when the count said there was none on hand, and records what really moved', async () => {
    await start();
    const booked = await book();
    await app.inject({ method: 'PUT', url: '/v1/inventory/paris/MUG-01', headers: json, payload: { onHand: 0 } });
    await track([
      { trackingNumber: booked.shipments[0].trackingNumber, code: 'PCK', occurredAt: '2026-11-23T16:00:00Z' },
    ]);
    expect((await order(booked.id)).shipments[0].status).toBe('picked_up');
    expect(await level()).toMatchObject({ onHand: 0, reserved: 0 });
    const [ship] = (await app.inject({ url: '/v1/inventory/MUG-01/movements', headers: SECRET })).json().movements;
    expect(ship).toMatchObject({ reason: 'ship', onHandDelta: 0, reservedDelta: -1 });
  });
});
