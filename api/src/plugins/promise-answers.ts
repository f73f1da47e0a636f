/**
 * Promise answers, computed by the core and kept for reuse while they cannot change. An answer depends on the
 * cart, the destination, the stock of its skus and the instant; the instant matters only through local dates and
 * cut-offs, which are whole minutes in every zone, so within one UTC minute and one stock version the answer is
 * the same. The ETag and the serialized body come with it.
 *
 * The cache is bounded by bytes, not entries: a public request chooses its size (up to 100 lines), so a count
 * bound let 50,000 large answers take gigabytes. Entries live two minutes (their key's minute, then nothing can
 * ask for them again), and an answer naming an unknown sku is never kept, so made-up skus cannot fill the cache.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import type { MerchantRuntime } from '../merchants/registry.ts';
import { computePromise, type PromiseRequest, type PromiseResult } from '../promise/compute-promise.ts';

export interface PromiseAnswer {
  merchantId: string;
  result: PromiseResult;
  /** over what a shopper sees: status, items and options */
  etag: string;
  /** the earliest cut-off of the options, ms since the epoch, or null */
  earliestCutoff: number | null;
  /** `"status":…,"reason":…,"items":[…],"options":[…]}`: the body after the per-request fields */
  bodyTail: string;
  /** the last promiseId signed for this answer: requests in the same second share it */
  lastToken: { expiresAt: number; token: string } | null;
}

const MINUTE = 60_000;

export interface PromiseAnswersOptions {
  /** the cache's bound in bytes, as estimated by `entrySize`; 32 MiB by default */
  maxSize?: number;
  /** how long an answer is kept, in ms; 2 minutes by default, since its key names one UTC minute */
  ttl?: number;
  /** the clock the TTL runs on, in ms (monotonic); `performance.now` by default */
  clock?: () => number;
}

export const PROMISE_ANSWERS_DEFAULTS = { maxSize: 32 * 1024 * 1024, ttl: 2 * MINUTE } as const;

/**
 * What an answer costs in heap, in bytes, near enough. Measured on answers of 2 and of 100 lines: its key plus three
 * times its body (the body string, and the result's objects holding the same data), plus 512 for the ETag, the
 * token and the entry.
 */
function entrySize(answer: PromiseAnswer, key: string): number {
  return key.length + 3 * answer.bodyTail.length + 512;
}

export class PromiseAnswers {
  readonly #app: FastifyInstance;
  readonly #answers: LRUCache<string, PromiseAnswer>;

  constructor(app: FastifyInstance, options: PromiseAnswersOptions = {}) {
    this.#app = app;
    this.#answers = new LRUCache<string, PromiseAnswer>({
      maxSize: options.maxSize ?? PROMISE_ANSWERS_DEFAULTS.maxSize,
      sizeCalculation: entrySize,
      ttl: options.ttl ?? PROMISE_ANSWERS_DEFAULTS.ttl,
      // Read the clock on every lookup: the default caches it for 1 ms with a timer per read.
      ttlResolution: 0,
      ...(options.clock ? { perf: { now: options.clock } } : {}),
    });
  }

  /** How many answers are kept (expired ones count until they are evicted or looked up). */
  get size(): number {
    return this.#answers.size;
  }

  /** The kept answers' estimated bytes; never above `maxSize`. */
  get calculatedSize(): number {
    return this.#answers.calculatedSize;
  }

  async answer(runtime: MerchantRuntime, request: PromiseRequest, now: number): Promise<PromiseAnswer> {
    const { merchant, caches } = runtime;
    const skus = request.lines.flatMap((line) => merchant.products.get(line.sku)?.stockUnits.map((u) => u.sku) ?? []);
    const versions = skus.map((sku) => this.#app.stock.version(merchant.id, sku)).join(',');
    const lines = request.lines.map((line) => `${line.sku}:${line.quantity}`).join(',');
    // The history moves on with deliveries: the first after a quiet minute shows at once, a stream within a minute.
    const key = `${merchant.id}|${Math.floor(now / MINUTE)}|${request.country}|${request.postalCode ?? ''}|${lines}|${versions}|${caches.transit.generation}`;
    const cached = this.#answers.get(key);
    if (cached) return cached;

    const stock = await this.#app.stock.view(merchant.id, skus);
    const result = computePromise(request, { now, merchant, stock, ...caches });
    const shown = JSON.stringify({
      status: result.status,
      reason: result.reason,
      items: result.items,
      options: result.options,
    });
    const cutoffs = result.options.flatMap((o) => (o.cutoffAt ? [Date.parse(o.cutoffAt)] : []));
    const answer: PromiseAnswer = {
      merchantId: merchant.id,
      result,
      etag: `"${createHash('sha1').update(shown).digest('base64url')}"`,
      earliestCutoff: cutoffs.length > 0 ? Math.min(...cutoffs) : null,
      bodyTail: shown.slice(1),
      lastToken: null,
    };
    if (!result.items.some((item) => item.reason === 'unknown_sku')) this.#answers.set(key, answer);
    return answer;
  }

  /** The signed promiseId of an answer; a busy page asking within the same second reuses it. */
  token(answer: PromiseAnswer, request: PromiseRequest, expiresAt: number): string {
    if (answer.lastToken?.expiresAt === expiresAt) return answer.lastToken.token;
    const { result } = answer;
    const token = this.#app.promiseTokens.sign({
      merchant: answer.merchantId,
      lines: result.items.map((item) => [item.sku, item.quantity]),
      destination: [request.country, request.postalCode],
      options: result.options.map((o) => [o.id, o.price.amount, o.delivery.earliest, o.delivery.latest]),
      expiresAt,
    });
    answer.lastToken = { expiresAt, token };
    return token;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    promiseAnswers: PromiseAnswers;
  }
}

export const promiseAnswersPlugin = fp(
  async (app: FastifyInstance, options: PromiseAnswersOptions) => {
    app.decorate('promiseAnswers', new PromiseAnswers(app, options));
  },
  { name: 'promise-answers', dependencies: ['stock'] },
);
