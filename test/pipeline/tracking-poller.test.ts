/**
 * The tracking poller works from the store's watch list: a page of due shipments at a time (so newer orders get
 * their turn), settled parcels leave it, and lost ones are given up after a while and their order closed.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { CarrierAdapter, CarrierEvent } from '../../api/src/pipeline/carriers/carrier-adapter.ts';
import { scanForExceptions } from '../../api/src/pipeline/exceptions.ts';
import { TrackingPoller } from '../../api/src/pipeline/tracking/poller.ts';
import { bookOne, MONDAY_MORNING, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';

const stores = await storeFactories();
const DAY = 86_400_000;

describe.each(stores)('the tracking poller on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  let now = MONDAY_MORNING;
  afterEach(async () => app?.close());

  /** A carrier whose answers the test sets per tracking number, counting the questions. */
  const carrier = () => {
    const news = new Map<string, CarrierEvent[]>();
    const asked: string[] = [];
    const adapter: CarrierAdapter = {
      name: 'sandbox',
      createLabel: async () => {
        throw new Error('not used');
      },
      cancelLabel: async () => {},
      track: async ({ trackingNumber }) => {
        asked.push(trackingNumber);
        return news.get(trackingNumber) ?? [];
      },
    };
    return { adapter, news, asked };
  };

  const start = async (orders: number) => {
    now = MONDAY_MORNING;
    const config = baseConfig();
    config.limits = { writesPerMinutePerKey: 100_000 };
    app = await testApp({ store: await makeStore(), now: () => now, merchants: [config] });
    const ids: string[] = [];
    for (let i = 0; i < orders; i++) ids.push((await bookOne(app)).json().id);
    await app.relay.drain();
    const tracking: string[] = [];
    for (const id of ids)
      tracking.push(
        (await app.inject({ url: `/v1/orders/${id}`, headers: SECRET })).json().shipments[0].trackingNumber,
      );
    return { ids, tracking };
  };
  const poller = (adapter: CarrierAdapter, batchSize: number) =>
    new TrackingPoller({
      store: app.store,
      merchants: app.merchants,
      adapters: { sandbox: adapter },
      clock: () => now,
      pollAfterMs: 60_000,
      perCarrier: 100,
      batchSize,
      giveUpMs: 30 * DAY,
      random: () => 0.5,
    });

  it('polls a page of due shipments per round, so every parcel gets its turn', async () => {
    const { tracking } = await start(5);
    const { adapter, asked } = carrier();
    const rounds = poller(adapter, 2);
    expect((await rounds.runOnce()).polled).toBe(2);
    expect((await rounds.runOnce()).polled).toBe(2);
    expect((await rounds.runOnce()).polled).toBe(1);
    expect((await rounds.runOnce()).polled).toBe(0);
    expect(new Set(asked)).toEqual(new Set(tracking));
    now += 61_000;
    expect((await rounds.runOnce()).polled).toBe(2);
  });

  it('stops watching a parcel returned to sender and closes its order', async () => {
    const { ids, tracking } = await start(2);
    const { adapter, news, asked } = carrier();
    news.set(tracking[0]!, [
      { eventId: 'p', code: 'PCK', occurredAt: '2026-11-23T16:00:00.000Z' },
      { eventId: 'r', code: 'RTS', occurredAt: '2026-11-25T10:00:00.000Z' },
    ]);
    const rounds = poller(adapter, 10);
    await rounds.runOnce();
    const returned = (await app.inject({ url: `/v1/orders/${ids[0]}`, headers: SECRET })).json();
    expect(returned.status).toBe('closed');
    for (let i = 0; i < 3; i++) {
      now += 61_000;
      await rounds.runOnce();
    }
    expect(asked.filter((tn) => tn === tracking[0])).toHaveLength(1); // dropped without asking again
    expect(asked.filter((tn) => tn === tracking[1])).toHaveLength(4);
  });

  it('gives up on a parcel silent past the give-up time: no more polls, its order closed as lost', async () => {
    const { ids, tracking } = await start(1);
    const { adapter, news, asked } = carrier();
    news.set(tracking[0]!, [{ eventId: 'p', code: 'PCK', occurredAt: '2026-11-23T16:00:00.000Z' }]);
    const rounds = poller(adapter, 10);
    await rounds.runOnce();
    now = Date.parse('2026-12-24T00:00:00Z'); // 30 days and more after the last scan
    await rounds.runOnce();
    now += 61_000;
    await rounds.runOnce();
    expect(asked).toHaveLength(1);
    await scanForExceptions({ store: app.store, clock: () => now, noScanMs: 2 * DAY, giveUpMs: 30 * DAY });
    const lost = (await app.inject({ url: `/v1/orders/${ids[0]}`, headers: SECRET })).json();
    expect(lost.status).toBe('closed');
    expect(lost.timeline.at(-1)).toMatchObject({
      type: 'order.closed',
      message: 'Closed: no carrier news for 30 days.',
    });
    const open = (await app.inject({ url: '/v1/exceptions', headers: SECRET })).json().data;
    expect(open.map((e: { reason: string }) => e.reason).sort()).toEqual(['late', 'no_scan']);
    // Closed orders are no longer in flight: the next scan finds nothing more to do.
    expect(await app.store.ordersInFlight({ after: null, limit: 10 })).toEqual([]);
  });
});
