/** Rules every store adapter applies the same way. */
import type { StockMovement } from './store.ts';

/** Idempotency keys and their responses are kept at least this long (CONTRACT §4: ≥ 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** A key in progress for longer than this belonged to a process that died; another request may take it over. */
export const IDEMPOTENCY_LOCK_MS = 60_000;

/** Order statuses whose shipments may still be moving (the exception scan pages through these). */
export const IN_FLIGHT_SQL = `status IN ('accepted', 'in_preparation', 'partially_shipped', 'shipped')`;

/** The incoming quantity a level can promise against (backorders). */
export function incomingTotal(incoming: readonly { quantity: number }[]): number {
  return incoming.reduce((sum, entry) => sum + entry.quantity, 0);
}

/** A stock_movements row as both stores read it. */
export interface MovementRow {
  at: string | Date;
  warehouse_id: string;
  sku: string;
  on_hand_delta: number;
  reserved_delta: number;
  reason: StockMovement['reason'];
  order_id: string | null;
  note: string | null;
}

export function toMovement(row: MovementRow): StockMovement {
  return {
    at: typeof row.at === 'string' ? row.at : row.at.toISOString(),
    warehouse: row.warehouse_id,
    sku: row.sku,
    onHandDelta: row.on_hand_delta,
    reservedDelta: row.reserved_delta,
    reason: row.reason,
    orderId: row.order_id,
    note: row.note ?? null,
  };
}
