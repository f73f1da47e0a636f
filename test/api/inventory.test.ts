import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SECRET, testApp } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';

const PROMISE = '/v1/promise?key=pk_test_fixture&country=FR&postalCode=75011&sku=MUG-01';
const json = { ...SECRET, 'content-type': 'application/json' };

describe('inventory', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    const other = baseConfig();
    other.merchant.id = 'other';
    other.keys = [
      { key: 'pk_test_other', type: 'publishable', allowedOrigins: ['*'] },
      { key: 'sk_test_other', type: 'secret' },
    ];
    other.inventory = [{ warehouse: 'paris', sku: 'MUG-01', onHand: 7 }];
    app = await testApp({ merchants: [baseConfig(), other] });
  });
  afterEach(async () => app.close());

  it('reads a sku in every warehouse with the contract fields', async () => {
    const response = await app.inject({ url: '/v1/inventory/MUG-01', headers: SECRET });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      sku: 'MUG-01',
      warehouses: [{ warehouse: 'paris', onHand: 40, reserved: 0, safetyStock: 0, available: 40, incoming: [] }],
    });
  });

  it('shows a stock change in the next promise', async () => {
    expect((await app.inject(PROMISE)).json().status).toBe('available');
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/inventory/paris/MUG-01',
      headers: json,
      payload: { onHand: 0 },
    });
    expect(put.statusCode).toBe(200);
    expect((await app.inject(PROMISE)).json()).toMatchObject({ status: 'unavailable', reason: 'out_of_stock' });
    await app.inject({
      method: 'PUT',
      url: '/v1/inventory/paris/MUG-01',
      headers: json,
      payload: { incoming: [{ quantity: 5, expectedAt: '2026-12-04' }] },
    });
    expect((await app.inject(PROMISE)).json().items[0]).toMatchObject({ available: true, availableFrom: '2026-12-04' });
  });

  it('replaces given fields and keeps omitted ones', async () => {
    await app.inject({
      method: 'PUT',
      url: '/v1/inventory/paris/MUG-01',
      headers: json,
      payload: { safetyStock: 4, incoming: [{ quantity: 5, expectedAt: '2026-12-04' }] },
    });
    const response = await app.inject({
      method: 'PUT',
      url: '/v1/inventory/paris/MUG-01',
      headers: json,
      payload: { onHand: 12 },
    });
    expect(response.json()).toEqual({
      sku: 'MUG-01',
      warehouse: 'paris',
      onHand: 12,
      reserved: 0,
      safetyStock: 4,
      available: 8,
      incoming: [{ quantity: 5, expectedAt: '2026-12-04' }],
    });
  });

  it('creates a level for a stocked product that had none', async () => {
    const config = baseConfig();
    const response = await app.inject({
      method: 'PUT',
      url: '/v1/inventory/paris/TEE-02',
      headers: json,
      payload: { onHand: 3 },
    });
    expect(response.json()).toMatchObject({ onHand: 3, available: 3 });
    expect(config.inventory).toHaveLength(2);
  });

  it.each([
    [{ onHand: -1 }, 'onHand', 'too_small'],
    [{ onHand: 1.5 }, 'onHand', 'invalid_type'],
    [{ onHand: 'ten' }, 'onHand', 'invalid_type'],
    [{ reserved: 3 }, 'reserved', 'unknown_field'],
    [{ incoming: [{ quantity: 0, expectedAt: '2026-12-01' }] }, 'incoming.0.quantity', 'too_small'],
    [{ incoming: [{ quantity: 1, expectedAt: 'soon' }] }, 'incoming.0.expectedAt', 'invalid_format'],
  ])('refuses the body %j with 400 (%s: %s)', async (payload, field, code) => {
    const response = await app.inject({ method: 'PUT', url: '/v1/inventory/paris/MUG-01', headers: json, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'invalid_request',
      details: expect.arrayContaining([{ field, code }]),
    });
  });

  it('refuses an arrival date that is not in the calendar with 422', async () => {
    const response = await app.inject({
      method: 'PUT',
      url: '/v1/inventory/paris/MUG-01',
      headers: json,
      payload: { incoming: [{ quantity: 1, expectedAt: '2026-02-30' }] },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().details).toEqual([{ field: 'incoming[0].expectedAt', code: 'invalid_date' }]);
  });

  it('answers 404 for an unknown warehouse or sku and 422 for a bundle', async () => {
    const put = (url: string) => app.inject({ method: 'PUT', url, headers: json, payload: { onHand: 1 } });
    expect((await put('/v1/inventory/berlin/MUG-01')).json().code).toBe('not_found');
    expect((await put('/v1/inventory/paris/NOPE')).statusCode).toBe(404);
    const bundle = await put('/v1/inventory/paris/GIFT-01');
    expect(bundle.statusCode).toBe(422);
    expect(bundle.json().details).toEqual([{ field: 'sku', code: 'bundle_has_no_stock' }]);
  });

  it('answers 401 without a key, 401 with an unknown key and 403 with a publishable key', async () => {
    expect((await app.inject('/v1/inventory/MUG-01')).statusCode).toBe(401);
    const unknown = await app.inject({
      url: '/v1/inventory/MUG-01',
      headers: { authorization: 'Bearer sk_test_nope' },
    });
    expect(unknown.json().code).toBe('unauthorized');
    const publishable = await app.inject({
      url: '/v1/inventory/MUG-01',
      headers: { authorization: 'Bearer pk_test_fixture' },
    });
    expect(publishable.statusCode).toBe(403);
    expect(publishable.json().code).toBe('forbidden');
  });

  it('keeps merchants apart: a key reads and changes only its own stock', async () => {
    const theirs = { authorization: 'Bearer sk_test_other', 'content-type': 'application/json' };
    expect((await app.inject({ url: '/v1/inventory/MUG-01', headers: theirs })).json().warehouses[0].onHand).toBe(7);
    await app.inject({ method: 'PUT', url: '/v1/inventory/paris/MUG-01', headers: theirs, payload: { onHand: 0 } });
    expect((await app.inject({ url: '/v1/inventory/MUG-01', headers: SECRET })).json().warehouses[0].onHand).toBe(40);
    expect((await app.inject(PROMISE)).json().status).toBe('available');
    const theirPromise = await app.inject(PROMISE.replace('pk_test_fixture', 'pk_test_other'));
    expect(theirPromise.json().status).toBe('unavailable');
  });

  it('answers 413 payload_too_large, 415 unsupported_media_type and 400 for malformed JSON', async () => {
    const big = await app.inject({
      method: 'PUT',
      url: '/v1/inventory/paris/MUG-01',
      headers: json,
      payload: JSON.stringify({ onHand: 1, pad: 'x'.repeat(2_000_000) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('payload_too_large');
    const text = await app.inject({
      method: 'PUT',
      url: '/v1/inventory/paris/MUG-01',
      headers: { ...SECRET, 'content-type': 'text/plain' },
      payload: 'onHand=1',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('unsupported_media_type');
    const broken = await app.inject({
      method: 'PUT',
      url: '/v1/inventory/paris/MUG-01',
      headers: json,
      payload: '{"onHand":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().code).toBe('invalid_request');
  });
});
