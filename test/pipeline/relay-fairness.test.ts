/**
 * One merchant must not stall another: webhook endpoints that accept and never answer cost their own merchant
 * its own delivery slots, while other merchants' labels and webhooks (and the slow merchant's own labels) go on.
 * A job that gives up holds nothing back and is seen: an exception and a metric.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sender } from '../../api/src/pipeline/webhooks/send.ts';
import type { MerchantConfig } from '../../shared/src/config.ts';
import { MONDAY_MORNING, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import { eventually } from '../fixtures/eventually.ts';
import { baseConfig } from '../fixtures/merchant.ts';

const stores = await storeFactories();
const json = { ...SECRET, 'content-type': 'application/json' };
const OTHER = { authorization: 'Bearer sk_test_other', 'content-type': 'application/json' };

function merchantNamed(id: string): MerchantConfig {
  const config = baseConfig();
  config.merchant = { id, name: `Shop ${id}`, currency: 'EUR' };
  config.keys = [{ key: `sk_test_${id}`, type: 'secret' }];
  config.limits = { writesPerMinutePerKey: 100_000 };
  return config;
}
const otherMerchant = () => merchantNamed('other');
const SLOW_MERCHANTS = ['slowa', 'slowb', 'slowc', 'slowd', 'slowe', 'slowf', 'slowg', 'slowh'];

describe.each(stores)('the relay under a slow receiver, on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  let release: () => void = () => {};
  afterEach(async () => {
    release();
    await app?.close();
  });

  const book = (headers: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...headers, 'idempotency-key': randomUUID() },
      payload: {
        reference: randomUUID(),
        optionId: 'colissimo-home',
        items: [{ sku: 'MUG-01', quantity: 1, unitPrice: 1000 }],
        shippingAddress: { name: 'Ada', line1: '1 rue', postalCode: '75011', city: 'Paris', country: 'FR' },
        totals: { items: 1000, shipping: 0, tax: 0, total: 1000, currency: 'EUR' },
      },
    });
  const endpoint = (headers: Record<string, string>, url: string) =>
    app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers, payload: { url, events: ['*'] } });

  it("leaves another merchant's labels and webhooks on time while eight merchants' endpoints never answer", async () => {
    const hanging = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inFlight = new Map<string, number>();
    const most = new Map<string, number>();
    const fastDelivered: string[] = [];
    const send: Sender = async (target, request) => {
      const [who] = target.url.hostname.split('.');
      if (who !== 'fast') {
        const merchant = String(who).split('-')[0] ?? '';
        inFlight.set(merchant, (inFlight.get(merchant) ?? 0) + 1);
        most.set(merchant, Math.max(most.get(merchant) ?? 0, inFlight.get(merchant) ?? 0));
        await hanging; // accepted, and no answer for as long as the test runs
        return { status: 200, excerpt: '' };
      }
      fastDelivered.push(JSON.parse(request.body).type);
      return { status: 200, excerpt: 'ok' };
    };
    app = await testApp({
      store: await makeStore(),
      now: () => Date.now(),
      merchants: [...SLOW_MERCHANTS.map(merchantNamed), otherMerchant()],
      pipeline: { allowPrivateWebhooks: false, resolve: async () => ['93.184.216.34'], send },
    });
    const slowOrders: [string, string][] = [];
    for (const id of SLOW_MERCHANTS) {
      const headers = { authorization: `Bearer sk_test_${id}`, 'content-type': 'application/json' };
      for (let i = 0; i < 3; i++)
        expect((await endpoint(headers, `https://${id}-${i}.example/hook`)).statusCode).toBe(201);
      for (let i = 0; i < 3; i++) slowOrders.push([id, (await book(headers)).json().id]);
    }
    expect((await endpoint(OTHER, 'https://fast.example/hook')).statusCode).toBe(201);
    const fast = (await book(OTHER)).json();

    app.relay.start();
    await eventually('the other merchant labelled and told', async () => {
      const order = (await app.inject({ url: `/v1/orders/${fast.id}`, headers: OTHER })).json();
      return order.shipments[0].trackingNumber !== null && fastDelivered.includes('shipment.label_created');
    });
    expect(fastDelivered).toEqual(expect.arrayContaining(['order.accepted', 'shipment.label_created']));
    // The slow merchants' own labels are not queued behind their webhooks either.
    await eventually('the slow merchants labelled', async () => {
      for (const [id, orderId] of slowOrders) {
        const headers = { authorization: `Bearer sk_test_${id}` };
        const order = (await app.inject({ url: `/v1/orders/${orderId}`, headers })).json();
        if (order.shipments[0].trackingNumber === null) return false;
      }
      return true;
    });
    // Their deliveries hang, but never more at once than a merchant's share of the webhook lane.
    expect(most.size).toBeGreaterThan(0);
    for (const [merchant, n] of most) expect(n, merchant).toBeLessThanOrEqual(4);
  });

  it('refuses a 17th endpoint for one merchant', async () => {
    app = await testApp({
      store: await makeStore(),
      pipeline: { allowPrivateWebhooks: false, resolve: async () => ['93.184.216.34'] },
    });
    for (let i = 0; i < 16; i++) expect((await endpoint(json, `https://h${i}.example/`)).statusCode).toBe(201);
    const over = await endpoint(json, 'https://h16.example/');
    expect(over.statusCode).toBe(409);
    expect(over.json().code).toBe('limit_reached');
  });

  it('delivers later events once an earlier delivery is dead, and shows the dead one as an exception and a metric', async () => {
    let now = MONDAY_MORNING;
    const delivered: string[] = [];
    const send: Sender = async (_target, request) => {
      const type = JSON.parse(request.body).type as string;
      if (type === 'order.accepted') return { status: 500, excerpt: 'ERP down' };
      delivered.push(type);
      return { status: 200, excerpt: 'ok' };
    };
    app = await testApp({
      store: await makeStore(),
      now: () => now,
      pipeline: { allowPrivateWebhooks: false, resolve: async () => ['93.184.216.34'], send },
    });
    await endpoint(json, 'https://erp.example/hook');
    const order = (await book(json)).json();
    await app.relay.drain();
    // While order.accepted is retried, what follows it for this order and endpoint waits: order is kept.
    expect(delivered).toEqual([]);
    for (let i = 0; i < 10 && delivered.length === 0; i++) {
      now += 11 * 3_600_000;
      await app.relay.drain();
    }
    expect(delivered).toEqual(['shipment.label_created']);
    const exceptions = (await app.inject({ url: '/v1/exceptions', headers: SECRET })).json().data;
    expect(exceptions).toEqual([
      expect.objectContaining({ kind: 'outbox', reason: 'delivery_failed', orderId: order.id, shipmentId: null }),
    ]);
    expect(exceptions[0].detail).toContain('order.accepted');
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toMatch(/promesse_outbox_dead_total\{type="webhook.deliver"\} 1/);
    expect(metrics).toMatch(/promesse_outbox_jobs\{state="dead"\} 1/);
  });

  it('logs "connected, no answer" apart from "could not connect"', async () => {
    const { DeliveryFailure } = await import('../../api/src/pipeline/webhooks/send.ts');
    const send: Sender = async (target) => {
      if (target.url.hostname === 'silent.example')
        throw new DeliveryFailure('no_answer', 'connected, no answer within 15000 ms');
      throw new DeliveryFailure('no_connection', 'could not connect (ECONNREFUSED)');
    };
    app = await testApp({
      store: await makeStore(),
      pipeline: { allowPrivateWebhooks: false, resolve: async () => ['93.184.216.34'], send },
    });
    const silent = (await endpoint(json, 'https://silent.example/')).json();
    const closed = (await endpoint(json, 'https://closed.example/')).json();
    await book(json);
    await app.relay.drain();
    const attempts = async (id: string) =>
      (await app.inject({ url: `/v1/webhook-endpoints/${id}/attempts`, headers: SECRET })).json().data;
    expect((await attempts(silent.id))[0]).toMatchObject({ outcome: 'no_answer', status: null });
    expect((await attempts(closed.id))[0]).toMatchObject({ outcome: 'no_connection', status: null });
  });
});
