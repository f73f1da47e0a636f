import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONDAY_MORNING, testApp } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';

const BASE = '/v1/promise?key=pk_test_fixture&country=FR&postalCode=75011';

describe('GET /v1/promise', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp();
  });
  afterAll(async () => app.close());

  it('answers the contract shape for sku and quantity', async () => {
    const response = await app.inject(`${BASE}&sku=MUG-01&quantity=1`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      status: 'available',
      reason: null,
      generatedAt: '2026-11-23T09:00:00.000Z',
      expiresAt: '2026-11-23T09:15:00.000Z',
      items: [{ sku: 'MUG-01', quantity: 1, available: true, availableFrom: null, reason: null }],
      options: [
        { id: 'colissimo-home', price: { amount: 759, currency: 'EUR' }, cutoffAt: '2026-11-23T13:00:00.000Z' },
      ],
    });
    expect(body.promiseId).toMatch(/^prm_[\w-]+\.[\w-]+$/);
  });

  it('accepts items as SKU:QUANTITY lines', async () => {
    const body = (await app.inject(`${BASE}&items=MUG-01:2,TEE-02:1`)).json();
    expect(body.items.map((i: { sku: string; quantity: number }) => [i.sku, i.quantity])).toEqual([
      ['MUG-01', 2],
      ['TEE-02', 1],
    ]);
  });

  it('signs a promiseId that binds the lines, destination, options and expiry', async () => {
    const body = (await app.inject(`${BASE}&sku=MUG-01`)).json();
    expect(app.promiseTokens.verify(body.promiseId)).toEqual({
      merchant: 'test',
      lines: [['MUG-01', 1]],
      destination: ['FR', '75011'],
      options: [['colissimo-home', 759, '2026-11-24', '2026-11-25']],
      expiresAt: MONDAY_MORNING + 15 * 60_000,
    });
    expect(app.promiseTokens.verify(body.promiseId.replace('prm_W', 'prm_X'))).toBeNull();
  });

  it('honours at for test keys, with no-store', async () => {
    const response = await app.inject(`${BASE}&sku=MUG-01&at=2026-11-23T13:30:00Z`);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json().options[0].dispatchDate).toBe('2026-11-24');
  });

  it('caches for at most 60 s and never past the cut-off', async () => {
    expect((await app.inject(`${BASE}&sku=MUG-01`)).headers['cache-control']).toBe('public, max-age=60');
    const late = await testApp({ now: Date.parse('2026-11-23T12:59:30Z') });
    expect((await late.inject(`${BASE}&sku=MUG-01`)).headers['cache-control']).toBe('public, max-age=30');
    await late.close();
  });

  it('keeps the ETag across promises that show the same thing, and answers 304 to If-None-Match', async () => {
    const first = await app.inject(`${BASE}&sku=MUG-01`);
    const second = await app.inject(`${BASE}&sku=MUG-01`);
    expect(first.headers.etag).toBe(second.headers.etag);
    expect(first.json().promiseId).toBe(second.json().promiseId); // same clock, same token
    const other = await app.inject(`${BASE}&sku=MUG-01&quantity=3`);
    expect(other.headers.etag).not.toBe(first.headers.etag);
    const cached = await app.inject({
      url: `${BASE}&sku=MUG-01`,
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(cached.statusCode).toBe(304);
    expect(cached.body).toBe('');
    expect(cached.headers['content-type']).toBeUndefined();
  });

  it('answers CORS for the origins the key allows, and varies on Origin', async () => {
    const allowed = await app.inject({ url: `${BASE}&sku=MUG-01`, headers: { origin: 'https://shop.example' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(String(allowed.headers.vary)).toMatch(/Origin/);
    const other = await app.inject({ url: `${BASE}&sku=MUG-01`, headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 401 unauthorized without a key, before looking at anything else (CONTRACT §4)', async () => {
    for (const url of ['/v1/promise?sku=MUG-01&country=FR', '/v1/promise?key=&sku=MUG-01', '/v1/promise?country=ZZZ']) {
      const response = await app.inject(url);
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('unauthorized');
      expect(response.headers['access-control-allow-origin']).toBe('*');
    }
  });

  it('answers 401 unauthorized to an unknown key and 400 to a secret key in the URL', async () => {
    const unknown = await app.inject('/v1/promise?key=pk_test_nope&sku=MUG-01&country=FR');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().code).toBe('unauthorized');
    const secret = await app.inject('/v1/promise?key=sk_test_fixture&sku=MUG-01&country=FR');
    expect(secret.statusCode).toBe(400);
    expect(secret.json().details).toEqual([{ field: 'key', code: 'secret_key_in_url' }]);
  });

  it('refuses at with a live key', async () => {
    const config = baseConfig();
    config.keys = [{ key: 'pk_live_fixture', type: 'publishable', allowedOrigins: ['*'] }];
    const live = await testApp({ merchants: [config] });
    const response = await live.inject('/v1/promise?key=pk_live_fixture&sku=MUG-01&country=FR&at=2026-11-23T10:00:00Z');
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual([{ field: 'at', code: 'test_key_required' }]);
    expect((await live.inject('/v1/promise?key=pk_live_fixture&sku=MUG-01&country=FR')).statusCode).toBe(200);
    await live.close();
  });

  const bad: [string, string, string][] = [
    ['country=ZZ&sku=MUG-01', 'country', 'unknown_country'],
    ['country=FRA&sku=MUG-01', 'country', 'invalid_format'],
    ['country=FR&postalCode=7501&sku=MUG-01', 'postalCode', 'invalid_for_country'],
    ['country=FR&postalCode=75011%3Cscript%3E&sku=MUG-01', 'postalCode', 'invalid_for_country'],
    ['country=FR&postalCode=75011-75011-75011&sku=MUG-01', 'postalCode', 'too_long'],
    ['country=FR&sku=MUG-01&quantity=0', 'quantity', 'too_small'],
    ['country=FR&sku=MUG-01&quantity=-3', 'quantity', 'too_small'],
    ['country=FR&sku=MUG-01&quantity=1000000', 'quantity', 'too_large'],
    ['country=FR&sku=MUG-01&quantity=two', 'quantity', 'invalid_type'],
    ['country=FR&items=MUG-01:0', 'items[0]', 'too_small'],
    ['country=FR&items=MUG-01:99999', 'items[0]', 'too_large'],
    ['country=FR&items=MUG-01:1:2', 'items[0]', 'invalid_format'],
    ['country=FR&items=MUG-01:1,,TEE-02:1', 'items[1]', 'invalid_format'],
    ['country=FR&items=MUG 01:1', 'items[0]', 'invalid_format'],
    [`country=FR&items=${Array.from({ length: 101 }, (_, i) => `S${i}:1`).join(',')}`, 'items', 'too_many'],
    [`country=FR&sku=${'A'.repeat(65)}`, 'sku', 'too_long'],
    ['country=FR', 'items', 'required'],
    ['country=FR&sku=MUG-01&items=MUG-01:1', 'sku', 'conflicts_with_items'],
    ['sku=MUG-01', 'country', 'required'],
    ['country=FR&sku=MUG-01&locale=not_a_locale!', 'locale', 'invalid_locale'],
    ['country=FR&sku=MUG-01&at=yesterday', 'at', 'invalid_instant'],
    ['country=FR&sku=MUG-01&at=2026-11-23', 'at', 'invalid_instant'],
  ];
  it.each(bad)('answers 400 invalid_request to %s (%s: %s)', async (query, field, code) => {
    const response = await app.inject(`/v1/promise?key=pk_test_fixture&${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'invalid_request', details: [{ field, code }] });
    expect(typeof response.json().message).toBe('string');
  });

  it('never answers 5xx, whatever the query string', async () => {
    const token = fc.oneof(
      fc.constantFrom(
        'MUG-01',
        'TEE-02',
        'GIFT-01',
        'FR',
        'DE',
        '75011',
        ':',
        ',',
        '%',
        '%00',
        '&',
        '=',
        '*',
        '-1',
        '1e9',
        '[]',
      ),
      fc.string({ maxLength: 12 }),
    );
    const value = fc.array(token, { maxLength: 6 }).map((parts) => encodeURIComponent(parts.join('')));
    const query = fc.record(
      { sku: value, quantity: value, items: value, country: value, postalCode: value, locale: value, at: value },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const search = Object.entries(q)
          .map(([k, v]) => `${k}=${v}`)
          .join('&');
        const response = await app.inject(`/v1/promise?key=pk_test_fixture&${search}`);
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode >= 400) expect(response.json().code).toMatch(/^[a-z_]+$/);
      }),
      { numRuns: 300 },
    );
  });

  it('limits promises per IP with 429 rate_limited and Retry-After', async () => {
    const config = baseConfig();
    config.limits = { promisePerMinutePerIp: 3 };
    const limited = await testApp({ merchants: [config] });
    const statuses: number[] = [];
    let last = await limited.inject(`${BASE}&sku=MUG-01`);
    for (let i = 0; i < 4; i++) {
      last = await limited.inject(`${BASE}&sku=MUG-01`);
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(last.json().code).toBe('rate_limited');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    await limited.close();
  });
});

describe('service routes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp();
  });
  afterAll(async () => app.close());

  it('answers GET /health with {"status":"ok"}', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
  });

  it('publishes the OpenAPI document with the promise route and its query', async () => {
    const document = (await app.inject('/openapi.json')).json();
    expect(document.openapi).toBe('3.1.0');
    const promise = document.paths['/v1/promise'].get;
    expect(promise.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['items', 'sku', 'quantity', 'country', 'postalCode', 'locale', 'at']),
    );
    // The key is documented as the publishable-key security scheme, a query parameter named "key".
    expect(promise.security).toEqual([{ publishableKey: [] }]);
    expect(document.components.securitySchemes.publishableKey).toMatchObject({ in: 'query', name: 'key' });
    expect((await app.inject('/docs/')).statusCode).toBe(200);
  });

  it('serves Prometheus metrics that count promises', async () => {
    await app.inject(`${BASE}&sku=MUG-01`);
    const text = (await app.inject('/metrics')).body;
    expect(text).toMatch(/promesse_promises_total\{status="available"\} [1-9]/);
  });

  it('answers unknown routes with 404 not_found', async () => {
    const response = await app.inject('/v1/nothing');
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('not_found');
  });
});
