/**
 * Normalized tracking statuses (CONTRACT §4) and each carrier adapter's table from its own event codes.
 * A code missing from a table is refused at ingestion, never guessed.
 */
import { SHIPMENT_STATUSES, type ShipmentStatus } from '../../../../shared/src/orders.ts';

export const TRACKING_STATUSES = SHIPMENT_STATUSES.filter(
  (status): status is Exclude<ShipmentStatus, 'pending'> => status !== 'pending',
);

export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

/** A look-up table without a prototype, so that a code or adapter named `constructor` or `toString` finds nothing. */
function table<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/** The sandbox carrier's event codes (modelled on postal carriers' scan codes). */
export const SANDBOX_CODES: Readonly<Record<string, TrackingStatus>> = table({
  LBL: 'label_created',
  PCK: 'picked_up',
  ACC: 'in_transit', // accepted at a sorting centre
  TRN: 'in_transit',
  ARR: 'in_transit', // arrived at the delivery depot
  OFD: 'out_for_delivery',
  PUP: 'available_for_pickup',
  DLV: 'delivered',
  FAT: 'failed_attempt',
  EXC: 'exception',
  RTS: 'returned_to_sender',
  CAN: 'cancelled',
});

/** Code tables by adapter name. */
export const CARRIER_CODES: Readonly<Record<string, Readonly<Record<string, TrackingStatus>>>> = table({
  sandbox: SANDBOX_CODES,
});

/** Statuses that need someone to look at the shipment. */
export const EXCEPTIONAL: ReadonlySet<TrackingStatus> = new Set(['failed_attempt', 'exception', 'returned_to_sender']);
