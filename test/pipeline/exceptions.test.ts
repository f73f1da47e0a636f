import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { scanForExceptions } from '../../api/src/pipeline/exceptions.ts';
import type { Sender } from '../../api/src/pipeline/webhooks/send.ts';
import { bookOne, MONDAY_MORNING, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';

const stores = await storeFactories();
const json = { ...SECRET, 'content-type': 'application/json' };

describe.each(stores)('the exception queue on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  let now = MONDAY_MORNING;
  const sent: { type: string; data: Record<string, unknown> }[] = [];
  const send: Sender = async (_target, request) => {
    sent.push(JSON.parse(request.body));
    return { status: 204, excerpt: '' };
  };
  afterEach(async () => {
    await app?.close();
    sent.length = 0;
  });

  const start = async () => {
    now = MONDAY_MORNING;
    const other = baseConfig();
    other.merchant.id = 'other';
    other.keys = [{ key: 'sk_test_other', type: 'secret' }];
    app = await testApp({
      store: await makeStore(),
      now: () => now,
      merchants: [baseConfig(), other],
      pipeline: { resolve: async () => ['93.184.216.34'], send },
    });
    await app.inject({
      method: 'POST',
      url: '/v1/webhook-endpoints',
      headers: json,
      payload: { url: 'https://hooks.example.com/x', events: ['shipment.exception'] },
    });
  };
  const bookAndLabel = async () => {
    const response = await bookOne(app);
    await app.relay.drain();
    return (await app.inject({ url: `/v1/orders/${response.json().id}`, headers: SECRET })).json();
  };
  const open = async (key = SECRET) => (await app.inject({ url: '/v1/exceptions', headers: key })).json().data;

  it('opens one exception per failed attempt, with the next action, and lets the team acknowledge and resolve it', async () => {
    await start();
    const order = await bookAndLabel();
    const event = {
      trackingNumber: order.shipments[0].trackingNumber,
      carrier: 'colissimo',
      code: 'FAT',
      occurredAt: '2026-11-24T09:00:00Z',
      eventId: 'f1',
      description: 'Absent',
    };
    await app.inject({
      method: 'POST',
      url: '/v1/tracking/events',
      headers: json,
      payload: { events: [event, event] },
    });
    await app.relay.drain();
    const [exception] = await open();
    expect(await open()).toHaveLength(1);
    expect(exception).toMatchObject({
      orderId: order.id,
      reason: 'failed_attempt',
      detail: 'Absent',
      state: 'open',
      nextAction: expect.stringContaining('customer'),
    });
    expect(sent.map((e) => [e.type, e.data.reason])).toEqual([['shipment.exception', 'failed_attempt']]);
    expect(await open({ authorization: 'Bearer sk_test_other' })).toEqual([]);
    const denied = await app.inject({
      method: 'POST',
      url: `/v1/exceptions/${exception.id}/acknowledge`,
      headers: { authorization: 'Bearer sk_test_other' },
    });
    expect(denied.statusCode).toBe(404);

    const acknowledged = await app.inject({
      method: 'POST',
      url: `/v1/exceptions/${exception.id}/acknowledge`,
      headers: SECRET,
    });
    expect(acknowledged.json().state).toBe('acknowledged');
    expect(await open()).toEqual([]);
    const resolved = await app.inject({
      method: 'POST',
      url: `/v1/exceptions/${exception.id}/resolve`,
      headers: json,
      payload: { note: 'Redelivered on Wednesday' },
    });
    expect(resolved.json()).toMatchObject({ state: 'resolved', note: 'Redelivered on Wednesday' });
  });

  it('opens no_scan after a silence and late after the promised date, once each', async () => {
    await start();
    const order = await bookAndLabel();
    const scan = () =>
      scanForExceptions({ store: app.store, clock: () => now, noScanMs: 48 * 3_600_000, giveUpMs: 30 * 86_400_000 });
    expect(await scan()).toBe(0);
    now += 49 * 3_600_000; // Wednesday 10:00, still within the promise (latest 25 November)
    expect(await scan()).toBe(1);
    expect(await scan()).toBe(0);
    now = Date.parse('2026-11-26T09:00:00Z');
    expect(await scan()).toBe(1);
    await app.relay.drain();
    expect((await open()).map((e: { reason: string }) => e.reason).sort()).toEqual(['late', 'no_scan']);
    expect(sent.map((e) => e.data.reason).sort()).toEqual(['late', 'no_scan']);
    expect(order.shipments[0].promisedDelivery.latest).toBe('2026-11-25');
  });
});
