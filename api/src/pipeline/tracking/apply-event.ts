/**
 * Applies tracking events to their shipment: each kept once (duplicates are ignored), entered in the timeline in
 * time order, and moving the shipment's status only when it is the newest news (a late event never moves it
 * back). The order follows its shipments; the first event that says the parcel left the warehouse turns its
 * reservations into shipped stock, exactly once whatever the order of events; status changes, deliveries and
 * exceptions are announced through the outbox. The events of one parcel are applied in one change of its order.
 *
 * An event without a status (a code its table does not know, or one with no counterpart among ours) is kept on
 * the timeline, once, and changes nothing else: not the status, not the stock, not the last news.
 *
 * A return parcel's scans go to its return instead (decide-return's `trackReturn`): its delivery marks the return
 * received.
 *
 * A carrier's `cancelled` means the carrier voided the label, not that the shopper's order is cancelled: the
 * shipment keeps its status and its stock, and a `label_voided` exception asks the merchant to decide.
 */
import type { Order, Shipment, TimelineEntry } from '../../../../shared/src/orders.ts';
import { advance, hasLeft } from '../../booking/order-status.ts';
import type { Reservation } from '../../booking/plan-order.ts';
import type { TransitObservation } from '../../promise/transit.ts';
import { type ReturnError, trackReturn } from '../../returns/decide-return.ts';
import type { OutboxMessage, Store } from '../../store/store.ts';
import { NEXT_ACTIONS, openException } from '../exceptions.ts';
import { labelledAt } from '../shipment-jobs.ts';
import { EXCEPTIONAL, type TrackingStatus } from './statuses.ts';

export interface TrackingEvent {
  trackingNumber: string;
  /** null: the event says nothing we can map (see `unknownCode`) */
  status: TrackingStatus | null;
  /** a code its carrier's table does not know: kept as `shipment.unknown_event`, and counted */
  unknownCode?: boolean;
  /** the carrier's own code, kept for the record */
  code: string;
  occurredAt: string;
  carrier: string;
  location?: string | undefined;
  description?: string | undefined;
  /** the carrier's id for the event; else one is derived from its content */
  eventId?: string | undefined;
}

export type ApplyResult = 'applied' | 'unknown_event' | 'duplicate' | 'unknown_tracking_number';

/** An event whose status is known. */
type StatusEvent = TrackingEvent & { status: TrackingStatus };

/** The reasons of the exceptions tracking news opens. */
type NewsException = 'failed_attempt' | 'exception' | 'returned_to_sender' | 'label_voided';

const keyOf = (event: TrackingEvent) => event.eventId ?? `${event.code}|${event.occurredAt}|${event.location ?? ''}`;

/** What an event does to a shipment's status: null when it must not move it (see the module comment). */
function statusAfter(shipment: Shipment, event: StatusEvent): Shipment['status'] | null {
  if (shipment.status === 'cancelled' || event.status === 'cancelled') return null;
  // Once the parcel has left, a late "label created" from the carrier cannot bring it back to the warehouse.
  if (hasLeft(shipment.status) && !hasLeft(event.status)) return null;
  return event.status === shipment.status ? null : event.status;
}

/** Whether a shipment's stock has left on hand; shipments stored before `leftAt` existed left with their status. */
const departed = (shipment: Shipment) => Boolean(shipment.leftAt) || hasLeft(shipment.status);

function exceptionOf(event: TrackingEvent): NewsException | null {
  if (event.status === null) return null;
  if (event.status === 'cancelled') return 'label_voided';
  return EXCEPTIONAL.has(event.status) ? (event.status as NewsException) : null;
}

/** Applies the events of one parcel (one tracking number); returns an outcome per event, in the given order. */
export async function applyTrackingEvents(
  store: Store,
  merchantId: string,
  trackingNumber: string,
  events: readonly TrackingEvent[],
  now: number,
  /** told which skus' stock moved, for caches */
  onStockChange: (skus: string[]) => void = () => {},
  /** told of the parcels delivered (their transit joined the delivery history); awaited, so that the next
   * promise on the lane can count them */
  onDelivered: (shipments: Shipment[]) => Promise<void> | void = () => {},
): Promise<ApplyResult[]> {
  const target = await store.findByTrackingNumber(merchantId, trackingNumber);
  // A carrier speaks only for its own parcels: another carrier's tracking number is unknown to it.
  const carrier = events[0]?.carrier;
  if (!target || events.some((e) => e.carrier !== target.carrier) || carrier !== target.carrier)
    return events.map(() => 'unknown_tracking_number');
  const records = events.map((event) => ({
    shipmentId: target.shipmentId,
    key: keyOf(event),
    status: event.status ?? (event.unknownCode ? 'unknown_event' : 'notice'),
    code: event.code,
    occurredAt: event.occurredAt,
  }));
  // The events are kept (deduplicated) in the order's own transaction: if applying them fails, none is kept and
  // the carrier's retry applies them then.
  let kept: readonly boolean[] = events.map(() => false);
  let fresh: TrackingEvent[] = [];
  let isReturn = false;
  const change = await store.changeOrder<'no_shipment' | 'nothing_new' | ReturnError>(
    merchantId,
    target.orderId,
    (order, isNew) => {
      kept = isNew;
      fresh = events
        .filter((_, i) => isNew[i])
        .sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
      if (fresh.length === 0) return { ok: false, error: 'nothing_new' };
      const returned = order.returns?.find((r) => r.id === target.shipmentId);
      if (returned) {
        // A return parcel's scans move the return (on its way, received), not a shipment, and open no exception.
        isReturn = true;
        const scans = fresh.map((e) => ({ ...e, message: timelineEntry(returned.id, e).message }));
        const decision = trackReturn(order, returned, scans, now);
        return decision.ok ? { ok: true, order: decision.order, outbox: decision.outbox } : decision;
      }
      const before = order.shipments.find((s) => s.id === target.shipmentId);
      if (!before) return { ok: false, error: 'no_shipment' };
      let shipment: Shipment = before;
      const timeline: TimelineEntry[] = [...order.timeline];
      const outbox: OutboxMessage[] = [];
      let deliveredAt: string | null = null;
      for (const event of fresh) {
        timeline.push(timelineEntry(shipment.id, event));
        if (!hasStatus(event)) continue;
        const newest = !shipment.lastEventAt || event.occurredAt >= shipment.lastEventAt;
        const next = newest ? statusAfter(shipment, event) : null;
        const payload = {
          orderId: order.id,
          shipmentId: shipment.id,
          status: next ?? shipment.status,
          previousStatus: shipment.status,
          occurredAt: event.occurredAt,
        };
        if (next) {
          outbox.push({ type: 'shipment.status_changed', orderId: order.id, payload });
          if (next === 'delivered') {
            outbox.push({ type: 'shipment.delivered', orderId: order.id, payload });
            // Delivered again after an exception: the first delivery stays the one learned and counted.
            if (!shipment.deliveredAt) {
              deliveredAt = event.occurredAt;
              shipment = { ...shipment, deliveredAt };
            }
          }
        }
        const reason = exceptionOf(event);
        // An exceptional status announces itself when it becomes the status; a voided label always does.
        if (reason && (next || reason === 'label_voided')) {
          outbox.push({
            type: 'shipment.exception',
            orderId: order.id,
            payload: { ...payload, reason, nextAction: NEXT_ACTIONS[reason] },
          });
        }
        // The stock leaves on hand once, on the first event that says the parcel left, in whatever order they come.
        if (!departed(shipment) && hasLeft(event.status)) shipment = { ...shipment, leftAt: event.occurredAt };
        // Transit counts from the carrier's first scan of the parcel, whichever order the scans arrive in.
        if (DISPATCH_SCANS.has(event.status) && (!shipment.dispatchedAt || event.occurredAt < shipment.dispatchedAt))
          shipment = { ...shipment, dispatchedAt: event.occurredAt };
        if (newest) shipment = { ...shipment, status: next ?? shipment.status, lastEventAt: event.occurredAt };
      }
      const shipments = order.shipments.map((s) => (s.id === shipment.id ? shipment : s));
      timeline.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      const changed: Order = {
        ...order,
        shipments,
        timeline,
        status: advance(
          order.status,
          shipments.map((s) => s.status),
        ),
        updatedAt: new Date(now).toISOString(),
      };
      const consumes: Reservation[] =
        !departed(before) && departed(shipment) && before.status !== 'cancelled'
          ? before.reservations.map((r) => ({ warehouse: before.warehouse, ...r }))
          : [];
      const delivered = deliveredAt ? [observationOf(order, shipment, deliveredAt)] : [];
      return { ok: true, order: changed, consumes, outbox, delivered };
    },
    { records, receivedAt: now },
  );
  if (!change) return events.map(() => 'unknown_tracking_number');
  if (change.ok && change.consumes?.length) onStockChange(change.consumes.map((r) => r.sku));
  if (change.ok && change.delivered?.length) {
    await onDelivered(change.order.shipments.filter((s) => s.id === target.shipmentId));
  }
  if (change.ok && !isReturn) {
    for (const event of fresh) {
      const reason = exceptionOf(event);
      if (!reason) continue;
      await openException(store, merchantId, {
        orderId: target.orderId,
        shipmentId: target.shipmentId,
        reason,
        occasion: keyOf(event),
        detail: event.description ?? null,
        now,
      });
    }
  }
  return kept.map((isNew, i) => (!isNew ? 'duplicate' : events[i]?.unknownCode ? 'unknown_event' : 'applied'));
}

const hasStatus = (event: TrackingEvent): event is StatusEvent => event.status !== null;

/** The scans that say the carrier has the parcel: its dispatch, for transit history (CONTRACT §6). */
const DISPATCH_SCANS: ReadonlySet<TrackingStatus> = new Set(['picked_up', 'in_transit']);

/** A delivered shipment as transit history: from its first carrier scan, else its label, to its delivery. */
function observationOf(order: Order, shipment: Shipment, deliveredAt: string): TransitObservation {
  return {
    service: shipment.service,
    warehouse: shipment.warehouse,
    country: order.shippingAddress.country.toUpperCase(),
    postalCode: order.shippingAddress.postalCode,
    dispatchedAt: Date.parse(shipment.dispatchedAt ?? labelledAt(order, shipment.id)),
    deliveredAt: Date.parse(deliveredAt),
  };
}

function timelineEntry(shipmentId: string, event: TrackingEvent): TimelineEntry {
  const where = event.location ? ` (${event.location})` : '';
  const detail = event.description ? `: ${event.description}` : '';
  const message =
    event.status === null
      ? event.unknownCode
        ? `unknown carrier event ${event.code}${where}${detail}` // kept word for word, for someone to read
        : `${event.description ?? `carrier event ${event.code}`}${where}` // a scan that only informs
      : `${event.status === 'cancelled' ? 'label voided by the carrier' : event.status.replaceAll('_', ' ')}${where}${detail}`;
  return {
    at: event.occurredAt,
    type: event.unknownCode ? 'shipment.unknown_event' : 'shipment.tracking',
    actor: `carrier:${event.carrier}`,
    message,
    shipmentId,
  };
}
