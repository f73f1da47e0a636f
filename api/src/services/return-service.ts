/**
 * Returns (CONTRACT §9) around the pure decisions of api/src/returns: each request and step is decided inside
 * its order's transaction (so concurrent requests for the last returnable unit see each other), with its
 * events, its restock and, for a request sent with an Idempotency-Key, its stored answer in the same write.
 */
import { randomBytes } from 'node:crypto';
import type { Order } from '../../../shared/src/orders.ts';
import type { InspectRequest, Return, ReturnRequest } from '../../../shared/src/returns.ts';
import {
  actOnReturn,
  inspectReturn,
  type ReturnAction,
  type ReturnContext,
  type ReturnDecision,
  type ReturnError,
  requestReturn,
} from '../returns/decide-return.ts';
import { ServiceError } from '../service-error.ts';
import type { IdempotentResponse, OrderChange, Store } from '../store/store.ts';
import type { Booker, StoredResponse } from './booking-service.ts';

export interface ReturnDependencies {
  store: Store;
  /** told which skus' stock moved, so cached promises see it */
  invalidateStock: (merchantId: string, sku: string) => void;
}

const notFound = (what: string) => new ServiceError('not_found', 'not_found', `No ${what}.`);

const failure = ({ type, code, message, details }: ReturnError) =>
  new ServiceError(type, code, message, details ? { details } : {});

/** A decision as the store applies it: the order, its events, its restock and the returns it opens. */
function asChange<E>(decision: ReturnDecision, answer?: IdempotentResponse): OrderChange<ReturnError | E> {
  if (!decision.ok) return decision;
  return {
    ok: true,
    order: decision.order,
    outbox: decision.outbox,
    ...(decision.restocks?.length ? { restocks: decision.restocks } : {}),
    ...(decision.opened ? { newReturns: [decision.ret.id] } : {}),
    ...(answer ? { answer } : {}),
  };
}

export class ReturnService {
  readonly #deps: ReturnDependencies;

  constructor(deps: ReturnDependencies) {
    this.#deps = deps;
  }

  /** A shopper's return request, decided on the order as stored; its answer stored with it under `idempotency`. */
  async request(
    caller: Booker,
    orderId: string,
    request: ReturnRequest,
    now: number,
    idempotency?: { key: string },
  ): Promise<StoredResponse> {
    const merchant = caller.merchant.merchant;
    const id = `ret_${randomBytes(12).toString('base64url')}`;
    const context: ReturnContext = { merchant, actor: caller.actor, now };
    const result = await this.#deps.store.changeOrder<ReturnError>(merchant.id, orderId, (order) => {
      const decision = requestReturn(order, request, id, context);
      if (!decision.ok) return decision;
      const body = JSON.stringify(decision.ret);
      return asChange(decision, idempotency ? { key: idempotency.key, statusCode: 201, body, now } : undefined);
    });
    if (!result) throw notFound(`order ${orderId}`);
    if (!result.ok) throw failure(result.error);
    const ret = result.order.returns?.find((r) => r.id === id);
    if (!ret) throw new Error(`return ${id} was not kept`);
    return { statusCode: 201, body: JSON.stringify(ret), stored: idempotency !== undefined };
  }

  /** Approve, reject, receive or refund. */
  async act(caller: Booker, returnId: string, action: ReturnAction, note: string | undefined, now: number) {
    return this.#change(caller, returnId, now, (order, context) => actOnReturn(order, returnId, action, note, context));
  }

  /** The inspection: resellable units back on hand, damaged ones recorded, the refund computed. */
  async inspect(caller: Booker, returnId: string, request: InspectRequest, now: number): Promise<Return> {
    return this.#change(caller, returnId, now, (order, context) => inspectReturn(order, returnId, request, context));
  }

  /** A return and its order, or null (another merchant's return included). */
  async find(merchantId: string, returnId: string): Promise<{ order: Order; ret: Return } | null> {
    const orderId = returnId.startsWith('ret_') ? await this.#deps.store.findOrderOf(merchantId, returnId) : null;
    const order = orderId ? await this.#deps.store.getOrder(merchantId, orderId) : null;
    const ret = order?.returns?.find((r) => r.id === returnId);
    return order && ret ? { order, ret } : null;
  }

  async #change(
    caller: Booker,
    returnId: string,
    now: number,
    decide: (order: Order, context: ReturnContext) => ReturnDecision | null,
  ): Promise<Return> {
    const merchant = caller.merchant.merchant;
    const found = await this.find(merchant.id, returnId);
    if (!found) throw notFound(`return ${returnId}`);
    const context: ReturnContext = { merchant, actor: caller.actor, now };
    const result = await this.#deps.store.changeOrder<ReturnError | 'missing'>(merchant.id, found.order.id, (order) => {
      const decision = decide(order, context);
      return decision ? asChange<'missing'>(decision) : { ok: false, error: 'missing' };
    });
    if (!result) throw notFound(`return ${returnId}`);
    if (!result.ok) throw result.error === 'missing' ? notFound(`return ${returnId}`) : failure(result.error);
    for (const r of result.restocks ?? []) this.#deps.invalidateStock(merchant.id, r.sku);
    const ret = result.order.returns?.find((r) => r.id === returnId);
    if (!ret) throw notFound(`return ${returnId}`);
    return ret;
  }
}
