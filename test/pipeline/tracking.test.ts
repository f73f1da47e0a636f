import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SANDBOX_CODES } from '../../api/src/pipeline/tracking/codes/sandbox.ts';
import type { Sender } from '../../api/src/pipeline/webhooks/send.ts';
import { MONDAY_MORNING, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import { baseConfig, withLyon } from '../fixtures/merchant.ts';

const stores = await storeFactories();
const json = { ...SECRET, 'content-type': 'application/json' };

describe('sandbox tracking codes', () => {
  it.each(
    Object.entries({
      LBL: 'label_created',
      PCK: 'picked_up',
      ACC: 'in_transit',
      TRN: 'in_transit',
      ARR: 'in_transit',
      OFD: 'out_for_delivery',
      PUP: 'available_for_pickup',
      DLV: 'delivered',
      FAT: 'failed_attempt',
      EXC: 'exception',
      RTS: 'returned_to_sender',
      CAN: 'cancelled',
    }),
  )('maps %s to %s', (code, status) => {
    expect(SANDBOX_CODES[code]).toBe(status);
  });

  it('has no code beyond the table above', () => {
    expect(Object.keys(SANDBOX_CODES)).toHaveLength(12);
  });
});

describe.each(stores)('tracking on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  let now = MONDAY_MORNING;
  const deliveries: { headers: Record<string, string>; body: string }[] = [];
  const send: Sender = async (_target, request) => {
    deliveries.push(request);
    return { status: 200, excerpt: 'ok' };
  };
  afterEach(async () => {
    await app?.close();
    deliveries.length = 0;
  });

  const start = async (config = baseConfig()) => {
    now = MONDAY_MORNING;
    app = await testApp({
      store: await makeStore(),
      now: () => now,
      merchants: [config],
      pipeline: { allowPrivateWebhooks: false, resolve: async () => ['93.184.216.34'], send },
    });
  };
  const book = async (
    lines = [{ sku: 'MUG-01', quantity: 1, unitPrice: 1290 }],
    extra: Record<string, unknown> = {},
  ) => {
    const items = lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
    const response = await app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...json, 'idempotency-key': randomUUID() },
      payload: {
        reference: randomUUID(),
        optionId: 'colissimo-home',
        items: lines,
        shippingAddress: { name: 'Ada', line1: '1 rue', postalCode: '75011', city: 'Paris', country: 'FR' },
        totals: { items, shipping: 759, tax: 0, total: items + 759, currency: 'EUR' },
        ...extra,
      },
    });
    expect(response.statusCode).toBe(201);
    await app.relay.drain();
    return (await app.inject({ url: `/v1/orders/${response.json().id}`, headers: SECRET })).json();
  };
  const track = (events: Record<string, unknown>[]) =>
    app.inject({
      method: 'POST',
      url: '/v1/tracking/events',
      headers: json,
      payload: { events: events.map((e) => ({ carrier: 'colissimo', ...e })) },
    });
  const order = async (id: string) => (await app.inject({ url: `/v1/orders/${id}`, headers: SECRET })).json();
  const level = async () => (await app.inject({ url: '/v1/inventory/MUG-01', headers: SECRET })).json().warehouses[0];

  it('follows a parcel to delivery: statuses, order status, shipped stock', async () => {
    await start();
    const booked = await book();
    const tn = booked.shipments[0].trackingNumber;
    expect(await level()).toMatchObject({ onHand: 40, reserved: 1 });
    const picked = await track([
      { trackingNumber: tn, code: 'PCK', occurredAt: '2026-11-23T16:10:00Z', location: 'Paris Nord' },
    ]);
    expect(picked.json()).toEqual({ applied: 1, unknown: 0, duplicates: 0, rejected: [] });
    expect(await order(booked.id)).toMatchObject({
      status: 'shipped',
      shipments: [{ status: 'picked_up', lastEventAt: '2026-11-23T16:10:00.000Z' }],
    });
    expect(await level()).toMatchObject({ onHand: 39, reserved: 0 });
    await track([
      { trackingNumber: tn, code: 'TRN', occurredAt: '2026-11-23T22:00:00Z' },
      { trackingNumber: tn, code: 'OFD', occurredAt: '2026-11-24T07:30:00Z' },
      { trackingNumber: tn, code: 'DLV', occurredAt: '2026-11-24T11:42:00Z', description: 'Remis en main propre' },
    ]);
    const delivered = await order(booked.id);
    expect(delivered.status).toBe('delivered');
    expect(delivered.shipments[0].status).toBe('delivered');
    expect(delivered.timeline.map((t: { type: string }) => t.type)).toEqual([
      'order.accepted',
      'shipment.label_requested',
      'shipment.label_created',
      'shipment.tracking',
      'shipment.tracking',
      'shipment.tracking',
      'shipment.tracking',
    ]);
  });

  it('learns from a delivered parcel: the next promise on its lane counts it, once however often it is told', async () => {
    const config = baseConfig();
    config.estimates = { minSamples: 1 };
    await start(config);
    const promise = async () =>
      (await app.inject('/v1/promise?key=pk_test_fixture&sku=MUG-01&country=FR&postalCode=75011')).json().options[0];
    expect((await promise()).estimate.basis).toBe('configured');
    const booked = await book();
    const tn = booked.shipments[0].trackingNumber;
    const events = [
      { trackingNumber: tn, code: 'PCK', occurredAt: '2026-11-23T16:10:00Z' },
      { trackingNumber: tn, code: 'DLV', occurredAt: '2026-11-26T11:42:00Z' },
    ];
    await track(events);
    await track(events); // a carrier's retry
    const history = await app.store.transitObservationsAfter('test', 0, 10);
    expect(history).toMatchObject([
      {
        service: 'colissimo-home',
        warehouse: 'paris',
        country: 'FR',
        postalCode: '75011',
        dispatchedAt: Date.parse('2026-11-23T16:10:00Z'),
        deliveredAt: Date.parse('2026-11-26T11:42:00Z'),
        source: 'tracking',
      },
    ]);
    expect((await order(booked.id)).shipments[0].dispatchedAt).toBe('2026-11-23T16:10:00.000Z');
    now += 4 * 86_400_000; // Friday morning: the delivery is known by then
    const learned = await promise();
    expect(learned.estimate).toEqual({ basis: 'history', samples: 1, onTimeTarget: 0.95 });
    // Friday 10:00 in Paris ships today; the one parcel took 3 delivery days (Tuesday to Thursday): Saturday,
    // Monday, Tuesday.
    expect(learned.dispatchDate).toBe('2026-11-27');
    expect(learned.delivery).toEqual({ earliest: '2026-12-01', latest: '2026-12-01' });
  });

  it('learns and counts a parcel delivered, then in exception, then delivered again once: at its first delivery', async () => {
    await start();
    const booked = await book();
    const tn = booked.shipments[0].trackingNumber;
    await track([
      { trackingNumber: tn, code: 'PCK', occurredAt: '2026-11-23T16:10:00Z' },
      { trackingNumber: tn, code: 'DLV', occurredAt: '2026-11-25T11:00:00Z' },
      { trackingNumber: tn, code: 'EXC', occurredAt: '2026-11-25T15:00:00Z' },
      { trackingNumber: tn, code: 'DLV', occurredAt: '2026-11-26T10:00:00Z' },
    ]);
    const history = await app.store.transitObservationsAfter('test', 0, 10);
    expect(history.map((o) => o.deliveredAt)).toEqual([Date.parse('2026-11-25T11:00:00Z')]);
    const after = await order(booked.id);
    expect(after.shipments[0]).toMatchObject({ status: 'delivered', deliveredAt: '2026-11-25T11:00:00.000Z' });
  });

  it('ignores duplicates and keeps a late event out of the status', async () => {
    await start();
    const booked = await book();
    const tn = booked.shipments[0].trackingNumber;
    await track([{ trackingNumber: tn, code: 'DLV', occurredAt: '2026-11-24T11:00:00Z', eventId: 'e3' }]);
    const again = await track([
      { trackingNumber: tn, code: 'DLV', occurredAt: '2026-11-24T11:00:00Z', eventId: 'e3' },
      { trackingNumber: tn, code: 'TRN', occurredAt: '2026-11-23T22:00:00Z', eventId: 'e2' },
    ]);
    expect(again.json()).toEqual({ applied: 1, unknown: 0, duplicates: 1, rejected: [] });
    const after = await order(booked.id);
    expect(after.shipments[0].status).toBe('delivered');
    const tracking = after.timeline.filter((t: { type: string }) => t.type === 'shipment.tracking');
    expect(tracking.map((t: { at: string }) => t.at)).toEqual(['2026-11-23T22:00:00.000Z', '2026-11-24T11:00:00.000Z']);
  });

  it('rejects unknown tracking numbers, carriers, codes and instants, event by event', async () => {
    await start();
    const booked = await book();
    const tn = booked.shipments[0].trackingNumber;
    const response = await track([
      { trackingNumber: 'CA000000005FR', code: 'PCK', occurredAt: '2026-11-23T16:00:00Z' },
      { trackingNumber: tn, carrier: 'ups', code: 'PCK', occurredAt: '2026-11-23T16:00:00Z' },
      { trackingNumber: tn, code: 'ZZZ', occurredAt: '2026-11-23T16:00:00Z' },
      { trackingNumber: tn, status: 'teleported', occurredAt: '2026-11-23T16:00:00Z' },
      { trackingNumber: tn, code: 'PCK', occurredAt: 'yesterday' },
      { trackingNumber: tn, status: 'picked_up', occurredAt: '2026-11-23T16:00:00Z' },
    ]);
    expect(response.json()).toEqual({
      applied: 1,
      // An unknown code is kept on the timeline as an unknown event, never refused nor guessed (CONTRACT §7).
      unknown: 1,
      duplicates: 0,
      rejected: [
        { index: 0, code: 'unknown_tracking_number' },
        { index: 1, code: 'unknown_carrier' },
        { index: 3, code: 'unknown_status' },
        { index: 4, code: 'invalid_instant' },
      ],
    });
  });

  it('says partially shipped while one shipment of a split order is still in the warehouse', async () => {
    const config = withLyon(baseConfig());
    config.inventory = [
      { warehouse: 'paris', sku: 'MUG-01', onHand: 5 },
      { warehouse: 'lyon', sku: 'TEE-02', onHand: 5 },
    ];
    await start(config);
    const booked = await book(
      [
        { sku: 'MUG-01', quantity: 1, unitPrice: 1290 },
        { sku: 'TEE-02', quantity: 1, unitPrice: 1000 },
      ],
      { totals: { items: 2290, shipping: 1518, tax: 0, total: 3808, currency: 'EUR' } },
    );
    expect(booked.shipments).toHaveLength(2);
    await track([
      { trackingNumber: booked.shipments[0].trackingNumber, code: 'PCK', occurredAt: '2026-11-23T16:00:00Z' },
    ]);
    expect((await order(booked.id)).status).toBe('partially_shipped');
  });

  it('runs the whole journey: promise, booking, label, tracking, delivery, and signed webhooks for each step', async () => {
    await start();
    const endpoint = (
      await app.inject({
        method: 'POST',
        url: '/v1/webhook-endpoints',
        headers: json,
        payload: { url: 'https://hooks.example.com/promesse', events: ['*'] },
      })
    ).json();
    const promise = (await app.inject('/v1/promise?key=pk_test_fixture&sku=MUG-01&country=FR&postalCode=75011')).json();
    const booked = await book(undefined, { promiseId: promise.promiseId });
    const tn = booked.shipments[0].trackingNumber;
    now = Date.parse('2026-11-23T16:10:00Z');
    await track([{ trackingNumber: tn, code: 'PCK', occurredAt: '2026-11-23T16:10:00Z' }]);
    now = Date.parse('2026-11-24T08:00:00Z');
    await track([{ trackingNumber: tn, code: 'FAT', occurredAt: '2026-11-24T08:00:00Z', description: 'Absent' }]);
    now = Date.parse('2026-11-25T11:00:00Z');
    await track([{ trackingNumber: tn, code: 'DLV', occurredAt: '2026-11-25T11:00:00Z' }]);
    await app.relay.drain();

    const verifier = new Webhook(endpoint.secret);
    vi.useFakeTimers({ toFake: ['Date'] });
    const events = deliveries.map((d) => {
      vi.setSystemTime(Number(d.headers['webhook-timestamp']) * 1000);
      return verifier.verify(d.body, d.headers) as { type: string; data: Record<string, unknown> };
    });
    vi.useRealTimers();
    expect(events.map((e) => e.type)).toEqual([
      'order.accepted',
      'shipment.label_created',
      'shipment.status_changed',
      'shipment.status_changed',
      'shipment.exception',
      'shipment.status_changed',
      'shipment.delivered',
    ]);
    expect(events.at(-1)?.data).toMatchObject({
      orderId: booked.id,
      status: 'delivered',
      shipment: { status: 'delivered', trackingNumber: tn },
    });
    expect((await order(booked.id)).status).toBe('delivered');
  });
});

describe('signed carrier pushes', () => {
  it('accepts events signed with the carrier secret and refuses anything else', async () => {
    const { createHmac } = await import('node:crypto');
    const config = baseConfig();
    config.carriers[0]!.trackingSecret = 'carrier-shared-secret-0123456789';
    const app = await testApp({ merchants: [config] });
    try {
      const url = '/v1/tracking/carriers/test/colissimo/events';
      const body = JSON.stringify({
        events: [
          { trackingNumber: 'CA000000005FR', carrier: 'ignored', code: 'PCK', occurredAt: '2026-11-23T16:00:00Z' },
        ],
      });
      const signature = `sha256=${createHmac('sha256', 'carrier-shared-secret-0123456789').update(body).digest('hex')}`;
      const ok = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', 'x-promesse-signature': signature },
        payload: body,
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({
        applied: 0,
        unknown: 0,
        duplicates: 0,
        rejected: [{ index: 0, code: 'unknown_tracking_number' }],
      });
      const tampered = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', 'x-promesse-signature': signature },
        payload: body.replace('PCK', 'DLV'),
      });
      expect(tampered.statusCode).toBe(401);
      const unsigned = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: body,
      });
      expect(unsigned.statusCode).toBe(401);
      const noSecret = await app.inject({
        method: 'POST',
        url: '/v1/tracking/carriers/test/nope/events',
        headers: { 'content-type': 'application/json', 'x-promesse-signature': signature },
        payload: body,
      });
      expect(noSecret.statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});
