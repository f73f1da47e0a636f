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
import { baseConfig } from '../fixtures/merchant.ts';

const stores = await storeFactories();
const json = { ...SECRET, 'content-type': 'application/json' };
const OTHER = { authorization: 'Bearer sk_test_other', 'content-type': 'application/json' };

function otherMerchant(): MerchantConfig {
  const config = baseConfig();
  config.merchant = { id: 'other', name: 'Other Shop', currency: 'EUR' };
  config.keys = [{ key: 'sk_test_other', type: 'secret' }];
  return config;
}

/** Polls until `check` holds (the relay runs on its own timers); fails with `what` after `ms`. */
async function eventually(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`still waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

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

  it("leaves another merchant's labels and webhooks on time while one merchant's endpoints never answer", async () => {
    const hanging = new Promise<void>((resolve) => {
      release = resolve;
    });
    let slowInFlight = 0;
    let slowMost = 0;
    const fastDelivered: string[] = [];
    const send: Sender = async (target, request) => {
      if (target.url.hostname.startsWith('slow')) {
        slowInFlight++;
        slowMost = Math.max(slowMost, slowInFlight);
        await hanging; // accepted, and no answer for as long as the test runs
        slowInFlight--;
        return { status: 200, excerpt: '' };
      }
      fastDelivered.push(JSON.parse(request.body).type);
      return { status: 200, excerpt: 'ok' };
    };
    const config = baseConfig();
    config.limits = { writesPerMinutePerKey: 100_000 };
    app = await testApp({
      store: await makeStore(),
      now: () => Date.now(),
      merchants: [config, otherMerchant()],
      webhooks: { allowPrivateWebhooks: false, resolve: async () => ['93.184.216.34'], send },
    });
    for (let i = 0; i < 6; i++) expect((await endpoint(json, `https://slow${i}.example/hook`)).statusCode).toBe(201);
    const slowOrders: string[] = [];
    for (let i = 0; i < 8; i++) slowOrders.push((await book(json)).json().id);
    expect((await endpoint(OTHER, 'https://fast.example/hook')).statusCode).toBe(201);
    const fast = (await book(OTHER)).json();

    app.relay.start();
    await eventually('the other merchant labelled and told', async () => {
      const order = (await app.inject({ url: `/v1/orders/${fast.id}`, headers: OTHER })).json();
      return order.shipments[0].trackingNumber !== null && fastDelivered.includes('shipment.label_created');
    });
    expect(fastDelivered).toEqual(expect.arrayContaining(['order.accepted', 'shipment.label_created']));
    // The slow merchant's own labels are not queued behind its webhooks either.
    await eventually('the slow merchant labelled', async () => {
      for (const id of slowOrders) {
        const order = (await app.inject({ url: `/v1/orders/${id}`, headers: SECRET })).json();
        if (order.shipments[0].trackingNumber === null) return false;
      }
      return true;
    });
    // Its deliveries hang, but never more at once than its share of the webhook lane.
    expect(slowInFlight).toBeGreaterThan(0);
    expect(slowMost).toBeLessThanOrEqual(4);
  });

  it('refuses a 17th endpoint for one merchant', async () => {
    app = await testApp({
      store: await makeStore(),
      webhooks: { allowPrivateWebhooks: false, resolve: async () => ['93.184.216.34'] },
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
      webhooks: { allowPrivateWebhooks: false, resolve: async () => ['93.184.216.34'], send },
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
      webhooks: { allowPrivateWebhooks: false, resolve: async () => ['93.184.216.34'], send },
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
