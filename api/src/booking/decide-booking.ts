/**
 * The booking decision (CONTRACT §4 "Orders"), pure: given the request, a fresh quote from the store's stock and
 * the shopper's verified promise, either the order to write (with its reservations and outbox messages) or a
 * refusal as data. Validation of the request itself comes first (validate-order.ts); the store then reserves
 * and writes the decision in one transaction.
 */
import type { ErrorDetail } from '../../../shared/src/errors.ts';
import type { Order, OrderRequest } from '../../../shared/src/orders.ts';
import type { PromiseResult } from '../promise/compute-promise.ts';
import type { Merchant } from '../promise/merchant.ts';
import type { PromiseClaims } from '../promise-token.ts';
import type { OutboxMessage } from './outbox-message.ts';
import { gotWorse, planShipments, type Reservation, reservationsOf, sameCart } from './plan-order.ts';

export interface BookingContext {
  merchant: Merchant;
  /** the options for this cart and destination now, from the store's own stock */
  fresh: PromiseResult;
  /** the request's promiseId verified: absent when none was given, null when it does not verify */
  claims?: PromiseClaims | null;
  now: number;
  newId: (prefix: 'ord' | 'shp') => string;
  /** who books, for the timeline (`api_key:<id>`, `channel:<id>`) */
  actor: string;
}

/** Why a booking cannot be made: `invalid` the request cannot be booked as sent; `conflict` not now. */
export interface BookingRefusal {
  type: 'invalid' | 'conflict';
  code: 'validation_failed' | 'out_of_stock' | 'promise_expired';
  message: string;
  details: (ErrorDetail | Record<string, unknown>)[];
}

export type BookingDecision =
  | { ok: true; order: Order; reservations: Reservation[]; outbox: OutboxMessage[] }
  | { ok: false; refusal: BookingRefusal };

const refuse = (refusal: BookingRefusal): BookingDecision => ({ ok: false, refusal });
const invalid = (field: string, code: string) =>
  refuse({
    type: 'invalid',
    code: 'validation_failed',
    message: `${field}: ${code.replaceAll('_', ' ')}.`,
    details: [{ field, code }],
  });

/**
 * Decides a booking: every line must be deliverable now; the chosen option must be offered; a promise still
 * valid keeps the dates the shopper saw; an expired one books at the new terms unless the option got worse.
 *
 * @example
 * decideBooking(request, { merchant, fresh, now, newId, actor: 'api_key:k1' }) // { ok: true, order, … }
 */
export function decideBooking(request: OrderRequest, context: BookingContext): BookingDecision {
  const { fresh, merchant, now } = context;
  const missing = fresh.items.flatMap((item, index) =>
    item.available ? [] : [{ field: `items[${index}]`, code: item.reason ?? 'out_of_stock', sku: item.sku }],
  );
  if (missing.length > 0) {
    return refuse({
      type: 'conflict',
      code: 'out_of_stock',
      message: 'Some items cannot be delivered from stock.',
      details: missing,
    });
  }
  const option = fresh.options.find((o) => o.id === request.optionId);
  let promised: { earliest: string; latest: string } | null = null;
  if (context.claims !== undefined) {
    const { claims } = context;
    const lines = request.items.map((item) => ({ sku: item.sku, quantity: item.quantity }));
    const destination: [string, string] = [
      request.shippingAddress.country.toUpperCase(),
      request.shippingAddress.postalCode,
    ];
    if (!claims || claims.merchant !== merchant.id) return invalid('promiseId', 'invalid');
    if (!sameCart(claims, lines, destination)) return invalid('promiseId', 'does_not_match_order');
    const shown = claims.options.find(([id]) => id === request.optionId);
    if (!shown) return invalid('optionId', 'not_offered');
    const expired = now > claims.expiresAt;
    if (!option || (expired && gotWorse(shown, option))) {
      return refuse({
        type: 'conflict',
        code: 'promise_expired',
        message: expired
          ? 'The promise expired and the chosen option got worse.'
          : 'The chosen option can no longer be delivered.',
        details: fresh.options,
      });
    }
    // Within the promise, the dates the shopper saw are the dates kept.
    if (!expired) promised = { earliest: shown[2], latest: shown[3] };
  }
  if (!option) return invalid('optionId', 'not_offered');

  const at = new Date(now).toISOString();
  const shipments = planShipments(option, fresh, merchant, () => context.newId('shp')).map((shipment) =>
    promised ? { ...shipment, promisedDelivery: promised } : shipment,
  );
  const country = request.shippingAddress.country.toUpperCase();
  const order: Order = {
    id: context.newId('ord'),
    reference: request.reference,
    channel: request.channel ?? null,
    status: 'accepted',
    createdAt: at,
    updatedAt: at,
    promiseId: request.promiseId ?? null,
    optionId: option.id,
    items: request.items.map((item) => ({ ...item })),
    shippingAddress: { ...request.shippingAddress, country },
    totals: { ...request.totals },
    shipments,
    timeline: [
      {
        at,
        type: 'order.accepted',
        actor: context.actor,
        message: `Accepted with ${option.name}, ${shipments.length} shipment(s), delivery ${option.delivery.earliest} to ${option.delivery.latest}.`,
      },
    ],
  };
  const outbox: OutboxMessage[] = [
    { type: 'order.accepted', orderId: order.id, payload: { orderId: order.id } },
    ...shipments.map((s) =>
      merchant.holdMinutes > 0
        ? {
            type: 'shipment.requested',
            // The label waits out the merchant's edit window under a key of its own, so that the order's other
            // jobs (an edit's or a cancellation's events) do not wait behind it; its own events follow it.
            orderId: `${order.id}:held:${s.id}`,
            payload: { orderId: order.id, shipmentId: s.id },
            delayMs: merchant.holdMinutes * 60_000,
          }
        : { type: 'shipment.requested', orderId: order.id, payload: { orderId: order.id, shipmentId: s.id } },
    ),
  ];
  return { ok: true, order, reservations: reservationsOf(shipments), outbox };
}
