/** Rules every store adapter applies the same way. */

import { IN_FLIGHT } from '../booking/order-status.ts';

/** Order statuses whose shipments may still be moving (the exception scan pages through these), as SQL. */
export const IN_FLIGHT_SQL = `status IN (${IN_FLIGHT.map((status) => `'${status}'`).join(', ')})`;

/** The ledger's reason for stock an order gives up: shipped, released, or released by hand with a note. */
export function takenReason(kind: 'release' | 'ship', note: string | null | undefined): 'release' | 'ship' | 'adjust' {
  return kind === 'release' && note ? 'adjust' : kind;
}

/** The incoming quantity a level can promise against (backorders). */
export function incomingTotal(incoming: readonly { quantity: number }[]): number {
  return incoming.reduce((sum, entry) => sum + entry.quantity, 0);
}

/** Reservations in one global order (warehouse, then sku), so concurrent transactions lock rows alike. */
export const inLockOrder = <R extends { warehouse: string; sku: string }>(reservations: readonly R[]): R[] =>
  [...reservations].sort((a, b) => a.warehouse.localeCompare(b.warehouse) || a.sku.localeCompare(b.sku));
