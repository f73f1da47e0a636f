import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { bookOne, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';

const stores = await storeFactories();

const lines = (body: string) =>
  body
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe.each(stores)('bulk import and ledger on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  afterEach(async () => app?.close());
  const level = async (sku: string) =>
    (await app.inject({ url: `/v1/inventory/${sku}`, headers: SECRET })).json().warehouses[0];

  it('imports CSV, reporting each bad line and a summary', async () => {
    app = await testApp({ store: await makeStore() });
    const csv = [
      'warehouse,sku,onHand,safetyStock,incoming',
      'paris,MUG-01,12,2,5@2026-12-01;3@2026-12-08',
      'paris,NOPE,1,,',
      'paris,TEE-02,-4,,',
      'lyon,TEE-02,3,,',
      'paris,GIFT-01,3,,',
    ].join('\n');
    const response = await app.inject({
      method: 'POST',
      url: '/v1/inventory/import',
      headers: { ...SECRET, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/x-ndjson/);
    expect(lines(response.body)).toEqual([
      { type: 'error', line: 3, code: 'unknown_sku', message: 'no product "NOPE"' },
      { type: 'error', line: 4, code: 'invalid_value', message: expect.stringContaining('onHand') },
      { type: 'error', line: 5, code: 'unknown_warehouse', message: 'no warehouse "lyon"' },
      { type: 'error', line: 6, code: 'bundle_has_no_stock', message: expect.any(String) },
      { type: 'summary', processed: 5, applied: 1, failed: 4 },
    ]);
    expect(await level('MUG-01')).toMatchObject({
      onHand: 12,
      safetyStock: 2,
      incoming: [
        { quantity: 5, expectedAt: '2026-12-01' },
        { quantity: 3, expectedAt: '2026-12-08' },
      ],
    });
  });

  it('imports JSON lines with a progress line every 1,000 lines', async () => {
    app = await testApp({ store: await makeStore() });
    const body = Array.from({ length: 2500 }, (_, i) =>
      JSON.stringify({ warehouse: 'paris', sku: i % 2 ? 'MUG-01' : 'TEE-02', onHand: i }),
    ).join('\n');
    const response = await app.inject({
      method: 'POST',
      url: '/v1/inventory/import',
      headers: { ...SECRET, 'content-type': 'application/x-ndjson' },
      payload: `${body}\n{not json}\n`,
    });
    expect(lines(response.body)).toEqual([
      { type: 'progress', processed: 1000, applied: 1000, failed: 0 },
      { type: 'progress', processed: 2000, applied: 2000, failed: 0 },
      { type: 'error', line: 2501, code: 'invalid_json', message: 'not a JSON object' },
      { type: 'summary', processed: 2501, applied: 2500, failed: 1 },
    ]);
    expect((await level('MUG-01')).onHand).toBe(2499);
  });

  it('refuses other content types with 415 and publishable keys with 403', async () => {
    app = await testApp({ store: await makeStore() });
    const json = await app.inject({
      method: 'POST',
      url: '/v1/inventory/import',
      headers: { ...SECRET, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(json.statusCode).toBe(415);
    const pk = await app.inject({
      method: 'POST',
      url: '/v1/inventory/import',
      headers: { authorization: 'Bearer pk_test_fixture', 'content-type': 'text/csv' },
      payload: 'a',
    });
    expect(pk.statusCode).toBe(403);
  });

  it('never loses a reservation made while an import runs, and the ledger explains every level', async () => {
    const config = baseConfig();
    config.limits = { writesPerMinutePerKey: 100_000 };
    app = await testApp({ store: await makeStore(), merchants: [config] });
    const book = () => bookOne(app);
    const importBody = Array.from({ length: 300 }, () =>
      JSON.stringify({ warehouse: 'paris', sku: 'MUG-01', onHand: 40 }),
    ).join('\n');
    const [, ...bookings] = await Promise.all([
      app.inject({
        method: 'POST',
        url: '/v1/inventory/import',
        headers: { ...SECRET, 'content-type': 'application/x-ndjson' },
        payload: importBody,
      }),
      ...Array.from({ length: 30 }, book),
    ]);
    const booked = bookings.filter((r) => r.statusCode === 201).length;
    expect(booked).toBe(30);
    const now = await level('MUG-01');
    expect(now).toMatchObject({ onHand: 40, reserved: 30 });
    const ledger = (await app.inject({ url: '/v1/inventory/MUG-01/movements?limit=1000', headers: SECRET })).json()
      .movements;
    const sum = (key: 'onHandDelta' | 'reservedDelta') =>
      ledger.reduce((total: number, m: Record<string, number>) => total + (m[key] ?? 0), 0);
    expect(sum('onHandDelta')).toBe(40);
    expect(sum('reservedDelta')).toBe(30);
    expect(ledger.filter((m: { reason: string }) => m.reason === 'reserve')).toHaveLength(30);
  });
});
