/**
 * Applies tracking events to their shipment: each kept once (duplicates are ignored), entered in the timeline in
 * time order, and moving the shipment's status only when it is the newest news (a late event never moves it
 * back). The order follows its shipments; a shipment that leaves the warehouse turns its reservations into
 * shipped stock; status changes, deliveries and exceptions are announced through the outbox. The events of one
 * parcel are applied in one change of its order.
 */
import type { Order, Shipment, TimelineEntry } from '../../../../shared/src/orders.ts';
import { advance, hasLeft } from '../../booking/order-status.ts';
import type { OutboxMessage, Store } from '../../store/store.ts';
import { NEXT_ACTIONS, openException } from '../exceptions.ts';
import { EXCEPTIONAL, type TrackingStatus } from './statuses.ts';

export interface TrackingEvent {
  trackingNumber: string;
  status: TrackingStatus;
  /** the carrier's own code, kept for the record */
  code: string;
  occurredAt: string;
  carrier: string;
  location?: string | undefined;
  description?: string | undefined;
  /** the carrier's id for the event; else one is derived from its content */
  eventId?: string | undefined;
}

export type ApplyResult = 'applied' | 'duplicate' | 'unknown_tracking_number';

const keyOf = (event: TrackingEvent) => event.eventId ?? `${event.code}|${event.occurredAt}|${event.location ?? ''}`;

/** Applies the events of one parcel (one tracking number); returns an outcome per event, in the given order. */
export async function applyTrackingEvents(
  store: Store,
  merchantId: string,
  trackingNumber: string,
  events: readonly TrackingEvent[],
  now: number,
  /** told which skus' stock moved, for caches */
  onStockChange: (skus: string[]) => void = () => {},
): Promise<ApplyResult[]> {
  const target = await store.findByTrackingNumber(merchantId, trackingNumber);
  if (!target) return events.map(() => 'unknown_tracking_number');
  const kept = await store.recordTrackingEvents(
    merchantId,
    events.map((event) => ({
      shipmentId: target.shipmentId,
      key: keyOf(event),
      status: event.status,
      code: event.code,
      occurredAt: event.occurredAt,
    })),
    now,
  );
  const outcomes: ApplyResult[] = kept.map((isNew) => (isNew ? 'applied' : 'duplicate'));
  const fresh = events.filter((_, i) => kept[i]);
  if (fresh.length === 0) return outcomes;

  const change = await store.changeOrder<'no_shipment'>(merchantId, target.orderId, (order) => {
    const departed = order.shipments.find((s) => s.id === target.shipmentId);
    if (!departed) return { ok: false, error: 'no_shipment' };
    let shipment: Shipment = departed;
    const timeline: TimelineEntry[] = [...order.timeline];
    const outbox: OutboxMessage[] = [];
    for (const event of [...fresh].sort((a, b) =>
      a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0,
    )) {
      const newest = !shipment.lastEventAt || event.occurredAt >= shipment.lastEventAt;
      const changed = newest && shipment.status !== event.status && shipment.status !== 'cancelled';
      const where = event.location ? ` (${event.location})` : '';
      timeline.push({
        at: event.occurredAt,
        type: 'shipment.tracking',
        actor: `carrier:${event.carrier}`,
        message: `${event.status.replaceAll('_', ' ')}${where}${event.description ? `: ${event.description}` : ''}`,
        shipmentId: shipment.id,
      });
      if (changed) {
        const payload = {
          orderId: order.id,
          shipmentId: shipment.id,
          status: event.status,
          previousStatus: shipment.status,
          occurredAt: event.occurredAt,
        };
        outbox.push({ type: 'shipment.status_changed', orderId: order.id, payload });
        if (event.status === 'delivered') outbox.push({ type: 'shipment.delivered', orderId: order.id, payload });
        if (EXCEPTIONAL.has(event.status)) {
          const reason = event.status as keyof typeof NEXT_ACTIONS;
          outbox.push({
            type: 'shipment.exception',
            orderId: order.id,
            payload: { ...payload, reason, nextAction: NEXT_ACTIONS[reason] },
          });
        }
      }
      if (newest)
        shipment = { ...shipment, status: changed ? event.status : shipment.status, lastEventAt: event.occurredAt };
    }
    const shipments = order.shipments.map((s) => (s.id === shipment?.id ? shipment : s));
    timeline.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const next: Order = {
      ...order,
      shipments,
      timeline,
      status: advance(
        order.status,
        shipments.map((s) => s.status),
      ),
      updatedAt: new Date(now).toISOString(),
    };
    const leaving = !hasLeft(departed.status) && hasLeft(shipment.status);
    const consumes = leaving
      ? departed.reservations.map((r) => ({
          warehouse: departed.warehouse,
          sku: r.sku,
          quantity: r.quantity,
          backorder: r.backorder,
        }))
      : [];
    return { ok: true, order: next, consumes, outbox };
  });
  if (change?.ok && change.consumes?.length) onStockChange(change.consumes.map((r) => r.sku));
  if (change?.ok) {
    for (const event of fresh.filter((e) => EXCEPTIONAL.has(e.status))) {
      await openException(store, merchantId, {
        orderId: target.orderId,
        shipmentId: target.shipmentId,
        reason: event.status as 'failed_attempt' | 'exception' | 'returned_to_sender',
        occasion: keyOf(event),
        detail: event.description ?? null,
        now,
      });
    }
  }
  return outcomes;
}
