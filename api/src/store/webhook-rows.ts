/** Webhook endpoint, attempt and exception rows as both stores read them. */
import type { ShipmentException, WebhookAttempt, WebhookEndpoint } from './store.ts';

export interface EndpointRow {
  id: string;
  url: string;
  events: string;
  description: string | null;
  secret: string;
  previous_secret: string | null;
  previous_until: number | string | null;
  state: WebhookEndpoint['state'];
  disabled_reason: string | null;
  failing_since: number | string | null;
  created_at: string;
}

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

const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value));

export function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
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
