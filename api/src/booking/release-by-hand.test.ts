import { describe, expect, it } from 'vitest';
import type { Order, Shipment } from '../../../shared/src/orders.ts';
import { planReleaseByHand } from './release-by-hand.ts';

const shipment = (id: string, quantity: number, status: Shipment['status'] = 'label_created'): Shipment => ({
  id,
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
const order = (...shipments: Shipment[]) => ({ shipments }) as Order;

describe('planReleaseByHand', () => {
  it('takes the units out of the shipment that holds them', () => {
    const plan = planReleaseByHand(order(shipment('s1', 3)), { warehouse: 'paris', sku: 'MUG-01', quantity: 2 });
    expect(plan).toEqual({
      ok: true,
      shipments: [expect.objectContaining({ reservations: [{ sku: 'MUG-01', quantity: 1, backorder: false }] })],
      releases: [{ warehouse: 'paris', sku: 'MUG-01', quantity: 2, backorder: false }],
    });
  });

  it('drops a reservation released whole', () => {
    const plan = planReleaseByHand(order(shipment('s1', 1)), { warehouse: 'paris', sku: 'MUG-01', quantity: 1 });
    expect(plan.ok && plan.shipments[0]?.reservations).toEqual([]);
  });

  it('refuses more than the order holds in the warehouse, saying how much it holds', () => {
    expect(planReleaseByHand(order(shipment('s1', 1)), { warehouse: 'paris', sku: 'MUG-01', quantity: 2 })).toEqual({
      ok: false,
      reserved: 1,
    });
    expect(planReleaseByHand(order(shipment('s1', 1)), { warehouse: 'lyon', sku: 'MUG-01', quantity: 1 })).toEqual({
      ok: false,
      reserved: 0,
    });
  });

  it('never takes from a shipment that has left: its stock already left on hand', () => {
    const plan = planReleaseByHand(order(shipment('s1', 2, 'in_transit'), shipment('s2', 1)), {
      warehouse: 'paris',
      sku: 'MUG-01',
      quantity: 2,
    });
    expect(plan).toEqual({ ok: false, reserved: 1 });
  });
});
