/** The shape of a carrier code table (see ../statuses.ts), and how one is built. */
import { SHIPMENT_STATUSES, type ShipmentStatus } from '../../../../../shared/src/orders.ts';

export const TRACKING_STATUSES = SHIPMENT_STATUSES.filter(
  (status): status is Exclude<ShipmentStatus, 'pending'> => status !== 'pending',
);

export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

/** A code table: a carrier's code → our status, or null for a code with no counterpart. */
export type CodeTable = Readonly<Record<string, TrackingStatus | null>>;

/** A look-up table without a prototype, so that a code named `constructor` or `toString` finds nothing. */
export function codeTable(entries: Record<string, TrackingStatus | null>): CodeTable {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, TrackingStatus | null>, entries));
}
