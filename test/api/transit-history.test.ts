import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/src/app.ts';
import { MONDAY_MORNING, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';
import { postgresAvailable, postgresStore } from '../fixtures/postgres.ts';

const stores = await storeFactories();
const HEADER = 'service,warehouse,country,postalCode,dispatchedAt,deliveredAt';
const PROMISE = '/v1/promise?key=pk_test_fixture&sku=MUG-01&country=FR&postalCode=75011';
const DAY = 86_400_000;

const lines = (body: string) =>
  body
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

/** `count` parcels to 75011, dispatched on the Mondays before MONDAY_MORNING at 16:00, delivered on the Thursdays. */
function pastDeliveries(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const dispatched = MONDAY_MORNING - (i + 1) * 7 * DAY + 6 * 3_600_000; // Monday 16:00 in Paris
    const delivered = dispatched + 3 * DAY; // Thursday
    return `colissimo-home,paris,FR,75011,${new Date(dispatched).toISOString()},${new Date(delivered).toISOString()}`;
  });
}

const importCsv = (app: FastifyInstance, rows: readonly string[], headers: Record<string, string> = SECRET) =>
  app.inject({
    method: 'POST',
    url: '/v1/transit-history/import',
    headers: { ...headers, 'content-type': 'text/csv' },
    payload: [HEADER, ...rows].join('\n'),
  });

describe.each(stores)('transit history import on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  afterEach(async () => app?.close());

  it('learns from imported deliveries: the next promise on the lane comes from history and says so', async () => {
    app = await testApp({ store: await makeStore() });
    const before = (await app.inject(PROMISE)).json().options[0];
    expect(before.estimate).toEqual({ basis: 'configured', samples: 0, onTimeTarget: 0.95 });
    expect(before.delivery).toEqual({ earliest: '2026-11-24', latest: '2026-11-25' });

    const response = await importCsv(app, pastDeliveries(40));
    expect(response.statusCode).toBe(200);
    expect(lines(response.body).at(-1)).toEqual({
      type: 'summary',
      processed: 40,
      imported: 40,
      duplicates: 0,
      failed: 0,
    });
    const after = (await app.inject(PROMISE)).json().options[0];
    expect(after.estimate).toEqual({ basis: 'history', samples: 40, onTimeTarget: 0.95 });
    // Three delivery days, but two in the weeks with a holiday in them (11 November, Ascension, 14 July …).
    expect(after.delivery).toEqual({ earliest: '2026-11-25', latest: '2026-11-26' });
    expect(after.dispatchDate).toBe('2026-11-23');
  });

  it('does not count re-imported rows twice', async () => {
    app = await testApp({ store: await makeStore() });
    await importCsv(app, pastDeliveries(20));
    const again = await importCsv(app, pastDeliveries(40));
    expect(lines(again.body).at(-1)).toMatchObject({ processed: 40, imported: 20, duplicates: 20 });
    expect((await app.inject(PROMISE)).json().options[0].estimate.samples).toBe(40);
  });

  it("reads a spreadsheet's CSV: a byte order mark before the header and CRLF line ends", async () => {
    app = await testApp({ store: await makeStore() });
    const response = await app.inject({
      method: 'POST',
      url: '/v1/transit-history/import',
      headers: { ...SECRET, 'content-type': 'text/csv' },
      payload: `\uFEFF${[HEADER, ...pastDeliveries(3)].join('\r\n')}\r\n`,
    });
    expect(lines(response.body).at(-1)).toEqual({
      type: 'summary',
      processed: 3,
      imported: 3,
      duplicates: 0,
      failed: 0,
    });
  });

  it('lists each bad line with its field and code, and keeps the good ones', async () => {
    app = await testApp({ store: await makeStore() });
    const [good] = pastDeliveries(1);
    const response = await importCsv(app, [
      good as string,
      'teleport,paris,FR,75011,2026-11-02T15:00:00Z,2026-11-04T10:00:00Z',
      'colissimo-home,nowhere,FR,75011,2026-11-02T15:00:00Z,2026-11-04T10:00:00Z',
      'colissimo-home,paris,FR,75011,last monday,2026-11-04T10:00:00Z',
      '"colissimo-home","paris","FR","75 011","2026-11-02T15:00:00Z","2026-11-04T10:00:00Z"',
    ]);
    const answer = lines(response.body);
    expect(answer.filter((l) => l.type === 'error')).toEqual([
      { type: 'error', line: 3, field: 'service', code: 'unknown_service' },
      { type: 'error', line: 4, field: 'warehouse', code: 'unknown_warehouse' },
      { type: 'error', line: 5, field: 'dispatchedAt', code: 'invalid_instant' },
    ]);
    expect(answer.at(-1)).toMatchObject({ processed: 5, imported: 2, failed: 3 });
  });

  it('reads JSON lines, and refuses a CSV without its columns', async () => {
    app = await testApp({ store: await makeStore() });
    const row = {
      service: 'colissimo-home',
      warehouse: 'paris',
      country: 'FR',
      postalCode: '75011',
      dispatchedAt: '2026-11-02T15:00:00Z',
      deliveredAt: '2026-11-04T10:00:00Z',
    };
    const json = await app.inject({
      method: 'POST',
      url: '/v1/transit-history/import',
      headers: { ...SECRET, 'content-type': 'application/x-ndjson' },
      payload: `${JSON.stringify(row)}\nnot json\n`,
    });
    expect(lines(json.body)).toEqual([
      { type: 'error', line: 2, field: '', code: 'invalid_json' },
      { type: 'summary', processed: 2, imported: 1, duplicates: 0, failed: 1 },
    ]);
    const headless = await app.inject({
      method: 'POST',
      url: '/v1/transit-history/import',
      headers: { ...SECRET, 'content-type': 'text/csv' },
      payload: 'service,warehouse\ncolissimo-home,paris\n',
    });
    expect(
      lines(headless.body)
        .filter((l) => l.type === 'error')
        .map((l) => l.field),
    ).toEqual(['country', 'postalCode', 'dispatchedAt', 'deliveredAt']);
  });

  it('takes only secret keys and CSV or JSON lines', async () => {
    app = await testApp({ store: await makeStore() });
    expect((await importCsv(app, [], { authorization: 'Bearer pk_test_fixture' })).statusCode).toBe(403);
    expect((await importCsv(app, [], {})).statusCode).toBe(401);
    const wrongType = await app.inject({
      method: 'POST',
      url: '/v1/transit-history/import',
      headers: { ...SECRET, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(wrongType.statusCode).toBe(415);
  });
});

describe.runIf(await postgresAvailable())('delivery history shared across processes on PostgreSQL', () => {
  it('lets a second process learn what the first imported', async () => {
    const shared = await postgresStore();
    const first = await testApp({ store: shared });
    const second = await buildApp({
      store: await postgresStore(shared.schemaName),
      merchants: [baseConfig()],
      clock: () => MONDAY_MORNING,
      transitRefreshMs: 50,
    });
    try {
      expect((await second.inject(PROMISE)).json().options[0].estimate.basis).toBe('configured');
      await importCsv(first, pastDeliveries(40));
      await new Promise((resolve) => setTimeout(resolve, 300));
      // A minute later: the first answer may still be reused within its minute on a lane whose history moved.
      expect((await second.inject(`${PROMISE}&at=2026-11-23T09:02:00Z`)).json().options[0].estimate).toEqual({
        basis: 'history',
        samples: 40,
        onTimeTarget: 0.95,
      });
    } finally {
      await second.close();
      await first.close();
    }
  });
});
