import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { plannedJourney } from '../../api/src/pipeline/carriers/sandbox-journey.ts';
import { bookOne, MONDAY_MORNING, SECRET, storeFactories, testApp } from '../fixtures/app.ts';

const stores = await storeFactories();
const shipment = {
  id: 'shp_1',
  warehouse: 'paris',
  carrier: 'colissimo',
  service: 'colissimo-home',
  items: [],
  reservations: [],
  dispatchDate: '2026-11-23',
  promisedDelivery: { earliest: '2026-11-24', latest: '2026-11-25' },
  status: 'label_created' as const,
  trackingNumber: 'CA123456785FR',
};

describe('sandbox journeys', () => {
  const calm = { speed: 1, delayRate: 0, failedAttemptRate: 0, lossRate: 0 };

  it('plans pickup on the dispatch day and delivery on the promised earliest day', () => {
    const events = plannedJourney('CA123456785FR', shipment, '2026-11-23T10:00:00Z', calm);
    expect(events.map((e) => e.code)).toEqual(['PCK', 'ACC', 'TRN', 'ARR', 'OFD', 'DLV']);
    expect(events[0]?.occurredAt).toBe('2026-11-23T16:00:00.000Z');
    expect(events.at(-1)?.occurredAt.slice(0, 10)).toBe('2026-11-24');
  });

  it('adds a failed attempt, a day of delay, or stops the scans of a lost parcel, at the configured rates', () => {
    expect(
      plannedJourney('X', shipment, '2026-11-23T10:00:00Z', { ...calm, failedAttemptRate: 1 }).map((e) => e.code),
    ).toEqual(['PCK', 'ACC', 'TRN', 'ARR', 'OFD', 'FAT', 'OFD', 'DLV']);
    expect(
      plannedJourney('X', shipment, '2026-11-23T10:00:00Z', { ...calm, delayRate: 1 })
        .at(-1)
        ?.occurredAt.slice(0, 10),
    ).toBe('2026-11-25');
    expect(plannedJourney('X', shipment, '2026-11-23T10:00:00Z', { ...calm, lossRate: 1 }).map((e) => e.code)).toEqual([
      'PCK',
      'ACC',
      'TRN',
    ]);
  });
});

describe.each(stores)('the sandbox carrier over time, on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  afterEach(async () => app?.close());

  it('moves a booked order to delivered by polling, days passing in seconds', async () => {
    let now = MONDAY_MORNING;
    app = await testApp({
      store: await makeStore(),
      now: () => now,
      pipeline: { sandbox: { speed: 3600, delayRate: 0, failedAttemptRate: 1, lossRate: 0 } },
    });
    const booked = await bookOne(app);
    const id = booked.json().id;
    await app.relay.drain();
    const statuses: string[] = [];
    for (let step = 0; step < 30; step++) {
      now += 10_000; // 10 s real = 10 h simulated
      await app.trackingPoller.runOnce();
      const order = (await app.inject({ url: `/v1/orders/${id}`, headers: SECRET })).json();
      statuses.push(order.shipments[0].status);
    }
    // Polled every 10 simulated hours: some scans fall between polls, but the order of what is seen holds.
    const journey = ['picked_up', 'in_transit', 'failed_attempt', 'out_for_delivery', 'delivered'];
    const seen = [...new Set(statuses)];
    expect(seen).toEqual(journey.filter((s) => seen.includes(s)));
    expect(seen).toContain('failed_attempt');
    expect(statuses.at(-1)).toBe('delivered');
    const exceptions = (await app.inject({ url: '/v1/exceptions', headers: SECRET })).json().data;
    expect(exceptions.map((e: { reason: string }) => e.reason)).toEqual(['failed_attempt']);
  });
});
