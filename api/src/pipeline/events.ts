/**
 * Events out (CONTRACT §4, §8): each event the pipeline announces (an outbox row written with the change) is
 * fanned out into one delivery job per webhook endpoint that subscribes to it and one publish job per event
 * sink (RabbitMQ), in one write. Every copy carries the same body `{id, type, timestamp, data}`, `id` the
 * event's id `evt_<outbox id>`, which a sink's messages also carry as their message id. Deliveries and
 * publishes are ordered per order and per target (the target is their lane key, so a slow one holds only its
 * own slots).
 */
import { type SinkConfig, sinkId } from '../../../shared/src/config.ts';
import type { OutboxJob, OutboxMessage, Store } from '../store/store.ts';
import type { JobHandler } from './outbox-relay.ts';
import { STREAM_PUBLISH } from './streams/stream-jobs.ts';
import { subscribes, WEBHOOK_DELIVER } from './webhooks/webhook-jobs.ts';

/** The events merchants can subscribe to, and the outbox messages they come from. */
export const EVENT_TYPES = [
  'order.accepted',
  'order.updated',
  'order.cancelled',
  'shipment.label_created',
  'shipment.status_changed',
  'shipment.delivered',
  'shipment.exception',
  'return.requested',
  'return.approved',
  'return.rejected',
  'return.label_created',
  'return.in_transit',
  'return.received',
  'return.inspected',
  'return.refunded',
] as const;

/** The id an event is known by downstream: its outbox row's. */
export const eventIdOf = (job: Pick<OutboxJob, 'id'>) => `evt_${job.id}`;

export interface EventDependencies {
  store: Store;
  clock: () => number;
  /** the merchant's event sinks (its config's `sinks`) */
  sinksOf: (merchantId: string) => readonly SinkConfig[];
}

/** The body every copy of an event carries, webhook or message. */
async function eventBody(store: Store, job: OutboxJob): Promise<string> {
  const order = await store.getOrder(job.merchantId, job.orderId);
  const shipmentId = typeof job.payload.shipmentId === 'string' ? job.payload.shipmentId : null;
  const returnId = typeof job.payload.returnId === 'string' ? job.payload.returnId : null;
  const about = { orderId: job.orderId, reference: order?.reference ?? null };
  // A return's event carries the return as it is when the event goes out; its payload (the refund) as it was.
  const data = returnId
    ? { ...about, return: order?.returns?.find((r) => r.id === returnId) ?? null, ...job.payload }
    : shipmentId
      ? { ...about, shipment: order?.shipments.find((s) => s.id === shipmentId) ?? null, ...job.payload }
      : { order };
  return JSON.stringify({ id: eventIdOf(job), type: job.type, timestamp: job.createdAt, data });
}

export function eventJobs(deps: EventDependencies): Record<string, JobHandler> {
  const { store, clock } = deps;
  const fanOut: JobHandler = async (job) => {
    const endpoints = (await store.listWebhookEndpoints(job.merchantId)).filter((e) => subscribes(e, job.type));
    const sinks = deps.sinksOf(job.merchantId);
    if (endpoints.length === 0 && sinks.length === 0) return;
    const body = await eventBody(store, job);
    const deliveries: OutboxMessage[] = endpoints.map((endpoint) => ({
      type: WEBHOOK_DELIVER,
      orderId: `wh:${endpoint.id}:${job.orderId}`,
      laneKey: endpoint.id,
      payload: { endpointId: endpoint.id, messageId: `msg_${job.id}_${endpoint.id}`, eventType: job.type, body },
    }));
    const publishes: OutboxMessage[] = sinks.map((sink) => ({
      type: STREAM_PUBLISH,
      orderId: `st:${sinkId(sink)}:${job.orderId}`,
      laneKey: `sink:${job.merchantId}:${sinkId(sink)}`,
      payload: {
        sinkId: sinkId(sink),
        orderId: job.orderId,
        eventId: eventIdOf(job),
        eventType: job.type,
        occurredAt: job.createdAt,
        body,
      },
    }));
    await store.enqueueOutbox(job.merchantId, [...deliveries, ...publishes], clock());
  };
  return Object.fromEntries(EVENT_TYPES.map((type) => [type, fanOut]));
}
