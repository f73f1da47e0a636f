/**
 * Editing a booked order (CONTRACT §9): a new shipping address, lines removed or lowered, while no shipment has
 * a label. The order is re-promised for what it now holds and where it now goes: the chosen option must still
 * serve it (else the options that do, as for an expired promise), each shipment takes the option's new dates,
 * and the stock of removed units is released. Pure: the stored order, the request and a fresh quote in, the
 * order after the edit, its releases and its `order.updated` message out.
 */
import type { ErrorDetail } from '../../../shared/src/errors.ts';
import type { Order, ShippingAddress } from '../../../shared/src/orders.ts';
import type { PromiseResult } from '../promise/compute-promise.ts';
import type { Merchant } from '../promise/merchant.ts';
import { planCancellation } from './cancel-order.ts';
import { customsProblems } from './customs.ts';
import type { OutboxMessage } from './outbox-message.ts';
import type { Reservation } from './plan-order.ts';

export interface EditRequest {
  /** replaces the whole address */
  shippingAddress?: ShippingAddress | undefined;
  /** the new full list of lines: each of the order's skus at most its ordered quantity; one left out is removed */
  items?: { sku: string; quantity: number }[] | undefined;
}

export type EditDecision =
  | { ok: true; order: Order; releases: Reservation[]; outbox: OutboxMessage[] }
  | {
      ok: false;
      error: {
        type: 'invalid' | 'conflict';
        code: 'validation_failed' | 'not_editable' | 'promise_expired' | 'customs_incomplete';
        message: string;
        details: (ErrorDetail | Record<string, unknown>)[];
      };
    };

const refuse = (
  type: 'invalid' | 'conflict',
  code: 'validation_failed' | 'not_editable' | 'promise_expired' | 'customs_incomplete',
  message: string,
  details: (ErrorDetail | Record<string, unknown>)[] = [],
): EditDecision => ({ ok: false, error: { type, code, message, details } });

/**
 * Whether the order may still change: not cancelled, and no live shipment with a label or one being bought (the
 * label job claims its shipment before it calls the carrier, so a label never goes out with the old address).
 */
export function editable(order: Order): boolean {
  const buying = new Set(
    order.timeline.filter((t) => t.type === 'shipment.label_requested').map((t) => t.shipmentId ?? ''),
  );
  return (
    order.status === 'accepted' &&
    order.shipments
      .filter((s) => s.status !== 'cancelled')
      .every((s) => s.trackingNumber === null && s.status === 'pending' && !buying.has(s.id))
  );
}

/** What is wrong with a request's lines against the order: unknown skus, more than ordered, repeats. */
export function editLineProblems(order: Order, items: NonNullable<EditRequest['items']>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (items.length === 0) problems.push({ field: 'items', code: 'empty' });
  const seen = new Set<string>();
  items.forEach((line, index) => {
    const ordered = order.items.find((i) => i.sku === line.sku)?.quantity;
    if (ordered === undefined) problems.push({ field: `items[${index}].sku`, code: 'not_in_order' });
    else if (line.quantity > ordered) problems.push({ field: `items[${index}].quantity`, code: 'more_than_ordered' });
    if (seen.has(line.sku)) problems.push({ field: `items[${index}].sku`, code: 'duplicate_sku' });
    seen.add(line.sku);
  });
  return problems;
}

/**
 * The edit of `order` as `request` asks, with `fresh` the quote for its new lines and destination (its own
 * reservations counted as free).
 */
export function decideEdit(
  order: Order,
  request: EditRequest,
  merchant: Merchant,
  { now, actor, fresh }: { now: number; actor: string; fresh: PromiseResult },
): EditDecision {
  if (!editable(order)) {
    return refuse(
      'conflict',
      'not_editable',
      'A label exists (or the order is cancelled): the order can no longer change.',
    );
  }
  const problems = request.items ? editLineProblems(order, request.items) : [];
  if (problems.length > 0)
    return refuse('invalid', 'validation_failed', 'The new lines do not fit the order.', problems);

  const kept = new Map((request.items ?? order.items).map((line) => [line.sku, line.quantity]));
  const removed = order.items
    .map((item) => ({ sku: item.sku, quantity: item.quantity - (kept.get(item.sku) ?? 0) }))
    .filter((line) => line.quantity > 0);
  // With nothing removed the plan is the order as it stands, its shipments copied.
  const plan = planCancellation(order, { items: removed }, merchant);
  if (!plan.ok) return refuse('conflict', 'not_editable', plan.message, plan.details ?? []);

  const option = fresh.options.find((o) => o.id === order.optionId);
  if (!option) {
    return refuse('conflict', 'promise_expired', 'The chosen option no longer serves the edited order.', fresh.options);
  }
  const shipments = plan.shipments.map((shipment) => {
    if (shipment.status === 'cancelled') return shipment;
    const from = option.shipments.find((s) => s.warehouse === shipment.warehouse);
    return {
      ...shipment,
      dispatchDate: from?.dispatchDate ?? option.dispatchDate,
      promisedDelivery: { ...(from?.delivery ?? option.delivery) },
    };
  });
  const { items } = plan;
  const itemsTotal = items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
  const shippingAddress = request.shippingAddress
    ? { ...request.shippingAddress, country: request.shippingAddress.country.toUpperCase() }
    : order.shippingAddress;
  const changes = [
    ...(request.shippingAddress ? ['shipping address'] : []),
    ...removed.map((line) => `${line.sku} −${line.quantity}`),
  ];
  const at = new Date(now).toISOString();
  const edited: Order = {
    ...order,
    items,
    shippingAddress,
    // The tax stays as booked: what it becomes is the merchant's systems' to say.
    totals: { ...order.totals, items: itemsTotal, total: itemsTotal + order.totals.shipping + order.totals.tax },
    shipments,
    updatedAt: at,
    timeline: [
      ...order.timeline,
      {
        at,
        type: 'order.updated',
        actor,
        message: `Edited (${changes.join(', ') || 'no change'}); delivery ${option.delivery.earliest} to ${option.delivery.latest}.`,
      },
    ],
  };
  // An edited destination may have to be declared: refused before anything is released.
  const customs = customsProblems({ items: edited.items }, edited, merchant);
  if (customs.length > 0) {
    return refuse(
      'invalid',
      'customs_incomplete',
      'The edited order crosses the EU customs border and its customs data is incomplete.',
      customs,
    );
  }
  return {
    ok: true,
    order: edited,
    releases: plan.releases,
    outbox: [
      {
        type: 'order.updated',
        orderId: order.id,
        payload: { orderId: order.id, shippingAddress: request.shippingAddress !== undefined, removed },
      },
    ],
  };
}
