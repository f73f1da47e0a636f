/** Nothing a client sends may cause a 5xx: random bodies and parameters on every write route. */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../../api/src/merchants/registry.ts';
import { SECRET, testApp } from '../fixtures/app.ts';
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

describe('keys given as hashes', () => {
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
