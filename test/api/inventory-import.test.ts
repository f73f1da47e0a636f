import { Readable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/src/app.ts';
import { IMPORT_LIMITS, type InventoryImportOptions, MAX_ERROR_LINES } from '../../api/src/routes/import-body.ts';
import { inventoryImportRoutes } from '../../api/src/routes/v1/inventory-import.ts';
import { sqliteStore } from '../../api/src/store/sqlite/sqlite-store.ts';
import { bookOne, MONDAY_MORNING, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
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

  it("reads a spreadsheet's CSV: a byte order mark, quoted fields, CRLF, and refuses an unclosed quote", async () => {
    app = await testApp({ store: await makeStore() });
    const csv = [
      '\uFEFFwarehouse,sku,onHand,safetyStock,incoming',
      '"paris","MUG-01","7",1,"5@2026-12-01;3@2026-12-08"',
      'paris,"TEE-02,',
    ].join('\r\n');
    const response = await app.inject({
      method: 'POST',
      url: '/v1/inventory/import',
      headers: { ...SECRET, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(lines(response.body)).toEqual([
      { type: 'error', line: 3, code: 'invalid_csv', message: expect.any(String) },
      { type: 'summary', processed: 2, applied: 1, failed: 1 },
    ]);
    expect(await level('MUG-01')).toMatchObject({
      onHand: 7,
      safetyStock: 1,
      incoming: [{ quantity: 5 }, { quantity: 3 }],
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

/** The test app, with a second import route under /small that has the given limits. */
async function appWithLimits(limits: InventoryImportOptions): Promise<FastifyInstance> {
  const app = await buildApp({
    merchants: [baseConfig()],
    store: sqliteStore({ dataDir: ':memory:' }),
    clock: () => MONDAY_MORNING,
    secret: 'test-secret',
  });
  await app.register(inventoryImportRoutes, { prefix: '/small', ...limits });
  await app.ready();
  return app;
}

/** A body sent in chunks of `size` bytes, one per turn of the event loop, with no Content-Length. */
function chunked(text: string, size: number): Readable {
  const bytes = Buffer.from(text);
  return Readable.from(
    (async function* () {
      for (let at = 0; at < bytes.length; at += size) {
        yield bytes.subarray(at, at + size);
        await tick();
      }
    })(),
  );
}

const ndjson = (rows: object[]) => rows.map((row) => `${JSON.stringify(row)}\n`).join('');

describe('import limits', () => {
  let app: FastifyInstance;
  afterEach(async () => app?.close());
  const level = async (sku: string) =>
    (await app.inject({ url: `/v1/inventory/${sku}`, headers: SECRET })).json().warehouses[0];
  const post = (url: string, type: string, payload: string | Readable, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, headers: { ...SECRET, 'content-type': type, ...headers }, payload });

  it('limits an import to 50 MiB and a line to 10,000 bytes by default', () => {
    expect(IMPORT_LIMITS).toEqual({ maxBodyBytes: 50 * 1024 * 1024, maxLineBytes: 10_000 });
  });

  it('reports an over-long line as line_too_long as it streams, and imports the lines around it', async () => {
    app = await appWithLimits({ maxLineBytes: 64 });
    const long = JSON.stringify({ warehouse: 'paris', sku: 'TEE-02', onHand: 1, pad: 'z'.repeat(5000) });
    const body = `${ndjson([{ warehouse: 'paris', sku: 'MUG-01', onHand: 11 }])}${long}\n${ndjson([
      { warehouse: 'paris', sku: 'TEE-02', onHand: 22 },
    ])}`;
    const response = await post('/small/v1/inventory/import', 'application/x-ndjson', chunked(body, 16));
    expect(lines(response.body)).toEqual([
      { type: 'error', line: 2, code: 'line_too_long', message: 'at most 64 bytes per line' },
      { type: 'summary', processed: 3, applied: 2, failed: 1 },
    ]);
    expect((await level('MUG-01')).onHand).toBe(11);
    expect((await level('TEE-02')).onHand).toBe(22);
  });

  it('lists the first 10,000 errors of an import, then only counts them, so the answer stays bounded', async () => {
    app = await testApp();
    const bad = Array.from({ length: MAX_ERROR_LINES + 5 }, () => 'paris,GHOST,1').join('\n');
    const response = await post('/v1/inventory/import', 'text/csv', `warehouse,sku,onHand\n${bad}\nparis,MUG-01,7\n`);
    const answer = lines(response.body).filter((line) => line.type !== 'progress');
    expect(answer.filter((line) => line.code === 'unknown_sku')).toHaveLength(MAX_ERROR_LINES);
    expect(answer.at(-2)).toMatchObject({ type: 'error', code: 'too_many_errors' });
    expect(answer.at(-1)).toEqual({
      type: 'summary',
      processed: MAX_ERROR_LINES + 6,
      applied: 1,
      failed: MAX_ERROR_LINES + 5,
    });
    expect((await level('MUG-01')).onHand).toBe(7);
  });

  it('answers 413 payload_too_large, importing nothing, when Content-Length announces more than the limit', async () => {
    app = await testApp();
    const response = await post('/v1/inventory/import', 'text/csv', 'warehouse,sku,onHand\nparis,MUG-01,5\n', {
      'content-length': String(IMPORT_LIMITS.maxBodyBytes + 1),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'payload_too_large' });
    expect(response.headers.connection).toBe('close');
    expect((await level('MUG-01')).onHand).toBe(40);
  });

  it('stops reading a streamed body at the limit: lines before it applied, then payload_too_large', async () => {
    app = await appWithLimits({ maxBodyBytes: 1000 });
    // 50 bytes a line: the first 20 lines fill the limit exactly, the other 80 are never read.
    const row = (i: number) => JSON.stringify({ warehouse: 'paris', sku: 'MUG-01', onHand: 100 + i });
    const body = Array.from({ length: 100 }, (_, i) => `${row(i)}\n`).join('');
    expect(Buffer.byteLength(body)).toBe(5000);
    const response = await post('/small/v1/inventory/import', 'application/x-ndjson', chunked(body, 64));
    expect(response.statusCode).toBe(200);
    expect(lines(response.body)).toEqual([
      { type: 'error', code: 'payload_too_large', message: expect.stringContaining('1000 bytes') },
      { type: 'summary', processed: 20, applied: 20, failed: 0, aborted: true, message: expect.any(String) },
    ]);
    expect((await level('MUG-01')).onHand).toBe(119);
    // The app is unharmed: the next import is read whole.
    const next = await post('/small/v1/inventory/import', 'application/x-ndjson', chunked(row(7), 8));
    expect(lines(next.body)).toEqual([{ type: 'summary', processed: 1, applied: 1, failed: 0 }]);
  });

  it('decodes multi-byte skus cut across chunks, in CSV and JSON lines', async () => {
    app = await testApp();
    const csv = 'warehouse,sku,onHand\nparis,MUG-01,3\nparis,CAFÉ-☕-𝄞,4\nparis,TEE-02,5\n';
    const fromCsv = await post('/v1/inventory/import', 'text/csv', chunked(csv, 1));
    expect(lines(fromCsv.body)).toEqual([
      { type: 'error', line: 3, code: 'unknown_sku', message: 'no product "CAFÉ-☕-𝄞"' },
      { type: 'summary', processed: 3, applied: 2, failed: 1 },
    ]);
    const json = ndjson([
      { warehouse: 'paris', sku: 'ÉTÉ-€', onHand: 1 },
      { warehouse: 'paris', sku: 'MUG-01', onHand: 6 },
    ]);
    const fromJson = await post('/v1/inventory/import', 'application/x-ndjson', chunked(json, 3));
    expect(lines(fromJson.body)).toEqual([
      { type: 'error', line: 1, code: 'unknown_sku', message: 'no product "ÉTÉ-€"' },
      { type: 'summary', processed: 2, applied: 1, failed: 1 },
    ]);
    expect((await level('MUG-01')).onHand).toBe(6);
    expect((await level('TEE-02')).onHand).toBe(5);
  });
});
