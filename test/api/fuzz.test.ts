/** Nothing a client sends may cause a 5xx: random bodies and parameters on every write route. */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../../api/src/merchants/registry.ts';
import { bookAndLabel, SECRET, testApp, trackEvents } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';

const json = fc.jsonValue({ maxDepth: 3 });
const nearlyAnOrder = fc.record(
  {
    reference: fc.oneof(fc.string({ maxLength: 120 }), fc.integer()),
    channel: fc.oneof(fc.string({ maxLength: 60 }), fc.constant(null)),
    promiseId: fc.oneof(fc.string({ maxLength: 50 }), fc.constant('prm_e30.x')),
    optionId: fc.constantFrom('colissimo-home', 'nope', ''),
    items: fc.array(
      fc.record({
        sku: fc.constantFrom('MUG-01', 'GIFT-01', 'X', ''),
        quantity: fc.integer({ min: -5, max: 20_000 }),
        unitPrice: fc.integer({ min: -1, max: 2e9 }),
      }),
      { maxLength: 4 },
    ),
    shippingAddress: fc.record({
      name: fc.string(),
      line1: fc.string(),
      postalCode: fc.constantFrom('75011', '7501', 'SW1A 1AA', ''),
      city: fc.string(),
      country: fc.constantFrom('FR', 'fr', 'GB', 'ZZ', 'FRA'),
    }),
    totals: fc.record({
      items: fc.integer({ min: -1, max: 1e7 }),
      shipping: fc.integer({ min: 0, max: 1e4 }),
      tax: fc.integer({ min: 0, max: 1e4 }),
      total: fc.integer({ min: 0, max: 1e7 }),
      currency: fc.constantFrom('EUR', 'USD', 'eur'),
    }),
    at: fc.constantFrom('2026-11-23T10:00:00Z', 'soon', '1999-01-01T00:00:00Z'),
  },
  { requiredKeys: [] },
);

describe('never a 5xx', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const config = baseConfig();
    config.limits = { writesPerMinutePerKey: 1_000_000 };
    app = await testApp({ merchants: [config] });
  });
  afterAll(async () => app.close());

  it('POST /v1/orders answers 2xx or 4xx with a code, whatever the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearlyAnOrder, json), async (body) => {
        const response = await app.inject({
          method: 'POST',
          url: '/v1/orders',
          headers: { ...SECRET, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          payload: JSON.stringify(body),
        });
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode >= 400) expect(response.json().code).toMatch(/^[a-z_]+$/);
      }),
      { numRuns: 300 },
    );
  });

  it('PUT /v1/inventory and POST /v1/orders/{id}/cancel answer 4xx to anything malformed', async () => {
    await fc.assert(
      fc.asyncProperty(json, fc.string({ maxLength: 70 }), async (body, id) => {
        for (const [method, url] of [
          ['PUT', `/v1/inventory/paris/${encodeURIComponent(id) || 'x'}`],
          ['POST', `/v1/orders/${encodeURIComponent(id) || 'x'}/cancel`],
        ] as const) {
          const response = await app.inject({
            method,
            url,
            headers: { ...SECRET, 'content-type': 'application/json' },
            payload: JSON.stringify(body),
          });
          expect(response.statusCode).toBeLessThan(500);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('never a 5xx after the booking', () => {
  let app: FastifyInstance;
  let orderId = '';
  beforeAll(async () => {
    const config = baseConfig();
    config.limits = { writesPerMinutePerKey: 1_000_000 };
    config.channels = [{ id: 'shop', type: 'shopify', secret: 'shpss_fuzz_secret_0123456789' }];
    app = await testApp({ merchants: [config] });
    const booked = await app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...SECRET, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      payload: {
        reference: 'FUZZ-1',
        optionId: 'colissimo-home',
        items: [{ sku: 'MUG-01', quantity: 2, unitPrice: 100 }],
        shippingAddress: { name: 'A', line1: '1 rue', postalCode: '75011', city: 'Paris', country: 'FR' },
        totals: { items: 200, shipping: 0, tax: 0, total: 200, currency: 'EUR' },
      },
    });
    orderId = booked.json().id;
  });
  afterAll(async () => app.close());

  const nearlyAnEdit = fc.record(
    {
      shippingAddress: nearlyAnOrder.map((order) => (order as { shippingAddress?: unknown }).shippingAddress),
      items: fc.array(
        fc.record({ sku: fc.constantFrom('MUG-01', 'TEE-02', 'X', ''), quantity: fc.integer({ min: -2, max: 5 }) }),
        { maxLength: 3 },
      ),
      at: fc.constantFrom('2026-11-23T10:00:00Z', 'soon'),
    },
    { requiredKeys: [] },
  );

  it('PATCH /v1/orders/{id} answers 2xx or 4xx with a code, whatever the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearlyAnEdit, json), async (body) => {
        const response = await app.inject({
          method: 'PATCH',
          url: `/v1/orders/${orderId}`,
          headers: { ...SECRET, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          payload: JSON.stringify(body),
        });
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode >= 400) expect(response.json().code).toMatch(/^[a-z_]+$/);
      }),
      { numRuns: 200 },
    );
    // Whatever the edits did, the stock the order holds is what it still orders.
    const order = (await app.inject({ url: `/v1/orders/${orderId}`, headers: SECRET })).json();
    const level = (await app.inject({ url: '/v1/inventory/MUG-01', headers: SECRET })).json().warehouses[0];
    const ordered = order.items.find((i: { sku: string }) => i.sku === 'MUG-01')?.quantity ?? 0;
    expect(level.reserved).toBe(order.status === 'cancelled' ? 0 : ordered);
  });

  it('returns: requests and steps of any body answer 2xx or 4xx, and never return more than was delivered', async () => {
    const order = await bookAndLabel(app, {
      reference: 'FUZZ-RET',
      items: [
        { sku: 'MUG-01', quantity: 2, unitPrice: 100 },
        { sku: 'GIFT-01', quantity: 1, unitPrice: 500 },
      ],
      totals: { items: 700, shipping: 0, tax: 0, total: 700, currency: 'EUR' },
    });
    const trackingNumber = order.shipments[0].trackingNumber;
    await trackEvents(app, [{ trackingNumber, status: 'delivered', occurredAt: '2026-11-23T16:00:00Z' }]);
    const line = fc.record(
      {
        sku: fc.constantFrom('MUG-01', 'GIFT-01', 'TEE-02', '', 'X'),
        quantity: fc.oneof(fc.integer({ min: -1, max: 4 }), json),
        reason: fc.constantFrom('changed_mind', 'damaged', 'late', 'nope'),
        condition: fc.constantFrom('resellable', 'damaged', 'broken'),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.record(
        { items: fc.oneof(fc.array(line, { maxLength: 3 }), json), method: fc.constantFrom('label', 'drop_off', 'x') },
        { requiredKeys: [] },
      ),
      json,
    );
    const step = fc.constantFrom('approve', 'reject', 'receive', 'inspect', 'refund');
    await fc.assert(
      fc.asyncProperty(body, step, body, async (request, action, actionBody) => {
        const asked = await app.inject({
          method: 'POST',
          url: `/v1/orders/${order.id}/returns`,
          headers: { ...SECRET, 'content-type': 'application/json' },
          payload: JSON.stringify(request),
        });
        expect(asked.statusCode).toBeLessThan(500);
        const listed = (await app.inject({ url: `/v1/orders/${order.id}/returns`, headers: SECRET })).json().data;
        const target = listed.at(-1)?.id ?? 'ret_nope';
        const acted = await app.inject({
          method: 'POST',
          url: `/v1/returns/${target}/${action}`,
          headers: { ...SECRET, 'content-type': 'application/json' },
          payload: JSON.stringify(actionBody),
        });
        expect(acted.statusCode).toBeLessThan(500);
        if (acted.statusCode >= 400) expect(acted.json().code).toMatch(/^[a-z_]+$/);
      }),
      { numRuns: 150 },
    );
    const returns = (await app.inject({ url: `/v1/orders/${order.id}/returns`, headers: SECRET })).json().data as {
      status: string;
      items: { sku: string; quantity: number }[];
      inspection: { items: { sku: string; quantity: number; condition: string }[] } | null;
    }[];
    const counted = returns.filter((r) => r.status !== 'rejected').flatMap((r) => r.items);
    for (const [sku, delivered] of [
      ['MUG-01', 2],
      ['GIFT-01', 1],
    ] as const)
      expect(counted.filter((l) => l.sku === sku).reduce((sum, l) => sum + l.quantity, 0)).toBeLessThanOrEqual(
        delivered,
      );
    // What came back on hand is exactly what inspections found resellable (a gift as its two mugs and a T-shirt).
    const resellable = (sku: string) =>
      returns
        .flatMap((r) => r.inspection?.items ?? [])
        .filter((i) => i.sku === sku && i.condition === 'resellable')
        .reduce((sum, i) => sum + i.quantity, 0);
    const movements = (await app.inject({ url: '/v1/inventory/MUG-01/movements?limit=1000', headers: SECRET })).json()
      .movements as { reason: string; onHandDelta: number }[];
    const restocked = movements.filter((m) => m.reason === 'return').reduce((sum, m) => sum + m.onHandDelta, 0);
    expect(restocked).toBe(resellable('MUG-01') + 2 * resellable('GIFT-01'));
  });

  /** An order with a real id and anything in its other fields: it is stored, and its job reads it. */
  const nearlyAShopifyOrder = fc.record(
    {
      id: fc.bigInt({ min: 1n, max: 10n ** 19n }).map((id) => Number(id)),
      name: json,
      currency: fc.constantFrom('EUR', 'USD', '', 'X'),
      taxes_included: json,
      total_price: fc.oneof(fc.constantFrom('2.00', '-1', 'abc', '1e9'), json),
      total_tax: json,
      cancelled_at: fc.constantFrom(null, '2026-11-23T10:00:00Z'),
      line_items: fc.oneof(
        fc.array(
          fc.record(
            {
              sku: fc.oneof(fc.constantFrom('MUG-01', 'NOPE'), json),
              quantity: fc.oneof(fc.integer({ min: -3, max: 5 }), json),
              price: fc.oneof(fc.constantFrom('1.00', '0.5', 'x'), json),
              discount_allocations: json,
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        json,
      ),
      shipping_lines: json,
      shipping_address: fc.oneof(
        json,
        fc.record({ country_code: fc.constantFrom('FR', 'ZZ'), zip: fc.string() }, { requiredKeys: [] }),
      ),
      note_attributes: json,
    },
    { requiredKeys: ['id'] },
  );

  it('signed channel webhooks of any JSON are stored or refused with a 4xx, and their jobs never crash', async () => {
    const { createHmac } = await import('node:crypto');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(nearlyAShopifyOrder, json),
        fc.constantFrom('orders/create', 'orders/cancelled'),
        async (body, topic) => {
          const payload = JSON.stringify(body);
          const response = await app.inject({
            method: 'POST',
            url: '/v1/channels/test/shop/webhooks',
            headers: {
              'content-type': 'application/json',
              'x-shopify-topic': topic,
              'x-shopify-hmac-sha256': createHmac('sha256', 'shpss_fuzz_secret_0123456789')
                .update(payload)
                .digest('base64'),
            },
            payload,
          });
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
    // Every stored body was read by its job without a crash: a refusal gives up with a reason, never a TypeError.
    await app.relay.drain();
    const jobs = async (state: string) =>
      (await app.inject({ url: `/v1/outbox?state=${state}`, headers: SECRET })).json().data as {
        lastError: string | null;
      }[];
    // A crash would be retried later, so it would wait among the pending jobs: there are none.
    expect((await jobs('pending')).filter((job) => job.lastError !== null)).toEqual([]);
    const dead = (await jobs('dead')) as { lastError: string }[];
    expect(dead.length).toBeGreaterThan(0); // bodies were stored, and their jobs ran
    for (const job of dead)
      expect(job.lastError).not.toMatch(/TypeError|Cannot read|undefined is not|is not a function/);
  });
});

describe('keys given as hashes', () => {
  it('console sign-in and session routes answer 4xx to anything, cookies and tokens included', async () => {
    const app = await testApp();
    try {
      await fc.assert(
        fc.asyncProperty(
          json,
          fc.oneof(fc.string({ maxLength: 300 }), fc.constant('promesse_console=s%3Aabc.def')),
          fc.string({ maxLength: 100 }),
          async (body, cookie, token) => {
            for (const [method, url] of [
              ['POST', '/console/api/sign-in'],
              ['GET', '/console/api/session'],
              ['POST', '/console/api/sign-out'],
              ['POST', '/v1/exceptions/exc_1/resolve'],
            ] as const) {
              const response = await app.inject({
                method,
                url,
                headers: {
                  'content-type': 'application/json',
                  origin: 'http://localhost:80',
                  cookie,
                  'x-csrf-token': token,
                },
                ...(method === 'POST' ? { payload: JSON.stringify(body) } : {}),
              });
              expect(response.statusCode, `${method} ${url}`).toBeLessThan(500);
            }
          },
        ),
        { numRuns: 100 },
      );
    } finally {
      await app.close();
    }
  });

  it('authenticates a key whose config gives only its SHA-256 hash', async () => {
    const config = baseConfig();
    config.keys = [
      { keyHash: hashKey('pk_live_hashedkey'), type: 'publishable', allowedOrigins: ['*'] },
      { keyHash: hashKey('sk_live_hashedkey'), type: 'secret' },
    ];
    const app = await testApp({ merchants: [config] });
    expect((await app.inject('/v1/promise?key=pk_live_hashedkey&sku=MUG-01&country=FR')).statusCode).toBe(200);
    expect(
      (await app.inject({ url: '/v1/inventory/MUG-01', headers: { authorization: 'Bearer sk_live_hashedkey' } }))
        .statusCode,
    ).toBe(200);
    // A secret key presented where a publishable one is declared, and the reverse, do not authenticate.
    expect(
      (await app.inject({ url: '/v1/inventory/MUG-01', headers: { authorization: 'Bearer pk_live_hashedkey' } }))
        .statusCode,
    ).toBe(403);
    await app.close();
  });
});
