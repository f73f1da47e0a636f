/**
 * Event streams to RabbitMQ (CONTRACT §8) against the real broker on the machine, on both stores: the exchange
 * declared durable at start, every event published persistent with its id, type and body, confirmed before
 * its job is done, and every event arriving at least once, in order per order, while the consumer stops, the
 * broker goes away (a proxy in between is cut) and comes back, the publisher's channel is closed under it (its
 * exchange deleted mid-stream), and the broker itself is stopped and started again (rabbitmqctl).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../api/src/pipeline/events.ts';
import type { MerchantConfig } from '../../shared/src/config.ts';
import { bookOne, MONDAY_MORNING, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import { eventually } from '../fixtures/eventually.ts';
import { baseConfig } from '../fixtures/merchant.ts';
import {
  BrokerProxy,
  brokerControllable,
  rabbitAvailable,
  restartBroker,
  TEST_AMQP_URL,
  TestQueue,
} from '../fixtures/rabbitmq.ts';

const stores = (await rabbitAvailable()) ? await storeFactories() : [];
const restartable = stores.length > 0 && (await brokerControllable());
const MINUTE = 60_000;

function withSink(url: string, exchange: string): MerchantConfig {
  const config = baseConfig();
  config.sinks = [{ id: 'erp', type: 'amqp', url, exchange }];
  return config;
}

describe.skipIf(stores.length === 0).each(stores)('event streams to RabbitMQ on %s', (_name, makeStore) => {
  let proxy: BrokerProxy;
  let queue: TestQueue;
  let app: FastifyInstance;
  let now = MONDAY_MORNING;

  beforeAll(async () => {
    proxy = await new BrokerProxy().start();
  });
  afterAll(async () => proxy.stop());
  beforeEach(async () => {
    now = MONDAY_MORNING;
    const exchange = `promesse.test.${randomUUID()}`;
    queue = await new TestQueue(exchange, `erp.${randomUUID()}`).open();
    app = await testApp({
      store: await makeStore(),
      now: () => now,
      merchants: [withSink(proxy.url, exchange)],
      pipeline: { amqp: { connectTimeoutMs: 1000, confirmTimeoutMs: 3000 } },
    });
  });
  afterEach(async () => {
    await app.close();
    await queue.close();
    await proxy.restore().catch(() => {});
  });

  /** The events the outbox announced, oldest first: what the queue must hold. */
  const announced = async () => {
    const done = await app.store.listOutboxJobs('test', 'done', 10_000);
    return done.filter((job) => (EVENT_TYPES as readonly string[]).includes(job.type)).sort((a, b) => a.id - b.id);
  };
  const pending = async () =>
    (await app.inject({ url: '/v1/outbox?state=pending', headers: SECRET })).json().data as {
      type: string;
      lastError: string | null;
    }[];
  const book = async () => {
    const response = await bookOne(app);
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  };

  it('declares the exchange durable at start', async () => {
    const exchange = `promesse.declared.${randomUUID()}`;
    await app.close();
    app = await testApp({ store: await makeStore(), merchants: [withSink(proxy.url, exchange)] });
    expect(await queue.exchangeExists(exchange)).toBe(false);
    await app.declareSinks();
    expect(await queue.isDurableTopic(exchange)).toBe(true);
    await new TestQueue(exchange, `gone.${randomUUID()}`)
      .open()
      .then((q) => q.close())
      .catch(() => {});
  });

  it('publishes each event once the broker confirms it: persistent JSON, id, type as routing key, the webhook body', async () => {
    await queue.consume();
    const orderId = await book();
    await app.relay.drain(); // order.accepted, then the label and shipment.label_created
    const events = await announced();
    expect(events.map((e) => e.type)).toEqual(['order.accepted', 'shipment.label_created']);
    await eventually('both events in the queue', async () => queue.received.length >= 2);
    const [accepted, labelled] = queue.received;
    expect(accepted).toMatchObject({
      messageId: `evt_${events[0]?.id}`,
      routingKey: 'order.accepted',
      persistent: true,
      contentType: 'application/json',
      timestamp: Math.floor(Date.parse(String(events[0]?.createdAt)) / 1000),
    });
    expect(accepted?.body).toMatchObject({
      id: accepted?.messageId,
      type: 'order.accepted',
      data: { order: { id: orderId } },
    });
    expect(labelled?.routingKey).toBe('shipment.label_created');
    expect(labelled?.body).toMatchObject({ type: 'shipment.label_created', data: { orderId } });
    // Nothing left waiting: each publish job was done only after its confirm.
    expect((await pending()).filter((job) => job.type === 'stream.publish')).toEqual([]);
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.body).toContain('promesse_stream_publishes_total{sink="erp",outcome="confirmed"} 2');
  });

  it('keeps an event no queue is bound for in the outbox until one is, rather than letting the broker drop it', async () => {
    const unbound = `promesse.unbound.${randomUUID()}`;
    await app.close();
    app = await testApp({
      store: await makeStore(),
      now: () => now,
      merchants: [withSink(proxy.url, unbound)],
      pipeline: { amqp: { connectTimeoutMs: 1000, confirmTimeoutMs: 3000 } },
    });
    await book();
    await app.relay.drain();
    const waiting = (await pending()).filter((job) => job.type === 'stream.publish');
    expect(waiting.length).toBeGreaterThanOrEqual(1);
    expect(waiting.find((job) => job.lastError)?.lastError).toContain(`no queue is bound to ${unbound}`);
    const late = await new TestQueue(unbound, `late.${randomUUID()}`).open();
    try {
      await late.consume();
      for (let i = 0; i < 4; i++) {
        now += 10 * MINUTE;
        await app.relay.drain();
      }
      await eventually('the waiting events in the late queue', async () => late.received.length >= 2);
      expect(late.received.map((m) => m.routingKey)).toEqual(['order.accepted', 'shipment.label_created']);
    } finally {
      await late.close();
    }
  });

  it('delivers every event at least once, in order per order, across a stopped consumer, a broker outage and a closed channel', async () => {
    await queue.consume();
    const first = await book();
    await app.relay.drain();
    await eventually('the first order’s events', async () => queue.received.length >= 2);

    // The consumer stops; the broker goes away while two more orders are booked and labelled.
    await queue.pause();
    await proxy.cut();
    const second = await book();
    const third = await book();
    await app.relay.drain();
    const waiting = (await pending()).filter((job) => job.type === 'stream.publish');
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    expect(waiting.find((job) => job.lastError)?.lastError).toMatch(/^sink erp: /);
    expect((await app.inject({ url: '/metrics' })).body).toMatch(
      /promesse_stream_publishes_total\{sink="erp",outcome="failed"\} [1-9]/,
    );

    // Back: the retries publish what waited, labels' events follow.
    await proxy.restore();
    for (let i = 0; i < 6; i++) {
      now += 10 * MINUTE;
      await app.relay.drain();
    }
    expect((await pending()).filter((job) => job.type === 'stream.publish')).toEqual([]);

    // The exchange is deleted under the publisher: its next publish closes its channel, and is retried.
    await queue.deleteExchange();
    const fourth = await book();
    await app.relay.drain();
    expect(
      (await pending()).some((job) => job.type === 'stream.publish' && /NOT_FOUND|closed/i.test(job.lastError ?? '')),
    ).toBe(true);
    await queue.bind(); // the merchant's side binds its queue again
    for (let i = 0; i < 6; i++) {
      now += 10 * MINUTE;
      await app.relay.drain();
    }

    await queue.consume();
    const events = await announced();
    expect(events).toHaveLength(8); // four orders, each accepted and labelled
    const expected = events.map((e) => `evt_${e.id}`);
    await eventually(
      'every event in the queue',
      async () => expected.every((id) => queue.received.some((m) => m.messageId === id)),
      20_000,
    );
    // In order per order: each order's events arrive (first time) in the order they happened.
    for (const orderId of [first, second, third, fourth]) {
      const ids = events.filter((e) => e.orderId === orderId).map((e) => `evt_${e.id}`);
      const arrived = [...new Set(queue.received.map((m) => m.messageId))].filter((id) => ids.includes(id));
      expect(arrived).toEqual(ids);
    }
  });

  it.runIf(restartable)('delivers every event at least once across a real restart of the broker', async () => {
    await app.close();
    app = await testApp({
      store: await makeStore(),
      now: () => now,
      merchants: [withSink(TEST_AMQP_URL, queue.exchange)],
      pipeline: { amqp: { connectTimeoutMs: 1000, confirmTimeoutMs: 3000 } },
    });
    await queue.consume();
    const first = await book();
    await app.relay.drain();
    await eventually('the first order’s events', async () => queue.received.length >= 2);
    let second = '';
    await restartBroker(async () => {
      second = await book();
      await app.relay.drain(); // its publishes fail while the broker is stopped
      expect((await pending()).some((job) => job.type === 'stream.publish' && job.lastError)).toBe(true);
    });
    await eventually(
      'the waiting publishes through',
      async () => {
        now += 10 * MINUTE;
        await app.relay.drain();
        return (await pending()).length === 0;
      },
      30_000,
    );
    // The consumer's own connection died with the broker: it comes back, and finds the queue kept its messages.
    await queue.open();
    await queue.consume();
    const events = await announced();
    expect(events.filter((e) => e.orderId === second)).toHaveLength(2);
    await eventually('every event in the queue', async () =>
      events.every((e) => queue.received.some((m) => m.messageId === `evt_${e.id}`)),
    );
    expect(events.filter((e) => e.orderId === first)).toHaveLength(2);
  });
});
