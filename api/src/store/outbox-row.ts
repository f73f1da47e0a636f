/** An outbox row as both stores read it. */
import type { OutboxJob } from './store.ts';

export interface OutboxRow {
  id: number | string;
  merchant_id: string;
  order_id: string;
  type: string;
  payload: string | Record<string, unknown>;
  lane_key: string | null;
  state: OutboxJob['state'];
  attempts: number;
  last_error: string | null;
  available_at: string | Date;
  created_at: string | Date;
}

const iso = (value: string | Date) => (typeof value === 'string' ? value : value.toISOString());

export function toJob(row: OutboxRow): OutboxJob {
  return {
    id: Number(row.id),
    merchantId: row.merchant_id,
    orderId: row.order_id,
    type: row.type,
    payload: typeof row.payload === 'string' ? (JSON.parse(row.payload) as Record<string, unknown>) : row.payload,
    laneKey: row.lane_key ?? null,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    availableAt: iso(row.available_at),
    createdAt: iso(row.created_at),
  };
}
