import { describe, expect, it } from 'vitest';
import type { Order, Shipment } from '../../../shared/src/orders.ts';
import { baseConfig } from '../../../test/fixtures/merchant.ts';
import { dayFromIso } from '../promise/local-date.ts';
import { compileMerchant } from '../promise/merchant.ts';
import { AccuracyTally, deliveryOutcome, isoWeek, promiseAccuracy } from './accuracy.ts';

const merchant = compileMerchant(baseConfig());

/** A parcel from Paris promised for 25–26 November. */
function shipment(changes: Partial<Shipment> = {}): Shipment {
  return {
    id: 'shp_1',
    warehouse: 'paris',
    carrier: 'colissimo',
    service: 'colissimo-home',
    items: [{ sku: 'MUG-01', quantity: 1 }],
    reservations: [{ sku: 'MUG-01', quantity: 1, backorder: false }],
    dispatchDate: '2026-11-23',
    promisedDelivery: { earliest: '2026-11-25', latest: '2026-11-26' },
    status: 'delivered',
    trackingNumber: 'TN1',
    ...changes,
  };
}

const order = (id: string, createdAt: string, shipments: Shipment[]) =>
  ({ id, createdAt, shipments, shippingAddress: { country: 'FR', postalCode: '75011' } }) as unknown as Order;

describe('deliveryOutcome', () => {
  it('reads the delivery date in the warehouse zone: 23:30 UTC on the 26th is the 27th in Paris, late', () => {
    expect(deliveryOutcome(shipment({ deliveredAt: '2026-11-26T22:30:00Z' }), merchant)).toBe('within');
    expect(deliveryOutcome(shipment({ deliveredAt: '2026-11-26T23:30:00Z' }), merchant)).toBe('late');
  });

  it('calls a delivery before earliest early, and nothing before a delivery', () => {
    expect(deliveryOutcome(shipment({ deliveredAt: '2026-11-24T10:00:00Z' }), merchant)).toBe('early');
    expect(deliveryOutcome(shipment({ status: 'in_transit' }), merchant)).toBeNull();
  });

  it('takes the last event of a parcel delivered before deliveredAt was kept', () => {
    expect(deliveryOutcome(shipment({ lastEventAt: '2026-11-25T10:00:00Z' }), merchant)).toBe('within');
    expect(deliveryOutcome(shipment({ lastEventAt: '2026-11-28T10:00:00Z' }), merchant)).toBe('late');
  });
});

describe('isoWeek', () => {
  it('numbers weeks from the one with the first Thursday, across the turn of the year', () => {
    expect(isoWeek(dayFromIso('2026-11-23') as number)).toBe('2026-W48');
    expect(isoWeek(dayFromIso('2027-01-01') as number)).toBe('2026-W53');
    expect(isoWeek(dayFromIso('2025-12-29') as number)).toBe('2026-W01');
  });
});

describe('promiseAccuracy', () => {
  it('counts shipments, deliveries, early, late and late days per group, cancelled ones aside', () => {
    const orders = [
      order('o1', '2026-11-23T09:00:00Z', [
        shipment({ deliveredAt: '2026-11-24T10:00:00Z' }), // early
        shipment({ deliveredAt: '2026-11-29T10:00:00Z' }), // 3 days late
      ]),
      order('o2', '2026-11-30T09:00:00Z', [
        shipment({ deliveredAt: '2026-11-26T10:00:00Z' }),
        shipment({ status: 'in_transit', promisedDelivery: { earliest: '2026-12-01', latest: '2026-12-04' } }),
        shipment({ status: 'cancelled' }),
        shipment({ service: 'chrono-13', deliveredAt: '2026-11-27T10:00:00Z' }),
      ]),
    ];
    expect(promiseAccuracy(orders, merchant, 'service')).toEqual([
      {
        key: 'chrono-13',
        shipments: 1,
        delivered: 1,
        onTime: 0,
        early: 0,
        late: 1,
        onTimeRate: 0,
        meanRangeDays: 1,
        lateDays: { p50: 1, p95: 1 },
        transitDays: { p50: 4, p95: 4 },
      },
      {
        key: 'colissimo-home',
        shipments: 4,
        delivered: 3,
        onTime: 2,
        early: 1,
        late: 1,
        onTimeRate: 0.6667,
        meanRangeDays: 1.5,
        lateDays: { p50: 3, p95: 3 },
        transitDays: { p50: 3, p95: 6 }, // 1, 3 and 6 days from the 23rd's dispatch
      },
    ]);
    expect(promiseAccuracy(orders, merchant, 'week').map((g) => [g.key, g.shipments])).toEqual([
      ['2026-W48', 2],
      ['2026-W49', 3],
    ]);
    expect(promiseAccuracy(orders, merchant, 'lane').map((g) => [g.key, g.shipments])).toEqual([['paris→FR', 5]]);
    const tally = new AccuracyTally(merchant, 'week', { service: 'chrono-13' });
    for (const o of orders) tally.add(o);
    expect(tally.groups().map((g) => [g.key, g.shipments])).toEqual([['2026-W49', 1]]);
  });
});
