/**
 * Cancelling an order, whole or in part (CONTRACT §4): which quantities leave which shipments and which stock
 * is released. Refused once a shipment holding a cancelled line has left the warehouse.
 */
import type { ErrorDetail } from '../../../shared/src/errors.ts';
import type { Order, Shipment } from '../../../shared/src/orders.ts';
import type { Merchant } from '../promise/merchant.ts';
import { canTransition, hasLeft } from './order-status.ts';
import type { OutboxMessage } from './outbox-message.ts';
import type { Reservation } from './plan-order.ts';

export type CancellationPlan =
  | { ok: true; shipments: Shipment[]; items: Order['items']; releases: Reservation[]; whole: boolean }
  | { ok: false; code: 'not_cancellable' | 'validation_failed'; message: string; details?: ErrorDetail[] };

export function planCancellation(
  order: Order,
  request: { items?: { sku: string; quantity: number }[] | undefined },
  merchant: Merchant,
): CancellationPlan {
  if (order.status === 'cancelled')
    return { ok: false, code: 'not_cancellable', message: 'The order is already cancelled.' };
  const wanted = new Map<string, number>();
  for (const line of request.items ?? order.items) wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantity);
  const problems: ErrorDetail[] = [];
  request.items?.forEach((line, index) => {
    const ordered = order.items.find((i) => i.sku === line.sku)?.quantity ?? 0;
    if ((wanted.get(line.sku) ?? 0) > ordered)
      problems.push({ field: `items[${index}].quantity`, code: 'more_than_ordered' });
  });
  if (problems.length > 0) {
    return { ok: false, code: 'validation_failed', message: 'Cannot cancel more than was ordered.', details: problems };
  }

  const releases: Reservation[] = [];
  const shipments = order.shipments.map((shipment) => ({
    ...shipment,
    items: shipment.items.map((i) => ({ ...i })),
    reservations: shipment.reservations.map((r) => ({ ...r })),
  }));
  for (const shipment of shipments) {
    for (const item of shipment.items) {
      const take = Math.min(item.quantity, wanted.get(item.sku) ?? 0);
      if (take === 0) continue;
      if (hasLeft(shipment.status)) {
        return { ok: false, code: 'not_cancellable', message: `Shipment ${shipment.id} has left the warehouse.` };
      }
      wanted.set(item.sku, (wanted.get(item.sku) ?? 0) - take);
      item.quantity -= take;
      const backorder = shipment.reservations.some((r) => r.backorder);
      for (const unit of merchant.products.get(item.sku)?.stockUnits ?? [{ sku: item.sku, quantity: 1 }]) {
        // Only what the shipment still holds: units released by hand are not released again.
        const reservation = shipment.reservations.find((r) => r.sku === unit.sku);
        const released = Math.min(unit.quantity * take, reservation?.quantity ?? 0);
        if (released === 0 || !reservation) continue;
        releases.push({ warehouse: shipment.warehouse, sku: unit.sku, quantity: released, backorder });
        reservation.quantity -= released;
      }
    }
    shipment.items = shipment.items.filter((i) => i.quantity > 0);
    shipment.reservations = shipment.reservations.filter((r) => r.quantity > 0);
    if (shipment.items.length === 0) shipment.status = 'cancelled';
  }
  const items = order.items
    .map((item) => {
      const cancelled = Math.min(
        item.quantity,
        (request.items ?? order.items).filter((l) => l.sku === item.sku).reduce((s, l) => s + l.quantity, 0),
      );
      return { ...item, quantity: item.quantity - cancelled };
    })
    .filter((item) => item.quantity > 0);
  return { ok: true, shipments, items, releases, whole: items.length === 0 };
}

export type CancellationDecision =
  | { ok: true; order: Order; releases: Reservation[]; outbox: OutboxMessage[] }
  | { ok: false; error: { code: 'not_cancellable' | 'validation_failed'; message: string; details?: ErrorDetail[] } };

/**
 * Decides a cancellation of a stored order: the plan, the order after it (status, lines, shipments, a timeline
 * entry) and the `order.cancelled` message; the whole order only while its status may still become cancelled.
 */
export function decideCancellation(
  order: Order,
  request: { items?: { sku: string; quantity: number }[] | undefined; reason?: string | undefined },
  merchant: Merchant,
  { now, actor }: { now: number; actor: string },
): CancellationDecision {
  const plan = planCancellation(order, request, merchant);
  if (!plan.ok) return { ok: false, error: plan };
  if (plan.whole && !canTransition(order.status, 'cancelled'))
    return { ok: false, error: { code: 'not_cancellable', message: `An order ${order.status} cannot be cancelled.` } };
  const at = new Date(now).toISOString();
  return {
    ok: true,
    order: {
      ...order,
      status: plan.whole ? 'cancelled' : order.status,
      items: plan.whole ? order.items : plan.items,
      shipments: plan.shipments,
      updatedAt: at,
      timeline: [
        ...order.timeline,
        {
          at,
          type: plan.whole ? 'order.cancelled' : 'order.partially_cancelled',
          actor,
          message: request.reason ?? (plan.whole ? 'Order cancelled.' : 'Some items cancelled.'),
        },
      ],
    },
    releases: plan.releases,
    outbox: [
      {
        type: 'order.cancelled',
        orderId: order.id,
        payload: { orderId: order.id, whole: plan.whole, items: request.items ?? null },
      },
    ],
  };
}
