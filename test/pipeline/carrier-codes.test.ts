/**
 * Real carriers' own event codes (CONTRACT §7): each table against the code list it was written from, a test
 * per code; the codes of real sample payloads (test/fixtures/carriers/*.json, each with its public source) all
 * known to their table; and a carrier's own codes pushed through the signed route, an unknown one kept on the
 * timeline as `shipment.unknown_event`, counted in /metrics, and changing nothing.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { CodeTableName } from '../../api/src/pipeline/tracking/statuses.ts';
import { readCode } from '../../api/src/pipeline/tracking/statuses.ts';
import { bookAndLabel, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';

interface Fixture {
  codes: Record<string, { status: string | null; meaning: string }>;
  samples: { source: string; payload: unknown }[];
}
const fixture = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`../fixtures/carriers/${name}.json`, import.meta.url), 'utf8'));

/** What `pick` finds in every object of a payload, however deep. */
function collect(node: unknown, pick: (value: Record<string, unknown>) => string[]): string[] {
  if (Array.isArray(node)) return node.flatMap((item) => collect(item, pick));
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  return [...pick(record), ...Object.values(record).flatMap((value) => collect(value, pick))];
}
const strings = (...values: unknown[]) => values.filter((v): v is string => typeof v === 'string' && v !== '');

/** How each carrier's payloads carry their codes (each fixture's `codePath`). */
const CARRIERS: [CodeTableName, string, (r: Record<string, unknown>) => string[]][] = [
  [
    'laposte',
    'laposte',
    (r) => (Array.isArray(r.event) ? r.event.flatMap((e: { code?: unknown }) => strings(e.code)) : []),
  ],
  ['dhl', 'dhl', (r) => strings(r.statusCode)],
  [
    'ups',
    'ups',
    (r) => {
      const status = (r.status ?? r.activityStatus) as { type?: unknown; code?: unknown } | undefined;
      return status && typeof status === 'object' && typeof status.type === 'string'
        ? [`${status.type}/${String(status.code)}`]
        : [];
    },
  ],
  ['gls', 'gls', (r) => (Array.isArray(r.events) ? r.events.flatMap((e: { code?: unknown }) => strings(e.code)) : [])],
  // DPD: life-cycle steps (statusInfo[] entries) and the scan files' codes.
  [
    'dpd',
    'dpd',
    (r) => strings(r.SCAN_CODE, 'isCurrentStatus' in r || 'statusHasBeenReached' in r ? r.status : undefined),
  ],
  ['mondial_relay', 'mondial_relay', (r) => strings(r.STAT)],
];

describe.each(CARRIERS)('the %s code table', (table, file, pick) => {
  const { codes, samples } = fixture(file);
  // UPS delivery codes valid under any type are written `*/code` in the fixture, `any/code` in the table.
  it.each(Object.entries(codes).map(([code, { status }]) => [code.replace(/^\*\//, 'any/'), status] as const))(
    'reads %s as %s',
    (code, status) => {
      expect(readCode(table, code)).toBe(status);
    },
  );

  it('knows every code of the real sample payloads', () => {
    const found = samples.flatMap((sample) => collect(sample.payload, pick));
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((code) => readCode(table, code) === undefined)).toEqual([]);
  });
});

const stores = await storeFactories();
const PUSH_SECRET = 'laposte-push-secret-0123456789';

describe.each(stores)('carrier codes pushed on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  afterEach(async () => app?.close());

  it("follows a Colissimo parcel by La Poste's codes; an unknown code is kept, counted, and moves nothing", async () => {
    const config = baseConfig();
    const carrier = config.carriers[0];
    if (!carrier) throw new Error('fixture without carrier');
    carrier.eventCodes = 'laposte';
    carrier.trackingSecret = PUSH_SECRET;
    app = await testApp({ store: await makeStore(), merchants: [config] });
    const booked = await bookAndLabel(app);
    const tn = booked.shipments[0].trackingNumber;
    const push = (events: Record<string, unknown>[]) => {
      const body = JSON.stringify({ events: events.map((e) => ({ trackingNumber: tn, ...e })) });
      return app.inject({
        method: 'POST',
        url: `/v1/tracking/carriers/test/${carrier.id}/events`,
        headers: {
          'content-type': 'application/json',
          'x-promesse-signature': `sha256=${createHmac('sha256', PUSH_SECRET).update(body).digest('hex')}`,
        },
        payload: body,
      });
    };
    const scans = [
      ['PC1', '2026-11-23T17:00:00+01:00'],
      ['ET1', '2026-11-23T22:00:00+01:00'],
      ['ET3', '2026-11-24T05:00:00+01:00'],
      ['MD2', '2026-11-24T08:00:00+01:00'],
    ];
    const first = await push(scans.map(([code, occurredAt]) => ({ code, occurredAt })));
    expect(first.json()).toEqual({ applied: 4, unknown: 0, duplicates: 0, rejected: [] });
    const unknown = await push([{ code: 'ZZ9', occurredAt: '2026-11-24T09:00:00+01:00', description: 'Nouveau code' }]);
    expect(unknown.json()).toEqual({ applied: 0, unknown: 1, duplicates: 0, rejected: [] });
    const order = (await app.inject({ url: `/v1/orders/${booked.id}`, headers: SECRET })).json();
    expect(order.shipments[0].status).toBe('out_for_delivery');
    expect(order.timeline.filter((t: { type: string }) => t.type === 'shipment.unknown_event')).toEqual([
      expect.objectContaining({ message: 'unknown carrier event ZZ9: Nouveau code' }),
    ]);
    const again = await push([{ code: 'ZZ9', occurredAt: '2026-11-24T09:00:00+01:00', description: 'Nouveau code' }]);
    expect(again.json()).toMatchObject({ unknown: 0, duplicates: 1 });
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.body).toContain('promesse_tracking_unknown_events_total{codes="laposte"} 1');
    const delivered = await push([{ code: 'DI1', occurredAt: '2026-11-24T11:30:00+01:00' }]);
    expect(delivered.json()).toMatchObject({ applied: 1 });
    const done = (await app.inject({ url: `/v1/orders/${booked.id}`, headers: SECRET })).json();
    expect(done.status).toBe('delivered');
  });
});
