import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { MerchantConfig } from '../../shared/src/config.ts';
import { MONDAY_MORNING, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import { baseConfig, withLyon } from '../fixtures/merchant.ts';

const stores = await storeFactories();

const headers = (key: string = randomUUID(), secret = SECRET.authorization) => ({
  authorization: secret,
  'content-type': 'application/json',
  'idempotency-key': key,
});

function orderBody(overrides: Record<string, unknown> = {}, lines = [{ sku: 'MUG-01', quantity: 1, unitPrice: 1290 }]) {
  const items = lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  return {
    reference: `R-${randomUUID().slice(0, 8)}`,
    channel: 'web',
    optionId: 'colissimo-home',
    items: lines,
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '10 rue de la Roquette',
      postalCode: '75011',
      city: 'Paris',
      country: 'FR',
    },
    totals: { items, shipping: 759, tax: 0, total: items + 759, currency: 'EUR' },
    ...overrides,
  };
}

describe.each(stores)('orders on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  let now = MONDAY_MORNING;
  const start = async (merchants?: MerchantConfig[]) => {
    now = MONDAY_MORNING;
    app = await testApp({ store: await makeStore(), now: () => now, ...(merchants ? { merchants } : {}) });
    return app;
  };
  const book = (body: unknown, key?: string) =>
    app.inject({ method: 'POST', url: '/v1/orders', headers: headers(key), payload: body as object });
  const reserved = async (sku = 'MUG-01') =>
    (await app.inject({ url: `/v1/inventory/${sku}`, headers: SECRET }))
      .json()
      .warehouses.map((w: { reserved: number }) => w.reserved);
  afterEach(async () => app?.close());

  it('books an order: 201 with shipments, promised dates and the timeline, and reserves the stock', async () => {
    await start();
    const response = await book(orderBody());
    expect(response.statusCode).toBe(201);
    const order = response.json();
    expect(order).toMatchObject({
      status: 'accepted',
      optionId: 'colissimo-home',
      createdAt: '2026-11-23T09:00:00.000Z',
      shipments: [
        {
          warehouse: 'paris',
          carrier: 'colissimo',
          service: 'colissimo-home',
          items: [{ sku: 'MUG-01', quantity: 1 }],
          promisedDelivery: { earliest: '2026-11-24', latest: '2026-11-25' },
          status: 'pending',
          trackingNumber: null,
        },
      ],
      timeline: [{ type: 'order.accepted', actor: expect.stringMatching(/^api_key:/) }],
    });
    expect(order.id).toMatch(/^ord_/);
    expect(order.shipments[0].id).toMatch(/^shp_/);
    expect(response.headers.location).toBe(`/v1/orders/${order.id}`);
    expect(await reserved()).toEqual([1]);
    expect((await app.inject({ url: `/v1/orders/${order.id}`, headers: SECRET })).json().id).toBe(order.id);
    const found = await app.inject({ url: `/v1/orders?reference=${order.reference}&channel=web`, headers: SECRET });
    expect(found.json().data.map((o: { id: string }) => o.id)).toEqual([order.id]);
  });

  it('replays the first answer byte for byte for the same key and body', async () => {
    await start();
    const key = randomUUID();
    const body = orderBody();
    const first = await book(body, key);
    const again = await book({ ...body, totals: { ...body.totals } }, key);
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await reserved()).toEqual([1]);
  });

  it('answers 422 idempotency_key_reused for the same key with another body', async () => {
    await start();
    const key = randomUUID();
    await book(orderBody(), key);
    const other = await book(orderBody(), key);
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('idempotency_key_reused');
  });

  it('answers 409 duplicate_reference for the same reference and channel under another key', async () => {
    await start();
    const body = orderBody();
    const first = (await book(body)).json();
    const second = await book(body);
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'duplicate_reference', orderId: first.id });
    expect(await reserved()).toEqual([1]);
  });

  it('answers 409 out_of_stock with details per sku, and stores that answer for the key', async () => {
    await start();
    const key = randomUUID();
    const body = orderBody(
      { totals: { items: 41 * 1290, shipping: 759, tax: 0, total: 41 * 1290 + 759, currency: 'EUR' } },
      [{ sku: 'MUG-01', quantity: 41, unitPrice: 1290 }],
    );
    const response = await book(body, key);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'out_of_stock', details: [{ sku: 'MUG-01', code: 'out_of_stock' }] });
    const replay = await book(body, key);
    expect(replay.body).toBe(response.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it.each([
    [
      'totals that do not add up',
      { totals: { items: 1, shipping: 759, tax: 0, total: 760, currency: 'EUR' } },
      'totals.items',
      'does_not_add_up',
    ],
    [
      'a total that is not items + shipping + tax',
      { totals: { items: 1290, shipping: 759, tax: 10, total: 2049, currency: 'EUR' } },
      'totals.total',
      'does_not_add_up',
    ],
    [
      'another currency',
      { totals: { items: 1290, shipping: 759, tax: 0, total: 2049, currency: 'USD' } },
      'totals.currency',
      'currency_mismatch',
    ],
    [
      'a postal code that is not French',
      { shippingAddress: { name: 'A', line1: 'x', postalCode: '7501', city: 'Paris', country: 'FR' } },
      'shippingAddress.postalCode',
      'invalid_for_country',
    ],
    ['an option that is not offered', { optionId: 'teleport' }, 'optionId', 'not_offered'],
    ['a forged promiseId', { promiseId: 'prm_eyJ4Ijox.forged' }, 'promiseId', 'invalid'],
  ])('answers 422 validation_failed for %s, and does not keep the key', async (_case, overrides, field, code) => {
    await start();
    const key = randomUUID();
    const response = await book(orderBody(overrides), key);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'validation_failed',
      details: expect.arrayContaining([{ field, code }]),
    });
    expect((await book(orderBody(), key)).statusCode).toBe(201); // the fixed request goes through with the same key
  });

  it('answers 422 for an unknown sku', async () => {
    await start();
    const response = await book(orderBody({}, [{ sku: 'NOPE', quantity: 1, unitPrice: 1290 }]));
    expect(response.json().details).toEqual(expect.arrayContaining([{ field: 'items[0].sku', code: 'unknown_sku' }]));
  });

  it('answers 400 without an Idempotency-Key or with a malformed body, and 403 for a publishable key', async () => {
    await start();
    const noKey = await app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...SECRET, 'content-type': 'application/json' },
      payload: orderBody(),
    });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().details).toEqual([{ field: 'Idempotency-Key', code: 'required' }]);
    const publishable = await app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: headers(undefined, 'Bearer pk_test_fixture'),
      payload: orderBody(),
    });
    expect(publishable.statusCode).toBe(403);
    const malformed = await book({ reference: 'x' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('invalid_request');
  });

  it('honours at for test keys and refuses it with a live key', async () => {
    const live = baseConfig();
    live.keys = [{ key: 'sk_live_fixture', type: 'secret' }];
    await start([live]);
    const response = await app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: headers(undefined, 'Bearer sk_live_fixture'),
      payload: orderBody({ at: '2026-11-23T10:00:00Z' }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual([{ field: 'at', code: 'test_key_required' }]);
    await app.close();
    await start();
    const test = await book(orderBody({ at: '2026-11-24T15:00:00Z' }));
    expect(test.json()).toMatchObject({
      createdAt: '2026-11-24T15:00:00.000Z',
      shipments: [{ dispatchDate: '2026-11-25' }],
    });
  });

  it('keeps the dates of a valid promiseId, books an expired one that did not get worse, refuses one that did', async () => {
    const config = baseConfig();
    await start([config]);
    const promise = (await app.inject('/v1/promise?key=pk_test_fixture&sku=MUG-01&country=FR&postalCode=75011')).json();
    expect(promise.options[0].delivery).toEqual({ earliest: '2026-11-24', latest: '2026-11-25' });

    // Within its 15 minutes: booked at the dates shown.
    now = MONDAY_MORNING + 10 * 60_000;
    const kept = await book(orderBody({ promiseId: promise.promiseId }));
    expect(kept.statusCode).toBe(201);
    expect(kept.json().shipments[0].promisedDelivery).toEqual({ earliest: '2026-11-24', latest: '2026-11-25' });

    // Expired but the same terms: booked.
    now = MONDAY_MORNING + 20 * 60_000;
    expect((await book(orderBody({ promiseId: promise.promiseId }))).statusCode).toBe(201);

    // Expired after the cut-off: the dates moved, so the booking is refused with the new options.
    now = Date.parse('2026-11-23T13:30:00Z');
    const late = await book(orderBody({ promiseId: promise.promiseId }));
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({
      code: 'promise_expired',
      details: [{ id: 'colissimo-home', delivery: { earliest: '2026-11-25' } }],
    });
  });

  it('refuses a promiseId issued for another cart', async () => {
    await start();
    const promise = (
      await app.inject('/v1/promise?key=pk_test_fixture&sku=MUG-01&quantity=2&country=FR&postalCode=75011')
    ).json();
    const response = await book(orderBody({ promiseId: promise.promiseId }));
    expect(response.json().details).toEqual([{ field: 'promiseId', code: 'does_not_match_order' }]);
  });

  it('books a bundle by its components and a backorder against incoming stock', async () => {
    const config = baseConfig();
    config.inventory = [
      { warehouse: 'paris', sku: 'MUG-01', onHand: 2, incoming: [{ quantity: 10, expectedAt: '2026-12-04' }] },
      { warehouse: 'paris', sku: 'TEE-02', onHand: 5 },
    ];
    await start([config]);
    const gift = await book(
      orderBody({ totals: { items: 4490, shipping: 1639, tax: 0, total: 6129, currency: 'EUR' } }, [
        { sku: 'GIFT-01', quantity: 1, unitPrice: 4490 },
      ]),
    );
    expect(gift.statusCode).toBe(201);
    expect(gift.json().shipments[0].reservations).toEqual(
      expect.arrayContaining([
        { sku: 'MUG-01', quantity: 2, backorder: false },
        { sku: 'TEE-02', quantity: 1, backorder: false },
      ]),
    );
    const backorder = await book(
      orderBody({ totals: { items: 3 * 1290, shipping: 759, tax: 0, total: 3 * 1290 + 759, currency: 'EUR' } }, [
        { sku: 'MUG-01', quantity: 3, unitPrice: 1290 },
      ]),
    );
    expect(backorder.statusCode).toBe(201);
    expect(backorder.json().shipments[0]).toMatchObject({
      reservations: [{ sku: 'MUG-01', quantity: 3, backorder: true }],
      dispatchDate: '2026-12-04',
    });
    expect(await reserved()).toEqual([5]);
  });

  it('cancels a whole order and releases its stock; a second cancel is refused', async () => {
    await start();
    const order = (await book(orderBody({}, [{ sku: 'MUG-01', quantity: 3, unitPrice: 430 }]))).json();
    expect(await reserved()).toEqual([3]);
    const cancelled = await app.inject({ method: 'POST', url: `/v1/orders/${order.id}/cancel`, headers: SECRET });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', shipments: [{ status: 'cancelled' }] });
    expect(cancelled.json().timeline.map((t: { type: string }) => t.type)).toEqual([
      'order.accepted',
      'order.cancelled',
    ]);
    expect(await reserved()).toEqual([0]);
    const again = await app.inject({ method: 'POST', url: `/v1/orders/${order.id}/cancel`, headers: SECRET });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('not_cancellable');
  });

  it('cancels some lines, releasing only those', async () => {
    await start();
    const lines = [
      { sku: 'MUG-01', quantity: 3, unitPrice: 430 },
      { sku: 'TEE-02', quantity: 2, unitPrice: 100 },
    ];
    const order = (
      await book(orderBody({ totals: { items: 1490, shipping: 759, tax: 0, total: 2249, currency: 'EUR' } }, lines))
    ).json();
    const partial = await app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/cancel`,
      headers: { ...SECRET, 'content-type': 'application/json' },
      payload: { items: [{ sku: 'MUG-01', quantity: 2 }] },
    });
    expect(partial.statusCode).toBe(200);
    expect(partial.json()).toMatchObject({
      status: 'accepted',
      items: [
        { sku: 'MUG-01', quantity: 1 },
        { sku: 'TEE-02', quantity: 2 },
      ],
    });
    expect(await reserved('MUG-01')).toEqual([1]);
    expect(await reserved('TEE-02')).toEqual([2]);
    const tooMany = await app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/cancel`,
      headers: { ...SECRET, 'content-type': 'application/json' },
      payload: { items: [{ sku: 'MUG-01', quantity: 5 }] },
    });
    expect(tooMany.statusCode).toBe(422);
  });

  it('keeps merchants apart: another merchant key gets 404 for every order route', async () => {
    const other = baseConfig();
    other.merchant.id = 'other';
    other.keys = [{ key: 'sk_test_other', type: 'secret' }];
    await start([baseConfig(), other]);
    const order = (await book(orderBody())).json();
    const theirs = { authorization: 'Bearer sk_test_other' };
    expect((await app.inject({ url: `/v1/orders/${order.id}`, headers: theirs })).statusCode).toBe(404);
    expect((await app.inject({ url: `/v1/orders?reference=${order.reference}`, headers: theirs })).json().data).toEqual(
      [],
    );
    const cancel = await app.inject({ method: 'POST', url: `/v1/orders/${order.id}/cancel`, headers: theirs });
    expect(cancel.statusCode).toBe(404);
    expect(await reserved()).toEqual([1]);
  });

  it('never oversells: 200 parallel bookings for 10 units give exactly 10 orders', async () => {
    const config = baseConfig();
    config.inventory = [{ warehouse: 'paris', sku: 'MUG-01', onHand: 10 }];
    config.limits = { writesPerMinutePerKey: 100_000 };
    await start([config]);
    const responses = await Promise.all(Array.from({ length: 200 }, () => book(orderBody())));
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(190);
    expect(responses.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'out_of_stock')).toBe(true);
    expect(await reserved()).toEqual([10]);
  });

  it('never oversells split carts: every order needs two warehouses', async () => {
    const config = withLyon(baseConfig());
    config.inventory = [
      { warehouse: 'paris', sku: 'MUG-01', onHand: 6 },
      { warehouse: 'lyon', sku: 'TEE-02', onHand: 6 },
    ];
    config.limits = { writesPerMinutePerKey: 100_000 };
    await start([config]);
    const lines = [
      { sku: 'MUG-01', quantity: 1, unitPrice: 1290 },
      { sku: 'TEE-02', quantity: 1, unitPrice: 1000 },
    ];
    const body = () =>
      orderBody({ totals: { items: 2290, shipping: 1518, tax: 0, total: 3808, currency: 'EUR' } }, lines);
    const responses = await Promise.all(Array.from({ length: 60 }, () => book(body())));
    const created = responses.filter((r) => r.statusCode === 201);
    expect(created).toHaveLength(6);
    expect(created.every((r) => r.json().shipments.length === 2)).toBe(true);
    expect(await reserved('MUG-01')).toEqual([6, 0]);
    expect(await reserved('TEE-02')).toEqual([0, 6]);
  });

  it('books once for 20 parallel requests with one key', async () => {
    await start();
    const key = randomUUID();
    const body = orderBody();
    const responses = await Promise.all(Array.from({ length: 20 }, () => book(body, key)));
    const created = responses.filter((r) => r.statusCode === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.json().id)).size).toBe(1);
    expect(responses.every((r) => r.statusCode === 201 || r.json().code === 'idempotency_in_progress')).toBe(true);
    expect(
      (await app.inject({ url: `/v1/orders?reference=${body.reference}`, headers: SECRET })).json().data,
    ).toHaveLength(1);
    expect(await reserved()).toEqual([1]);
  });
});

describe.runIf(stores.some(([name]) => name === 'PostgreSQL'))('several API processes on one PostgreSQL', () => {
  it('shows a stock change made through one process in the next promise of another', async () => {
    const { postgresStore } = await import('../fixtures/postgres.ts');
    const first = await postgresStore();
    const a = await testApp({ store: first });
    const b = await testApp({ store: await postgresStore(first.schemaName) });
    try {
      const url = '/v1/promise?key=pk_test_fixture&sku=MUG-01&country=FR&postalCode=75011';
      expect((await b.inject(url)).json().status).toBe('available'); // b has it cached now
      await a.inject({
        method: 'PUT',
        url: '/v1/inventory/paris/MUG-01',
        headers: { ...SECRET, 'content-type': 'application/json' },
        payload: { onHand: 0 },
      });
      const deadline = Date.now() + 1000;
      let status = '';
      while (Date.now() < deadline && status !== 'unavailable') {
        status = (await b.inject(url)).json().status;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(status).toBe('unavailable');
    } finally {
      await b.close();
      await a.close();
    }
  });
});
