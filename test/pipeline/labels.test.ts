import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { PDFDocument } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { isValidS10 } from '../../api/src/pipeline/carriers/tracking-number.ts';
import type { Store } from '../../api/src/store/store.ts';
import { bookOne, MONDAY_MORNING, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';

const stores = await storeFactories();

describe.each(stores)('labels through the outbox on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  let store: Store;
  let now = MONDAY_MORNING;
  const start = async () => {
    store = await makeStore();
    const other = baseConfig();
    other.merchant.id = 'other';
    other.keys = [{ key: 'sk_test_other', type: 'secret' }];
    now = MONDAY_MORNING;
    app = await testApp({ store, now: () => now, merchants: [baseConfig(), other] });
  };
  afterEach(async () => app?.close());

  const book = async () =>
    (
      await bookOne(app, {
        items: [{ sku: 'MUG-01', quantity: 2, unitPrice: 1290 }],
        shippingAddress: {
          name: 'Ada Lovelace',
          line1: '10 rue de la Roquette',
          postalCode: '75011',
          city: 'Paris',
          country: 'FR',
        },
        totals: { items: 2580, shipping: 1639, tax: 0, total: 4219, currency: 'EUR' },
      })
    ).json();

  it('creates a label for every shipment: S10 tracking number, 4×6 PDF, order in preparation', async () => {
    await start();
    const order = await book();
    expect(await app.relay.drain()).toBe(3); // order.accepted, shipment.requested, shipment.label_created
    const stored = (await app.inject({ url: `/v1/orders/${order.id}`, headers: SECRET })).json();
    expect(stored.status).toBe('in_preparation');
    const [shipment] = stored.shipments;
    expect(shipment.status).toBe('label_created');
    expect(isValidS10(shipment.trackingNumber)).toBe(true);
    // Claimed before the carrier is called (no edit from then on), then labelled.
    expect(stored.timeline.map((t: { type: string }) => t.type)).toEqual([
      'order.accepted',
      'shipment.label_requested',
      'shipment.label_created',
    ]);

    const label = await app.inject({ url: `/v1/shipments/${shipment.id}/label`, headers: SECRET });
    expect(label.statusCode).toBe(200);
    expect(label.headers['content-type']).toBe('application/pdf');
    const pdf = await PDFDocument.load(label.rawPayload);
    expect(pdf.getPages().map((p) => [p.getWidth(), p.getHeight()])).toEqual([[288, 432]]);
    expect(pdf.getTitle()).toBe(`Label ${shipment.trackingNumber}`);
    expect(
      (
        await app.inject({
          url: `/v1/shipments/${shipment.id}/label`,
          headers: { authorization: 'Bearer sk_test_other' },
        })
      ).statusCode,
    ).toBe(404);
  });

  it('never creates a second label when the job runs again', async () => {
    await start();
    const order = await book();
    await app.relay.drain();
    const first = (await app.inject({ url: `/v1/orders/${order.id}`, headers: SECRET })).json().shipments[0];
    // The same message delivered again (at least once): nothing changes.
    await store.placeOrder(
      'test',
      { ...order, id: `ord_${randomUUID()}`, reference: randomUUID(), shipments: [] },
      [],
      [{ type: 'shipment.requested', orderId: order.id, payload: { orderId: order.id, shipmentId: first.id } }],
    );
    await app.relay.drain();
    const after = (await app.inject({ url: `/v1/orders/${order.id}`, headers: SECRET })).json();
    expect(after.shipments[0].trackingNumber).toBe(first.trackingNumber);
    expect(after.timeline.filter((t: { type: string }) => t.type === 'shipment.label_created')).toHaveLength(1);
  });

  it('retries a failing job with backoff, buries it after the last attempt, and replays it on request', async () => {
    await start();
    const config = app.merchants.byId('test')?.merchant.carriers[0] as { adapter: string };
    config.adapter = 'missing-adapter';
    const order = await book();
    await app.relay.drain();
    let job = (await app.inject({ url: '/v1/outbox?state=pending', headers: SECRET })).json().data[0];
    expect(job).toMatchObject({
      type: 'shipment.requested',
      attempts: 1,
      lastError: expect.stringContaining('missing-adapter'),
    });
    expect(Object.keys(job).sort()).toEqual([
      'attempts',
      'availableAt',
      'createdAt',
      'id',
      'lastError',
      'orderId',
      'payload',
      'state',
      'type',
    ]);
    expect(Date.parse(job.availableAt) - now).toBeGreaterThanOrEqual(800);
    for (let attempt = 2; attempt <= 10; attempt++) {
      now += 3_600_000 * 1.3;
      await app.relay.drain();
    }
    const dead = (await app.inject({ url: '/v1/outbox', headers: SECRET })).json().data;
    expect(dead.map((j: { type: string; attempts: number }) => [j.type, j.attempts])).toEqual([
      ['shipment.requested', 10],
    ]);
    expect((await app.inject({ url: `/v1/orders/${order.id}`, headers: SECRET })).json().shipments[0].status).toBe(
      'pending',
    );

    config.adapter = 'sandbox';
    const replay = await app.inject({ method: 'POST', url: `/v1/outbox/${dead[0].id}/replay`, headers: SECRET });
    expect(replay.json()).toEqual({ replayed: true });
    await app.relay.drain();
    expect((await app.inject({ url: `/v1/orders/${order.id}`, headers: SECRET })).json().shipments[0].status).toBe(
      'label_created',
    );
    job = await app.inject({ method: 'POST', url: `/v1/outbox/${dead[0].id}/replay`, headers: SECRET });
    expect(job.statusCode).toBe(404);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/v1/outbox/${dead[0].id}/replay`,
          headers: { authorization: 'Bearer sk_test_other' },
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe.each(stores)('a worker that dies holding jobs, on %s', (_name, makeStore) => {
  it('has its jobs done by another worker once the lease expires', async () => {
    let now = MONDAY_MORNING;
    const store = await makeStore();
    const app = await testApp({ store, now: () => now });
    try {
      const response = await bookOne(app);
      const orderId = response.json().id;
      // A worker leases everything due, then dies without finishing (no complete, no release).
      const leased = await store.claimOutboxJobs('worker_that_died', 10, now, 30_000);
      expect(leased).toHaveLength(1);
      expect(await app.relay.runOnce()).toBe(0); // still leased
      now += 31_000;
      await app.relay.drain();
      expect((await app.inject({ url: `/v1/orders/${orderId}`, headers: SECRET })).json().shipments[0].status).toBe(
        'label_created',
      );
    } finally {
      await app.close();
    }
  });
});

describe.each(stores)('two relays on one store, on %s', (_name, makeStore) => {
  it('never run the same job twice', async () => {
    const { OutboxRelay } = await import('../../api/src/pipeline/outbox-relay.ts');
    const store = await makeStore();
    const config = baseConfig();
    config.limits = { writesPerMinutePerKey: 100_000 };
    const app = await testApp({ store, merchants: [config] });
    try {
      for (let i = 0; i < 20; i++) {
        await bookOne(app);
      }
      const runs: string[] = [];
      const counting = (name: string) =>
        new OutboxRelay({
          store,
          clock: () => MONDAY_MORNING,
          lanes: [{ name: 'main', concurrency: 3, perMerchant: 3, perLaneKey: 3 }],
          handlers: { 'shipment.requested': async (job) => void runs.push(`${name}:${job.id}`) },
        });
      const [a, b] = [counting('a'), counting('b')];
      for (;;) {
        const [x, y] = await Promise.all([a.runOnce(), b.runOnce()]);
        if (x + y === 0) break;
      }
      const jobs = runs.map((r) => r.split(':')[1]);
      expect(jobs).toHaveLength(20);
      expect(new Set(jobs).size).toBe(20);
    } finally {
      await app.close();
    }
  });
});
