/**
 * Applies one tracking event to its shipment: kept once (duplicates are ignored), entered in the timeline in time
 * order, and moving the shipment's status only when it is the newest news (a late event never moves it back).
 * The order follows its shipments; a shipment that leaves the warehouse turns its reservations into shipped
 * stock; status changes, deliveries and exceptions are announced through the outbox.
 */
import type { Order } from '../../../../shared/src/orders.ts';
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

export async function applyTrackingEvent(
  store: Store,
  merchantId: string,
  event: TrackingEvent,
  now: number,
  /** told which skus' stock moved, for caches */
  onStockChange: (skus: string[]) => void = () => {},
): Promise<ApplyResult> {
  const target = await store.findByTrackingNumber(merchantId, event.trackingNumber);
  if (!target) return 'unknown_tracking_number';
  const key = event.eventId ?? `${event.code}|${event.occurredAt}|${event.location ?? ''}`;
  const fresh = await store.recordTrackingEvent(
    merchantId,
    { shipmentId: target.shipmentId, key, status: event.status, code: event.code, occurredAt: event.occurredAt },
    now,
  );
  if (!fresh) return 'duplicate';
  const change = await store.changeOrder<'no_shipment'>(merchantId, target.orderId, (order) => {
    const shipment = order.shipments.find((s) => s.id === target.shipmentId);
    if (!shipment) return { ok: false, error: 'no_shipment' };
    const newest = !shipment.lastEventAt || event.occurredAt >= shipment.lastEventAt;
    const changed = newest && shipment.status !== event.status && shipment.status !== 'cancelled';
    const shipments = order.shipments.map((s) =>
      s.id === shipment.id && newest
        ? { ...s, status: changed ? event.status : s.status, lastEventAt: event.occurredAt }
        : s,
    );
    const where = event.location ? ` (${event.location})` : '';
    const timeline = [
      ...order.timeline,
      {
        at: event.occurredAt,
        type: 'shipment.tracking',
        actor: `carrier:${event.carrier}`,
        message: `${event.status.replaceAll('_', ' ')}${where}${event.description ? `: ${event.description}` : ''}`,
        shipmentId: shipment.id,
      },
    ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
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
    const outbox: OutboxMessage[] = [];
    const payload = {
      orderId: order.id,
      shipmentId: shipment.id,
      status: event.status,
      previousStatus: shipment.status,
      occurredAt: event.occurredAt,
    };
    if (changed) {
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
    const leaving = changed && !hasLeft(shipment.status) && hasLeft(event.status);
    const consumes = leaving
      ? shipment.reservations.map((r) => ({
          warehouse: shipment.warehouse,
          sku: r.sku,
          quantity: r.quantity,
          backorder: r.backorder,
        }))
      : [];
    return { ok: true, order: next, consumes, outbox };
  });
  if (change?.ok && change.consumes?.length) onStockChange(change.consumes.map((r) => r.sku));
  if (change?.ok && EXCEPTIONAL.has(event.status)) {
    await openException(store, merchantId, {
      orderId: target.orderId,
      shipmentId: target.shipmentId,
      reason: event.status as 'failed_attempt' | 'exception' | 'returned_to_sender',
      occasion: key,
      detail: event.description ?? null,
      now,
    });
  }
  return 'applied';
}
