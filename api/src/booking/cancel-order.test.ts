import { describe, expect, it } from 'vitest';
import type { Order, Shipment } from '../../../shared/src/orders.ts';
import { baseConfig } from '../../../test/fixtures/merchant.ts';
import { compileMerchant } from '../promise/merchant.ts';
import { decideCancellation } from './cancel-order.ts';

const merchant = compileMerchant(baseConfig());
const shipment = (status: Shipment['status'], quantity = 2): Shipment => ({
  id: 'shp_1',
  warehouse: 'paris',
  carrier: 'colissimo',
  service: 'colissimo-home',
  items: [{ sku: 'MUG-01', quantity }],
  reservations: [{ sku: 'MUG-01', quantity, backorder: false }],
  dispatchDate: '2026-11-23',
  promisedDelivery: { earliest: '2026-11-24', latest: '2026-11-25' },
  status,
  trackingNumber: null,
});
const order = (status: Order['status'], shipmentStatus: Shipment['status'] = 'pending'): Order =>
  ({
    id: 'ord_1',
    status,
    items: [{ sku: 'MUG-01', quantity: 2, unitPrice: 100 }],
    shipments: [shipment(shipmentStatus)],
    timeline: [],
  }) as unknown as Order;
const context = { now: Date.parse('2026-11-23T10:00:00Z'), actor: 'api_key:k1' };

describe('decideCancellation', () => {
  it('cancels the whole order, releases its reservations and announces order.cancelled', () => {
    const decision = decideCancellation(order('accepted'), {}, merchant, context);
    expect(decision).toMatchObject({
      ok: true,
      order: { status: 'cancelled', shipments: [{ status: 'cancelled' }] },
      releases: [{ warehouse: 'paris', sku: 'MUG-01', quantity: 2 }],
      outbox: [{ type: 'order.cancelled', payload: { orderId: 'ord_1', whole: true } }],
    });
    expect(decision.ok && decision.order.timeline.at(-1)).toMatchObject({
      type: 'order.cancelled',
      actor: 'api_key:k1',
    });
  });

  it('cancels some lines and keeps the order going, with the reason on the timeline', () => {
    const decision = decideCancellation(
      order('accepted'),
      { items: [{ sku: 'MUG-01', quantity: 1 }], reason: 'Shopper changed her mind' },
      merchant,
      context,
    );
    expect(decision).toMatchObject({
      ok: true,
      order: { status: 'accepted', items: [{ sku: 'MUG-01', quantity: 1 }] },
      releases: [{ quantity: 1 }],
    });
    expect(decision.ok && decision.order.timeline.at(-1)?.message).toBe('Shopper changed her mind');
  });

  it('refuses once the parcel has left, and an order cancelled already', () => {
    expect(decideCancellation(order('shipped', 'in_transit'), {}, merchant, context)).toMatchObject({
      ok: false,
      error: { code: 'not_cancellable' },
    });
    expect(decideCancellation(order('cancelled'), {}, merchant, context)).toMatchObject({
      ok: false,
      error: { code: 'not_cancellable' },
    });
  });

  it('refuses to cancel more than was ordered, naming the line', () => {
    expect(
      decideCancellation(order('accepted'), { items: [{ sku: 'MUG-01', quantity: 3 }] }, merchant, context),
    ).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', details: [{ field: 'items[0].quantity', code: 'more_than_ordered' }] },
    });
  });
});
