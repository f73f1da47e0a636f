/**
 * Applying read tracking events for the routes that take them in (our batches, carriers' pushes, Karrio's
 * webhooks): grouped by parcel, so that each parcel's order changes once per request, and told back event by
 * event. Events kept with a code their carrier's table does not know are counted in `/metrics`.
 */
import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { MerchantRuntime } from '../../merchants/registry.ts';
import { applyTrackingEvents, type TrackingEvent } from '../../pipeline/tracking/apply-event.ts';

export const IngestResult = Type.Object({
  applied: Type.Integer(),
  unknown: Type.Integer({
    description: "events kept on the timeline as `shipment.unknown_event`: a code the carrier's table does not know",
  }),
  duplicates: Type.Integer(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String() })),
});

export type IngestResult = Static<typeof IngestResult>;
export type Rejected = IngestResult['rejected'][number];

/** Applies events read from a request (`index`: their place in it), after the ones already `rejected`. */
export async function applyEvents(
  app: FastifyInstance,
  runtime: MerchantRuntime,
  events: readonly { index: number; event: TrackingEvent }[],
  rejected: Rejected[] = [],
): Promise<IngestResult> {
  const result: IngestResult = { applied: 0, unknown: 0, duplicates: 0, rejected };
  const merchantId = runtime.merchant.id;
  const parcels = new Map<string, { index: number; event: TrackingEvent }[]>();
  for (const entry of events) {
    const key = `${entry.event.carrier}|${entry.event.trackingNumber}`;
    const parcel = parcels.get(key);
    if (parcel) parcel.push(entry);
    else parcels.set(key, [entry]);
  }
  for (const parcel of parcels.values()) {
    const first = parcel[0]?.event;
    if (!first) continue;
    const outcomes = await applyTrackingEvents(
      app.store,
      merchantId,
      first.trackingNumber,
      parcel.map((p) => p.event),
      app.clock(),
      (skus) => {
        for (const sku of skus) app.stock.invalidate(merchantId, sku);
      },
      (shipments) => app.transitHistory.delivered(runtime, shipments),
    );
    const codes = runtime.merchant.carriers.find((c) => c.id === first.carrier)?.eventCodes ?? 'none';
    outcomes.forEach((outcome, i) => {
      if (outcome === 'applied') result.applied++;
      else if (outcome === 'duplicate') result.duplicates++;
      else if (outcome === 'unknown_event') {
        result.unknown++;
        app.metrics.unknownEvents.inc({ codes });
      } else result.rejected.push({ index: parcel[i]?.index ?? -1, code: outcome });
    });
  }
  result.rejected.sort((a, b) => a.index - b.index);
  return result;
}
