/**
 * Karrio's webhooks (CONTRACT §7): `POST /v1/carriers/karrio/{merchantId}/webhooks`. Karrio sends `{event,
 * data}` and, instead of a signature, its endpoint's secret in plain text in `X-Event-Id`; it is compared in
 * constant time with the `webhookSecret` of the merchant's Karrio carriers, before the body is read, and anything
 * else is refused with 401 and ignored. Tracker events (`tracker.created`, `tracker.updated`) go through the
 * same reading and ingestion as polled trackers; Karrio's other events are acknowledged and left alone (labels
 * and cancellations are Promesse's own doing).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { KarrioSettings } from '../../../../shared/src/config.ts';
import { ApiError } from '../../../../shared/src/errors.ts';
import { HttpError } from '../../http-error.ts';
import type { MerchantRuntime } from '../../merchants/registry.ts';
import { trackerEvents } from '../../pipeline/carriers/karrio/tracker-events.ts';
import { parcelOf } from '../../pipeline/tracking/parcels.ts';
import { readEvent } from '../../pipeline/tracking/statuses.ts';
import type { Carrier } from '../../promise/merchant.ts';
import { applyEvents, IngestResult } from './tracking-ingest.ts';

const Scan = Type.Object({
  date: Type.Optional(Type.String({ maxLength: 40 })),
  time: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  code: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  description: Type.Optional(Type.String({ maxLength: 1000 })),
  location: Type.Optional(Type.String({ maxLength: 500 })),
});

/** What the route reads of Karrio's webhook body; Karrio's other fields are let through unread. */
const KarrioWebhook = Type.Object({
  event: Type.String({ minLength: 1, maxLength: 64, description: 'tracker.created, tracker.updated, shipment.… ' }),
  data: Type.Object({
    tracking_number: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    status: Type.Optional(Type.String({ maxLength: 64 })),
    events: Type.Optional(Type.Union([Type.Array(Scan, { maxItems: 1000 }), Type.Null()])),
  }),
});

const TRACKER_EVENTS = new Set(['tracker.created', 'tracker.updated']);

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The merchant's Karrio carriers whose webhook secret is the one given (compared in constant time). */
function carriersWithSecret(runtime: MerchantRuntime | undefined, given: string): Carrier[] {
  const presented = digest(given);
  return (runtime?.merchant.carriers ?? []).filter((carrier) => {
    const secret = carrier.adapter === 'karrio' ? (carrier.settings as KarrioSettings).webhookSecret : undefined;
    // Digests have one length, so the comparison takes the same time whatever the lengths given.
    return secret !== undefined && given !== '' && timingSafeEqual(digest(secret), presented);
  });
}

export async function karrioWebhookRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/v1/carriers/karrio/:merchantId/webhooks',
    {
      bodyLimit: 1_048_576,
      // Before the body is read: without the secret nothing of the request is looked at.
      onRequest: async (request) => {
        const { merchantId } = request.params as { merchantId?: string };
        const given = String(request.headers['x-event-id'] ?? '');
        const carriers = carriersWithSecret(app.merchants.byId(merchantId ?? ''), given);
        if (carriers.length === 0) throw new HttpError(401, 'unauthorized', 'Missing or wrong X-Event-Id.');
      },
      schema: {
        summary: "Karrio's webhooks: tracker updates, authenticated by the endpoint secret in X-Event-Id",
        description:
          "Register this URL in Karrio with its secret, for the tracker.created and tracker.updated events; set the same secret as the carrier's settings.webhookSecret. Other events are acknowledged and ignored.",
        tags: ['tracking'],
        params: Type.Object({ merchantId: Type.String({ maxLength: 64 }) }),
        headers: Type.Object({ 'x-event-id': Type.String({ description: "the webhook endpoint's secret" }) }),
        body: KarrioWebhook,
        response: { 200: IngestResult, '4xx': ApiError },
      },
    },
    async (request) => {
      const runtime = app.merchants.byId(request.params.merchantId);
      const carriers = carriersWithSecret(runtime, request.headers['x-event-id']);
      const none: IngestResult = { applied: 0, unknown: 0, duplicates: 0, rejected: [] };
      const { event, data } = request.body;
      if (!runtime || !TRACKER_EVENTS.has(event) || !data.tracking_number) return none;
      const trackingNumber = data.tracking_number;
      const target = await app.store.findByTrackingNumber(runtime.merchant.id, trackingNumber);
      const carrier = carriers.find((c) => c.id === target?.carrier);
      const order = target && carrier ? await app.store.getOrder(runtime.merchant.id, target.orderId) : null;
      // A shipment's parcel, or a return's.
      const shipment = order && target ? parcelOf(order, target.shipmentId, runtime.merchant)?.shipment : undefined;
      if (!carrier || !shipment) return { ...none, rejected: [{ index: 0, code: 'unknown_tracking_number' }] };
      const timeZone = runtime.merchant.warehouseById.get(shipment.warehouse)?.timeZone ?? 'UTC';
      const events = trackerEvents(data, timeZone).map((e, index) => ({
        index,
        event: readEvent(carrier, trackingNumber, e),
      }));
      return applyEvents(app, runtime, events);
    },
  );
}
