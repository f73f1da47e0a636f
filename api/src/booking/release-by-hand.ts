/**
 * Releasing an order's reservation by hand: the correction for stock an order holds but will never take (a
 * parcel the carrier lost before it was scanned, an order stuck by an old fault). The units leave the order's
 * shipments still in the warehouse, so that a later cancellation or departure never takes them a second time.
 */
import type { Order, Shipment } from '../../../shared/src/orders.ts';
import { hasLeft } from './order-status.ts';
import type { Reservation } from './plan-order.ts';

export type ReleasePlan =
  | { ok: true; shipments: Shipment[]; releases: Reservation[] }
  | { ok: false; reserved: number };

/**
 * Takes `quantity` units of `sku` reserved at `warehouse` out of the order's shipments that have not left, or
 * says how many it holds there when that is fewer.
 *
 * @example
 * planReleaseByHand(order, { warehouse: 'paris', sku: 'MUG-01', quantity: 1 }) // { ok: true, … }
 */
export function planReleaseByHand(
  order: Order,
  wanted: { warehouse: string; sku: string; quantity: number },
): ReleasePlan {
  const holding = (s: Shipment) => s.warehouse === wanted.warehouse && !hasLeft(s.status) && !s.leftAt;
  const reserved = order.shipments
    .filter(holding)
    .flatMap((s) => s.reservations.filter((r) => r.sku === wanted.sku))
    .reduce((sum, r) => sum + r.quantity, 0);
  if (reserved < wanted.quantity) return { ok: false, reserved };
  let left = wanted.quantity;
  const releases: Reservation[] = [];
  const shipments = order.shipments.map((shipment) => {
    if (!holding(shipment) || left === 0) return shipment;
    const reservations = shipment.reservations.flatMap((r) => {
      if (r.sku !== wanted.sku || left === 0) return [r];
      const take = Math.min(r.quantity, left);
      left -= take;
      releases.push({ warehouse: shipment.warehouse, sku: r.sku, quantity: take, backorder: r.backorder });
      return r.quantity > take ? [{ ...r, quantity: r.quantity - take }] : [];
    });
    return { ...shipment, reservations };
  });
  return { ok: true, shipments, releases };
}
