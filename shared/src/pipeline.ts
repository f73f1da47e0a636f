/**
 * What the API shows of the pipeline, as schemas: exceptions, outbox jobs, webhook endpoints and their delivery
 * attempts. The store's ports take their types from here, so the routes and the store say the same thing.
 */
import { type Static, Type } from 'typebox';
import { Instant, Nullable } from './primitives.ts';

export const EXCEPTION_STATES = ['open', 'acknowledged', 'resolved'] as const;
export const EXCEPTION_REASONS = [
  'failed_attempt',
  'exception',
  'returned_to_sender',
  'no_scan',
  'late',
  'label_voided',
  'delivery_failed',
  'job_failed',
  'carrier_refused',
  'channel_order_failed',
] as const;

export const ShipmentException = Type.Object({
  id: Type.String(),
  kind: Type.Enum(['shipment', 'outbox', 'channel'], {
    description:
      'shipment: carrier news or silence about a parcel; outbox: a job that gave up (webhook, label); channel: a shop platform order that could not be booked or cancelled',
  }),
  orderId: Type.String({ description: 'the order; for a channel exception the platform order, ch:<channel>:<its id>' }),
  shipmentId: Nullable(Type.String({ description: 'null when the exception is not about one shipment' })),
  reason: Type.Enum(EXCEPTION_REASONS),
  nextAction: Type.String(),
  detail: Nullable(Type.String()),
  state: Type.Enum(EXCEPTION_STATES),
  note: Nullable(Type.String()),
  createdAt: Instant,
  updatedAt: Instant,
});

export const OUTBOX_STATES = ['pending', 'running', 'done', 'dead'] as const;

export const OutboxJob = Type.Object({
  id: Type.Integer(),
  merchantId: Type.String(),
  orderId: Type.String(),
  type: Type.String({ description: 'order.accepted, shipment.requested, webhook.deliver …' }),
  payload: Type.Record(Type.String(), Type.Unknown()),
  laneKey: Nullable(Type.String({ description: 'what bounds its concurrency besides its merchant (an endpoint)' })),
  state: Type.Enum(OUTBOX_STATES),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  availableAt: Instant,
  createdAt: Instant,
});

/** A job as GET /v1/outbox shows it: what the relay keeps for itself (merchant, lane) stays inside. */
export const OutboxJobView = Type.Omit(OutboxJob, ['merchantId', 'laneKey']);

export const WebhookAttempt = Type.Object({
  endpointId: Type.String(),
  messageId: Type.String(),
  eventType: Type.String(),
  attempt: Type.Integer(),
  at: Instant,
  status: Nullable(Type.Integer()),
  durationMs: Type.Integer(),
  error: Nullable(Type.String()),
  excerpt: Nullable(Type.String({ description: 'the first 500 characters of the answer, never more' })),
  outcome: Type.Enum(['answered', 'no_answer', 'no_connection', 'refused_url'], {
    description:
      'answered (any status); no_answer (connected, then silence or a cut connection); no_connection; refused_url (the SSRF guard)',
  }),
});

export const ENDPOINT_STATES = ['enabled', 'disabled'] as const;

/** A webhook endpoint as the API shows it: its secret only when created and when rotated. */
export const WebhookEndpointView = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  state: Type.Enum(ENDPOINT_STATES),
  disabledReason: Nullable(Type.String()),
  createdAt: Instant,
  secret: Type.Optional(Type.String({ description: 'shown when created and when rotated only' })),
});

export type ShipmentException = Static<typeof ShipmentException>;
export type OutboxJob = Static<typeof OutboxJob>;
export type OutboxJobView = Static<typeof OutboxJobView>;
export type WebhookAttempt = Static<typeof WebhookAttempt>;
export type WebhookEndpointView = Static<typeof WebhookEndpointView>;
