/**
 * Bookings: the order flow around the pure decisions of api/src/booking. Validate, re-quote from fresh stock,
 * hold the shopper's promise (promiseId) or refuse an expired one that got worse, then let the store reserve
 * and write the order, its ledger and its outbox in one transaction. Idempotency keys wrap the whole.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import stringify from 'safe-stable-stringify';
import type { CancelRequest, Order, OrderRequest } from '../../../shared/src/orders.ts';
import { planCancellation } from '../booking/cancel-order.ts';
import { canTransition } from '../booking/order-status.ts';
import { gotWorse, planShipments, reservationsOf, sameCart } from '../booking/plan-order.ts';
import { validateOrderRequest } from '../booking/validate-order.ts';
import { HttpError, invalidField } from '../http-error.ts';
import { stockViewOf } from '../promise/availability.ts';
import { computePromise } from '../promise/compute-promise.ts';
import { parseInstant } from '../routes/v1/promise-query.ts';
import type { OutboxMessage } from '../store/store.ts';
import { type ApiKey, isTestKey } from './merchants.ts';

/** A response as stored for idempotent replay: the status and the exact bytes. */
export interface StoredResponse {
  statusCode: number;
  body: string;
  /** already stored with the change it answers (an order and its response commit together) */
  stored?: boolean;
}

export function newId(prefix: 'ord' | 'shp'): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

/** Requests are compared as parsed JSON: key order and spacing do not matter. */
export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(stringify(body) ?? '')
    .digest('hex');
}

function response(statusCode: number, body: unknown): StoredResponse {
  return { statusCode, body: JSON.stringify(body) };
}

export class Bookings {
  readonly #app: FastifyInstance;

  constructor(app: FastifyInstance) {
    this.#app = app;
  }

  /**
   * Runs `work` once per merchant and idempotency key. Final answers are stored and replayed byte for byte;
   * answers a retry may fix (400, 422, 429) are not stored, so the key stays usable.
   */
  async idempotent(
    caller: ApiKey,
    key: string,
    body: unknown,
    now: number,
    work: (idempotency: { key: string; now: number }) => Promise<StoredResponse>,
  ): Promise<StoredResponse & { replayed: boolean }> {
    const { store } = this.#app;
    const merchantId = caller.merchant.merchant.id;
    const claim = await store.claimIdempotencyKey(merchantId, key, requestHash(body), now);
    if (claim.state === 'replay') return { statusCode: claim.statusCode, body: claim.body, replayed: true };
    if (claim.state === 'mismatch') {
      throw new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with another request body.');
    }
    if (claim.state === 'in_progress') {
      throw new HttpError(
        409,
        'idempotency_in_progress',
        'A request with this Idempotency-Key is still being processed.',
      );
    }
    let result: StoredResponse;
    try {
      result = await work({ key, now });
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 409) {
        // 409 out_of_stock, duplicate_reference and promise_expired are final: stored and replayed.
        const stored = response(409, error.body);
        await store.completeIdempotencyKey(merchantId, key, stored.statusCode, stored.body, now);
        return { ...stored, replayed: false };
      }
      await store.releaseIdempotencyKey(merchantId, key);
      throw error;
    }
    if (!result.stored) await store.completeIdempotencyKey(merchantId, key, result.statusCode, result.body, now);
    return { ...result, replayed: false };
  }

  /** The instant a request acts at: `at` for test keys, else the clock. */
  instant(presentedKey: string, at: string | undefined): number {
    if (at === undefined) return this.#app.clock();
    if (!isTestKey(presentedKey)) throw invalidField('at', 'test_key_required', 'at is accepted with test keys only.');
    const instant = parseInstant(at);
    if (instant === null) throw invalidField('at', 'invalid_instant', 'at must be an ISO 8601 instant.');
    return instant;
  }

  async book(
    caller: ApiKey,
    request: OrderRequest,
    idempotency: { key: string; now: number },
  ): Promise<StoredResponse> {
    const { now } = idempotency;
    const { store } = this.#app;
    const runtime = caller.merchant;
    const { merchant } = runtime;
    const problems = validateOrderRequest(request, merchant);
    if (problems.length > 0) {
      throw new HttpError(422, 'validation_failed', 'The order does not validate.', { details: problems });
    }
    const [existing] = await store.findOrders(merchant.id, {
      reference: request.reference,
      channel: request.channel ?? null,
    });
    if (existing) throw duplicateReference(existing.id);

    const lines = request.items.map((item) => ({ sku: item.sku, quantity: item.quantity }));
    const country = request.shippingAddress.country.toUpperCase();
    const postalCode = request.shippingAddress.postalCode;
    // Re-quote from the store itself, not the promise cache: a booking must see the latest reservations.
    const skus = lines.flatMap((line) => merchant.products.get(line.sku)?.stockUnits.map((u) => u.sku) ?? []);
    const stock = stockViewOf(await store.inventoryLevels(merchant.id, skus));
    const fresh = computePromise({ lines, country, postalCode }, { now, merchant, stock, ...runtime.caches });

    const missing = fresh.items.flatMap((item, index) =>
      item.available ? [] : [{ field: `items[${index}]`, code: item.reason ?? 'out_of_stock', sku: item.sku }],
    );
    if (missing.length > 0) {
      throw new HttpError(409, 'out_of_stock', 'Some items cannot be delivered from stock.', { details: missing });
    }
    const option = fresh.options.find((o) => o.id === request.optionId);
    let promised: { earliest: string; latest: string } | null = null;
    if (request.promiseId !== undefined) {
      const claims = this.#app.promiseTokens.verify(request.promiseId);
      if (!claims || claims.merchant !== merchant.id) throw unprocessable('promiseId', 'invalid');
      if (!sameCart(claims, lines, [country, postalCode])) throw unprocessable('promiseId', 'does_not_match_order');
      const shown = claims.options.find(([id]) => id === request.optionId);
      if (!shown) throw unprocessable('optionId', 'not_offered');
      if (now > claims.expiresAt) {
        if (!option || gotWorse(shown, option)) {
          throw new HttpError(409, 'promise_expired', 'The promise expired and the chosen option got worse.', {
            details: fresh.options,
          });
        }
      } else if (!option) {
        throw new HttpError(409, 'promise_expired', 'The chosen option can no longer be delivered.', {
          details: fresh.options,
        });
      } else {
        promised = { earliest: shown[2], latest: shown[3] }; // the dates the shopper saw are the dates kept
      }
    } else if (!option) {
      throw unprocessable('optionId', 'not_offered');
    }
    if (!option) throw unprocessable('optionId', 'not_offered');

    const at = new Date(now).toISOString();
    const shipments = planShipments(option, fresh, merchant, () => newId('shp')).map((shipment) =>
      promised ? { ...shipment, promisedDelivery: promised } : shipment,
    );
    const order: Order = {
      id: newId('ord'),
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
          actor: `api_key:${caller.id}`,
          message: `Accepted with ${option.name}, ${shipments.length} shipment(s), delivery ${option.delivery.earliest} to ${option.delivery.latest}.`,
        },
      ],
    };
    const outbox: OutboxMessage[] = [
      { type: 'order.accepted', orderId: order.id, payload: { orderId: order.id } },
      ...shipments.map((s) => ({
        type: 'shipment.requested',
        orderId: order.id,
        payload: { orderId: order.id, shipmentId: s.id },
      })),
    ];
    const reservations = reservationsOf(shipments);
    const created = response(201, order);
    const placed = await store.placeOrder(merchant.id, order, reservations, outbox, { ...idempotency, ...created });
    for (const r of reservations) this.#app.stock.invalidate(merchant.id, r.sku);
    if (!placed.ok && placed.reason === 'duplicate_reference') throw duplicateReference(placed.orderId);
    if (!placed.ok) {
      throw new HttpError(409, 'out_of_stock', 'Some items were reserved by other orders meanwhile.', {
        details: placed.failed.map((r) => ({
          field: 'items',
          code: 'out_of_stock',
          sku: r.sku,
          warehouse: r.warehouse,
        })),
      });
    }
    this.#app.metrics.bookings.inc();
    return { ...created, stored: true };
  }

  async cancel(caller: ApiKey, orderId: string, request: CancelRequest, now: number): Promise<Order> {
    const runtime = caller.merchant;
    const at = new Date(now).toISOString();
    const result = await this.#app.store.changeOrder(runtime.merchant.id, orderId, (order) => {
      const plan = planCancellation(order, request, runtime.merchant);
      if (!plan.ok) return { ok: false, error: plan };
      if (plan.whole && !canTransition(order.status, 'cancelled')) {
        return {
          ok: false,
          error: { ok: false, code: 'not_cancellable', message: `An order ${order.status} cannot be cancelled.` },
        };
      }
      const next: Order = {
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
            actor: `api_key:${caller.id}`,
            message: request.reason ?? (plan.whole ? 'Order cancelled.' : 'Some items cancelled.'),
          },
        ],
      };
      const outbox: OutboxMessage[] = [
        { type: 'order.cancelled', orderId, payload: { orderId, whole: plan.whole, items: request.items ?? null } },
      ];
      return { ok: true, order: next, releases: plan.releases, outbox };
    });
    if (!result) throw new HttpError(404, 'not_found', `No order ${orderId}.`);
    if (!result.ok) {
      const error = result.error as Extract<ReturnType<typeof planCancellation>, { ok: false }>;
      if (error.code === 'not_cancellable') throw new HttpError(409, 'not_cancellable', error.message);
      throw new HttpError(422, 'validation_failed', error.message, { details: error.details ?? [] });
    }
    for (const r of result.releases ?? []) this.#app.stock.invalidate(runtime.merchant.id, r.sku);
    return result.order;
  }
}

function unprocessable(field: string, code: string): HttpError {
  return new HttpError(422, 'validation_failed', `${field}: ${code.replaceAll('_', ' ')}.`, {
    details: [{ field, code }],
  });
}

function duplicateReference(orderId: string): HttpError {
  return new HttpError(409, 'duplicate_reference', `Order ${orderId} already has this reference and channel.`, {
    details: [{ field: 'reference', code: 'duplicate_reference' }],
    extra: { orderId },
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    bookings: Bookings;
  }
}

export const bookingsPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('bookings', new Bookings(app));
  },
  { name: 'bookings', dependencies: ['stock', 'clock', 'metrics'] },
);
