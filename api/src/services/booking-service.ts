/**
 * Bookings: the order flow around the pure decisions of api/src/booking. Validate, re-quote from the store's
 * stock, decide (hold the shopper's promise, or refuse an expired one that got worse), then let the store
 * reserve and write the order, its ledger, its outbox and its idempotent answer in one transaction. A plain
 * class: it knows the store, the stock cache, the promise tokens and the clock, not HTTP; failures are
 * `ServiceError`s with a type and a stable code.
 */
import { randomBytes } from 'node:crypto';
import type { CancelRequest, Order, OrderRequest } from '../../../shared/src/orders.ts';
import { decideCancellation } from '../booking/cancel-order.ts';
import { customsProblems } from '../booking/customs.ts';
import { decideBooking } from '../booking/decide-booking.ts';
import { decideEdit, type EditRequest } from '../booking/edit-order.ts';
import { requestHash } from '../booking/idempotency.ts';
import { addressProblems, validateOrderRequest } from '../booking/validate-order.ts';
import type { ApiKey, MerchantRuntime } from '../merchants/registry.ts';
import { type StockLevel, stockViewOf } from '../promise/availability.ts';
import { computePromise } from '../promise/compute-promise.ts';
import type { PromiseClaims } from '../promise-token.ts';
import { ServiceError, STATUS_OF } from '../service-error.ts';
import type { Store } from '../store/store.ts';

/** A final answer as stored for idempotent replay: the status and the exact bytes. */
export interface StoredResponse {
  statusCode: number;
  body: string;
  /** already stored with the change it answers (an order and its answer commit together) */
  stored?: boolean;
}

export interface BookingDependencies {
  store: Store;
  /** told which skus' stock moved, so cached promises see it */
  invalidateStock: (merchantId: string, sku: string) => void;
  verifyPromise: (token: string) => PromiseClaims | null;
  clock: () => number;
  onBooked?: () => void;
}

/** Who books or cancels: a merchant, and the actor its timeline names (an API key, a sales channel). */
export interface Booker {
  merchant: MerchantRuntime;
  /** `api_key:<fingerprint>`, `channel:<id>` */
  actor: string;
}

/** The booker of requests made with an API key, or by a console user (whose key id is `user:<email>`). */
export const byApiKey = (key: ApiKey): Booker => ({
  merchant: key.merchant,
  actor: key.id.startsWith('user:') ? key.id : `api_key:${key.id}`,
});

/** How a booking made once per key came out: booked now, or before. */
export type BookedOnce = 'booked' | 'booked_before';

type EditError = Extract<ReturnType<typeof decideEdit>, { ok: false }>['error'];

/** An edit whose quote was made for an order that changed before it could be applied, three times over. */
const CHANGED_MEANWHILE: EditError = {
  type: 'conflict',
  code: 'not_editable',
  message: 'The order kept changing while it was being edited; send the edit again.',
  details: [],
};

export function newId(prefix: 'ord' | 'shp'): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

const duplicateReference = (orderId: string) =>
  new ServiceError('conflict', 'duplicate_reference', `Order ${orderId} already has this reference and channel.`, {
    details: [{ field: 'reference', code: 'duplicate_reference' }],
    extra: { orderId },
  });

export class BookingService {
  readonly #deps: BookingDependencies;

  constructor(deps: BookingDependencies) {
    this.#deps = deps;
  }

  /**
   * Runs `work` once per merchant and idempotency key (the IETF draft; replay as Stripe does). Final answers —
   * the work's own, and conflicts — are stored and replayed byte for byte; other refusals (invalid, and what a
   * retry may fix) are not stored, so the key stays usable.
   */
  async idempotent(
    merchantId: string,
    key: string,
    body: unknown,
    now: number,
    work: (idempotency: { key: string; now: number }) => Promise<StoredResponse>,
  ): Promise<StoredResponse & { replayed: boolean }> {
    const { store } = this.#deps;
    const claim = await store.claimIdempotencyKey(merchantId, key, requestHash(body), now);
    if (claim.state === 'replay') return { statusCode: claim.statusCode, body: claim.body, replayed: true };
    if (claim.state === 'mismatch') {
      throw new ServiceError(
        'invalid',
        'idempotency_key_reused',
        'This Idempotency-Key was used with another request body.',
      );
    }
    if (claim.state === 'in_progress') {
      throw new ServiceError(
        'conflict',
        'idempotency_in_progress',
        'A request with this Idempotency-Key is still being processed.',
      );
    }
    let result: StoredResponse;
    try {
      result = await work({ key, now });
    } catch (error) {
      if (error instanceof ServiceError && error.type === 'conflict') {
        // out_of_stock, duplicate_reference and promise_expired are final: stored and replayed.
        const stored = { statusCode: STATUS_OF.conflict, body: JSON.stringify(error.body) };
        await store.completeIdempotencyKey(merchantId, key, stored.statusCode, stored.body, now);
        return { ...stored, replayed: false };
      }
      await store.releaseIdempotencyKey(merchantId, key);
      throw error;
    }
    if (!result.stored) await store.completeIdempotencyKey(merchantId, key, result.statusCode, result.body, now);
    return { ...result, replayed: false };
  }

  /** Books an order; its 201 answer is stored with it under the idempotency key. */
  async book(
    caller: Booker,
    request: OrderRequest,
    idempotency: { key: string; now: number },
  ): Promise<StoredResponse> {
    const { store } = this.#deps;
    const { now } = idempotency;
    const runtime = caller.merchant;
    const { merchant } = runtime;
    const problems = validateOrderRequest(request, merchant);
    if (problems.length > 0)
      throw new ServiceError('invalid', 'validation_failed', 'The order does not validate.', { details: problems });
    const [existing] = await store.findOrders(merchant.id, {
      reference: request.reference,
      channel: request.channel ?? null,
    });
    if (existing) throw duplicateReference(existing.id);

    // Re-quote from the store itself, not the promise cache: a booking must see the latest reservations.
    const lines = request.items.map((item) => ({ sku: item.sku, quantity: item.quantity }));
    const skus = lines.flatMap((line) => merchant.products.get(line.sku)?.stockUnits.map((u) => u.sku) ?? []);
    const stock = stockViewOf(await store.inventoryLevels(merchant.id, skus));
    const destination = {
      country: request.shippingAddress.country.toUpperCase(),
      postalCode: request.shippingAddress.postalCode,
    };
    const fresh = computePromise({ lines, ...destination }, { now, merchant, stock, ...runtime.caches });
    const decision = decideBooking(request, {
      merchant,
      fresh,
      ...(request.promiseId !== undefined ? { claims: this.#deps.verifyPromise(request.promiseId) } : {}),
      now,
      newId,
      actor: caller.actor,
    });
    if (!decision.ok) {
      const { type, code, message, details } = decision.refusal;
      throw new ServiceError(type, code, message, { details });
    }
    const { order, reservations, outbox } = decision;
    // Before any stock is reserved: a parcel that crosses the EU customs border must be declarable.
    const customs = customsProblems(request, order, merchant);
    if (customs.length > 0) {
      throw new ServiceError(
        'invalid',
        'customs_incomplete',
        'A parcel of this order crosses the EU customs border and its customs data is incomplete.',
        { details: customs },
      );
    }
    const created = { statusCode: 201, body: JSON.stringify(order) };
    const placed = await store.placeOrder(merchant.id, order, reservations, outbox, { ...idempotency, ...created });
    for (const r of reservations) this.#deps.invalidateStock(merchant.id, r.sku);
    if (!placed.ok && placed.reason === 'duplicate_reference') throw duplicateReference(placed.orderId);
    if (!placed.ok) {
      throw new ServiceError('conflict', 'out_of_stock', 'Some items were reserved by other orders meanwhile.', {
        details: placed.failed.map((r) => ({
          field: 'items',
          code: 'out_of_stock',
          sku: r.sku,
          warehouse: r.warehouse,
        })),
      });
    }
    this.#deps.onBooked?.();
    return { ...created, stored: true };
  }

  /**
   * Books an order once per key, for callers that retry until it is booked (a sales channel's outbox job): a
   * key already used is done; a refusal gives the key back, so the same order books once its cause is fixed,
   * rather than replaying the refusal.
   */
  async bookOnce(caller: Booker, request: OrderRequest, key: string, now: number): Promise<BookedOnce> {
    const { store } = this.#deps;
    const merchantId = caller.merchant.merchant.id;
    const claim = await store.claimIdempotencyKey(merchantId, key, requestHash(request), now);
    if (claim.state === 'replay' || claim.state === 'mismatch') return 'booked_before';
    if (claim.state === 'in_progress') {
      // Not a refusal: another worker is booking it, and this job's retry will find the outcome.
      throw new Error('This order is being booked meanwhile.');
    }
    try {
      await this.book(caller, request, { key, now });
      return 'booked';
    } catch (error) {
      await store.releaseIdempotencyKey(merchantId, key);
      throw error;
    }
  }

  /**
   * Edits an order before its labels (CONTRACT §9): re-quotes the lines it keeps for the address it goes to,
   * from its own reservations (`#requote`), then lets the store apply the decision to the stored order in one
   * transaction (releasing removed units), its 200 answer stored under the idempotency key in the same one.
   */
  async edit(
    caller: Booker,
    orderId: string,
    request: EditRequest,
    idempotency: { key: string; now: number },
  ): Promise<StoredResponse> {
    const { store } = this.#deps;
    const { now } = idempotency;
    const runtime = caller.merchant;
    const { merchant } = runtime;
    if (request.shippingAddress) {
      const problems = addressProblems(request.shippingAddress, 'shippingAddress');
      if (problems.length > 0)
        throw new ServiceError('invalid', 'validation_failed', 'The address does not validate.', { details: problems });
    }
    // The quote is made outside the order's transaction: if the order changes meanwhile, it is made again.
    let result: Awaited<ReturnType<typeof store.changeOrder<EditError>>> = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await store.getOrder(merchant.id, orderId);
      if (!current) throw new ServiceError('not_found', 'not_found', `No order ${orderId}.`);
      const fresh = await this.#requote(runtime, current, request, now);
      const context = { now, actor: caller.actor, fresh };
      let stale = false;
      result = await store.changeOrder<EditError>(merchant.id, orderId, (order) => {
        if (order.updatedAt !== current.updatedAt) {
          stale = true;
          return { ok: false, error: CHANGED_MEANWHILE };
        }
        const decision = decideEdit(order, request, merchant, context);
        // The answer is stored with the edit it answers: a retry after a crash replays it, never edits twice.
        if (!decision.ok) return decision;
        const body = JSON.stringify(decision.order);
        return { ...decision, answer: { key: idempotency.key, statusCode: 200, body, now } };
      });
      if (!stale) break;
    }
    if (!result) throw new ServiceError('not_found', 'not_found', `No order ${orderId}.`);
    if (!result.ok) {
      const { type, code, message, details } = result.error;
      throw new ServiceError(type, code, message, { details });
    }
    for (const r of result.releases ?? []) this.#deps.invalidateStock(merchant.id, r.sku);
    return { statusCode: 200, body: result.answer?.body ?? JSON.stringify(result.order), stored: true };
  }

  /**
   * The quote of an edited order from where its stock is: its own reservations, and nothing else, so the
   * sourcing it gets is the order's own warehouses (its reservations stay where they are) and the dates and
   * lanes are theirs, for the lines it keeps and the address it goes to.
   */
  async #requote(runtime: Booker['merchant'], order: Order, request: EditRequest, now: number) {
    const { merchant } = runtime;
    const address = request.shippingAddress ?? order.shippingAddress;
    const lines = (request.items ?? order.items).map((item) => ({ sku: item.sku, quantity: item.quantity }));
    const own = new Map<string, StockLevel>();
    const backordered = new Set<string>();
    for (const shipment of order.shipments) {
      if (shipment.status === 'cancelled') continue;
      for (const r of shipment.reservations) {
        const key = `${shipment.warehouse}|${r.sku}`;
        const level = own.get(key) ?? {
          warehouse: shipment.warehouse,
          sku: r.sku,
          onHand: 0,
          reserved: 0,
          safetyStock: 0,
          incoming: [],
        };
        if (r.backorder) backordered.add(key);
        else level.onHand += r.quantity;
        own.set(key, level);
      }
    }
    // A backordered line keeps waiting for the stock it waited for.
    if (backordered.size > 0) {
      const skus = [...new Set([...backordered].map((key) => key.split('|')[1] ?? ''))];
      for (const level of await this.#deps.store.inventoryLevels(merchant.id, skus)) {
        const mine = own.get(`${level.warehouse}|${level.sku}`);
        if (mine && backordered.has(`${level.warehouse}|${level.sku}`)) mine.incoming = level.incoming;
      }
    }
    return computePromise(
      { lines, country: address.country.toUpperCase(), postalCode: address.postalCode },
      { now, merchant, stock: stockViewOf([...own.values()]), ...runtime.caches },
    );
  }

  /** Cancels an order, whole or some lines, and releases its stock. */
  async cancel(caller: Booker, orderId: string, request: CancelRequest): Promise<Order> {
    const merchant = caller.merchant.merchant;
    const context = { now: this.#deps.clock(), actor: caller.actor };
    const result = await this.#deps.store.changeOrder(merchant.id, orderId, (order) =>
      decideCancellation(order, request, merchant, context),
    );
    if (!result) throw new ServiceError('not_found', 'not_found', `No order ${orderId}.`);
    if (!result.ok) {
      const { code, message, details } = result.error;
      throw new ServiceError(code === 'not_cancellable' ? 'conflict' : 'invalid', code, message, {
        details: details ?? [],
      });
    }
    for (const r of result.releases ?? []) this.#deps.invalidateStock(merchant.id, r.sku);
    return result.order;
  }
}
