/**
 * The order status machine (CONTRACT §4): statuses move forward only, may jump forward (a first tracking event
 * may already say delivered), never back; `cancelled` is reachable only before anything has shipped.
 */
import {
  ORDER_STATUSES,
  type OrderStatus,
  SHIPMENT_STATUSES,
  type ShipmentStatus,
} from '../../../shared/src/orders.ts';

const FORWARD: readonly OrderStatus[] = ORDER_STATUSES.filter((status) => status !== 'cancelled');

/** Orders whose shipments may still be moving: the exception scan and the poller look at these. */
export const IN_FLIGHT: readonly OrderStatus[] = ['accepted', 'in_preparation', 'partially_shipped', 'shipped'];

/** Shipments that will never move again: the poller and the scan leave them alone. */
export const SETTLED: ReadonlySet<ShipmentStatus> = new Set(['delivered', 'cancelled', 'returned_to_sender']);

/** Whether an order may go from one status to another. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  if (from === to) return false;
  if (from === 'cancelled' || from === 'closed') return false;
  if (to === 'cancelled') return from === 'accepted' || from === 'in_preparation';
  return FORWARD.indexOf(to) > FORWARD.indexOf(from);
}

/** Shipment statuses at which the parcel has left the warehouse: from the pickup on, a cancelled label aside. */
const LEFT: ReadonlySet<ShipmentStatus> = new Set(
  SHIPMENT_STATUSES.slice(SHIPMENT_STATUSES.indexOf('picked_up')).filter((status) => status !== 'cancelled'),
);

export function hasLeft(status: ShipmentStatus): boolean {
  return LEFT.has(status);
}

/** The order status its shipments imply (cancelled shipments do not count). */
export function statusFromShipments(statuses: readonly ShipmentStatus[]): OrderStatus {
  const live = statuses.filter((s) => s !== 'cancelled');
  if (live.length === 0) return 'cancelled';
  if (live.every((s) => s === 'delivered')) return 'delivered';
  // Every parcel has settled and some came back to the sender: nothing more will happen to this order.
  if (live.every((s) => s === 'delivered' || s === 'returned_to_sender')) return 'closed';
  const left = live.filter(hasLeft).length;
  if (left === live.length) return 'shipped';
  if (left > 0) return 'partially_shipped';
  return live.some((s) => s === 'label_created') ? 'in_preparation' : 'accepted';
}

/** The next status of an order given its shipments: forward when they say so, else unchanged. */
export function advance(current: OrderStatus, statuses: readonly ShipmentStatus[]): OrderStatus {
  const implied = statusFromShipments(statuses);
  return canTransition(current, implied) ? implied : current;
}
