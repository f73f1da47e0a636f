import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { isoWeek } from '../../api/src/history/accuracy.ts';
import { dayFromIso } from '../../api/src/promise/local-date.ts';
import { bookAndLabel, SECRET, storeFactories, testApp, trackEvents } from '../fixtures/app.ts';

const stores = await storeFactories();
const URL = '/v1/analytics/promise-accuracy?from=2026-11-01&to=2026-11-30';

describe('isoWeek', () => {
  it('names the ISO week, whose year is its Thursday’s', () => {
    const week = (iso: string) => isoWeek(dayFromIso(iso) as number);
    expect(week('2026-11-23')).toBe('2026-W48');
    expect(week('2026-01-01')).toBe('2026-W01');
    expect(week('2027-01-01')).toBe('2026-W53');
    expect(week('2024-12-30')).toBe('2025-W01');
  });
});

describe.each(stores)('promise accuracy on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  afterEach(async () => app?.close());

  it('counts each shipment on time, early or late against the window it was promised', async () => {
    app = await testApp({ store: await makeStore() });
    // Booked on Monday 23 November at 10:00 in Paris: promised Tuesday 24 – Wednesday 25.
    const delivered = async (at: string) => {
      const order = await bookAndLabel(app);
      expect(order.shipments[0].promisedDelivery).toEqual({ earliest: '2026-11-24', latest: '2026-11-25' });
      const tn = order.shipments[0].trackingNumber;
      await trackEvents(app, [
        { trackingNumber: tn, code: 'PCK', occurredAt: '2026-11-23T15:00:00Z' },
        { trackingNumber: tn, code: 'DLV', occurredAt: at },
      ]);
    };
    await delivered('2026-11-24T10:00:00Z'); // on time, within the window
    await delivered('2026-11-25T22:30:00Z'); // 23:30 in Paris: still Wednesday, on time
    await delivered('2026-11-23T19:00:00Z'); // same evening: early, and on time
    await delivered('2026-11-27T09:00:00Z'); // Friday: two days late
    await bookAndLabel(app); // not delivered yet

    const response = await app.inject({ url: URL, headers: SECRET });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      groups: [
        {
          key: 'colissimo-home',
          shipments: 5,
          delivered: 4,
          onTime: 3,
          early: 1,
          late: 1,
          onTimeRate: 0.75,
          meanRangeDays: 1,
          lateDays: { p50: 2, p95: 2 },
          transitDays: { p50: 1, p95: 4 },
        },
      ],
    });
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toContain('promesse_promise_on_time_ratio{merchant="test",service="colissimo-home"} 0.75');
    expect(metrics).toContain('promesse_deliveries_total{merchant="test",service="colissimo-home",outcome="late"} 1');
    const byWeek = (await app.inject({ url: `${URL}&groupBy=week`, headers: SECRET })).json();
    expect(byWeek.groups.map((g: { key: string; shipments: number }) => [g.key, g.shipments])).toEqual([
      ['2026-W48', 5],
    ]);
    const before = await app.inject({
      url: '/v1/analytics/promise-accuracy?from=2026-10-01&to=2026-10-31',
      headers: SECRET,
    });
    expect(before.json().groups).toEqual([]);
  });

  it('refuses a period that is backwards, too long or not dates, an unknown grouping and publishable keys', async () => {
    app = await testApp({ store: await makeStore() });
    const status = async (query: string, headers = SECRET) =>
      (await app.inject({ url: `/v1/analytics/promise-accuracy?${query}`, headers })).statusCode;
    expect(await status('from=2026-11-30&to=2026-11-01')).toBe(400);
    expect(await status('from=2025-01-01&to=2026-11-01')).toBe(400);
    expect(await status('from=2026-02-30&to=2026-03-01')).toBe(400);
    expect(await status('from=2026-11-01&to=2026-11-30&groupBy=colour')).toBe(400);
    expect(await status('from=2026-11-01&to=2026-11-30', { authorization: 'Bearer pk_test_fixture' })).toBe(403);
  });
});
