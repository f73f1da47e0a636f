/**
 * Rows as both stores read them, and their mapping to the port's shapes: one place for both dialects. Where the
 * drivers differ (SQLite hands back JSON as text and instants as ISO strings, PostgreSQL as objects and Dates,
 * bigints as strings), the mapping takes either.
 */
import type { Order } from '../../../shared/src/orders.ts';
import type { StoredKey } from '../booking/idempotency.ts';
import type { StockLevel } from '../promise/availability.ts';
import type { ShipmentException } from './ports/exceptions.ts';
import type { StockMovement } from './ports/inventory.ts';
import type { OutboxJob, OutboxStats } from './ports/outbox.ts';
import type { StoredLabel } from './ports/tracking.ts';
import type { StoredObservation, TransitSource } from './ports/transit-history.ts';
import type { WebhookAttempt, WebhookEndpoint } from './ports/webhooks.ts';

const iso = (value: string | Date) => (typeof value === 'string' ? value : value.toISOString());
const json = <T>(value: string | T): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value));

export const LEVEL_COLUMNS = 'warehouse_id, sku, on_hand, reserved, safety_stock, incoming';

export interface LevelRow {
  warehouse_id: string;
  sku: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  incoming: string | StockLevel['incoming'];
}

export function toLevel(row: LevelRow): StockLevel {
  return {
    warehouse: row.warehouse_id,
    sku: row.sku,
    onHand: row.on_hand,
    reserved: row.reserved,
    safetyStock: row.safety_stock,
    incoming: json(row.incoming),
  };
}

export const MOVEMENT_COLUMNS = 'at, warehouse_id, sku, on_hand_delta, reserved_delta, reason, order_id, note';

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
    at: iso(row.at),
    warehouse: row.warehouse_id,
    sku: row.sku,
    onHandDelta: row.on_hand_delta,
    reservedDelta: row.reserved_delta,
    reason: row.reason,
    orderId: row.order_id,
    note: row.note ?? null,
  };
}

export interface KeyRow {
  request_hash: string;
  state: StoredKey['state'];
  status_code: number | null;
  response_body: string | null;
  locked_at: number | string;
  expires_at: number | string;
}

export function toStoredKey(row: KeyRow): StoredKey {
  return {
    requestHash: row.request_hash,
    state: row.state,
    statusCode: row.status_code,
    responseBody: row.response_body,
    lockedAt: Number(row.locked_at),
    expiresAt: Number(row.expires_at),
  };
}

export interface OrderRow {
  merchant_id: string;
  document: string | Order;
}

export const toOrder = (row: Pick<OrderRow, 'document'>): Order => json(row.document);

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

export function toJob(row: OutboxRow): OutboxJob {
  return {
    id: Number(row.id),
    merchantId: row.merchant_id,
    orderId: row.order_id,
    type: row.type,
    payload: json(row.payload),
    laneKey: row.lane_key ?? null,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    availableAt: iso(row.available_at),
    createdAt: iso(row.created_at),
  };
}

/** `SELECT state, count(*) AS n, min(created_at of pending) AS oldest … GROUP BY state` as both stores run it. */
export const OUTBOX_STATS_SQL = `SELECT state, count(*) AS n, min(CASE WHEN state = 'pending' THEN created_at END) AS oldest
  FROM outbox WHERE state <> 'done' GROUP BY state`;

export function toOutboxStats(rows: { state: OutboxJob['state']; n: number | string; oldest: string | Date | null }[]) {
  const of = (state: OutboxJob['state']) => rows.find((r) => r.state === state);
  const oldest = of('pending')?.oldest;
  return {
    pending: Number(of('pending')?.n ?? 0),
    running: Number(of('running')?.n ?? 0),
    dead: Number(of('dead')?.n ?? 0),
    oldestPendingAt: oldest ? iso(oldest) : null,
  } satisfies OutboxStats;
}

export interface LabelRow {
  shipment_id: string;
  carrier: string;
  tracking_number: string;
  pdf: Buffer;
}

export const toLabel = (row: LabelRow): StoredLabel => ({
  shipmentId: row.shipment_id,
  carrier: row.carrier,
  trackingNumber: row.tracking_number,
  pdf: new Uint8Array(row.pdf),
});

export interface EndpointRow {
  id: string;
  url: string;
  events: string | string[];
  description: string | null;
  secret: string;
  previous_secret: string | null;
  previous_until: number | string | null;
  state: WebhookEndpoint['state'];
  disabled_reason: string | null;
  failing_since: number | string | null;
  created_at: string;
}

export function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: json(row.events),
    description: row.description,
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousUntil: numberOrNull(row.previous_until),
    state: row.state,
    disabledReason: row.disabled_reason,
    failingSince: numberOrNull(row.failing_since),
    createdAt: row.created_at,
  };
}

/** An endpoint's columns in insert order, for both dialects' upserts. */
export const endpointValues = (merchantId: string, e: WebhookEndpoint) => [
  merchantId,
  e.id,
  e.url,
  JSON.stringify(e.events),
  e.description,
  e.secret,
  e.previousSecret,
  e.previousUntil,
  e.state,
  e.disabledReason,
  e.failingSince,
  e.createdAt,
];

export interface AttemptRow {
  endpoint_id: string;
  message_id: string;
  event_type: string;
  attempt: number;
  at: string;
  status: number | null;
  duration_ms: number;
  error: string | null;
  excerpt: string | null;
  outcome: WebhookAttempt['outcome'] | null;
}

export function toAttempt(row: AttemptRow): WebhookAttempt {
  return {
    endpointId: row.endpoint_id,
    messageId: row.message_id,
    eventType: row.event_type,
    attempt: row.attempt,
    at: row.at,
    status: row.status,
    durationMs: row.duration_ms,
    error: row.error,
    excerpt: row.excerpt,
    // Attempts logged before outcomes were recorded: an answer is the only thing a status proves.
    outcome: row.outcome ?? (row.status === null ? 'no_connection' : 'answered'),
  };
}

/** An attempt's columns in insert order, for both dialects. */
export const attemptValues = (merchantId: string, a: WebhookAttempt) => [
  merchantId,
  a.endpointId,
  a.messageId,
  a.eventType,
  a.attempt,
  a.at,
  a.status,
  a.durationMs,
  a.error,
  a.excerpt,
  a.outcome,
];

export interface ExceptionRow {
  id: string;
  kind: ShipmentException['kind'];
  order_id: string;
  /** '' when the exception is about no one shipment (the column predates such exceptions) */
  shipment_id: string;
  reason: ShipmentException['reason'];
  next_action: string;
  detail: string | null;
  state: ShipmentException['state'];
  note: string | null;
  created_at: string;
  updated_at: string;
}

export function toException(row: ExceptionRow): ShipmentException {
  return {
    id: row.id,
    kind: row.kind,
    orderId: row.order_id,
    shipmentId: row.shipment_id === '' ? null : row.shipment_id,
    reason: row.reason,
    nextAction: row.next_action,
    detail: row.detail,
    state: row.state,
    note: row.note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** An exception's columns in insert order, for both dialects. */
export const exceptionValues = (merchantId: string, e: ShipmentException) => [
  merchantId,
  e.id,
  e.kind,
  e.orderId,
  e.shipmentId ?? '',
  e.reason,
  e.nextAction,
  e.detail,
  e.state,
  e.note,
  e.createdAt,
  e.updatedAt,
];

/** A transit_history row: instants as ms (PostgreSQL's bigint arrives as a string). */
export interface ObservationRow {
  id: number | string;
  service: string;
  warehouse: string;
  country: string;
  postal_code: string;
  dispatched_at: number | string;
  delivered_at: number | string;
  source: TransitSource;
}

export function toObservation(row: ObservationRow): StoredObservation {
  return {
    id: Number(row.id),
    service: row.service,
    warehouse: row.warehouse,
    country: row.country,
    postalCode: row.postal_code,
    dispatchedAt: Number(row.dispatched_at),
    deliveredAt: Number(row.delivered_at),
    source: row.source,
  };
}
