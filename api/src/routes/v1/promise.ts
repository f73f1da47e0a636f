/**
 * GET /v1/promise: parse → stock → the core → sign → reply with cache headers. Thin on purpose; the rule lives
 * in api/src/promise.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../../../shared/src/errors.ts';
import { DeliveryPromise, PromiseQuery } from '../../../../shared/src/promise.ts';
import { HttpError, invalidField } from '../../http-error.ts';
import { DEFAULT_LIMITS, isTestKey } from '../../plugins/merchants.ts';
import { computePromise } from '../../promise/compute-promise.ts';
import { parsePromiseQuery } from './promise-query.ts';

export const PROMISE_TTL_MS = 15 * 60_000;
const MAX_AGE_SECONDS = 60;

function presentedKey(request: FastifyRequest<{ Querystring: PromiseQuery }>): string {
  const key = request.query.key;
  if (key.startsWith('sk_')) {
    throw invalidField('key', 'secret_key_in_url', 'Never put a secret key in a URL: roll it, and use a publishable key.');
  }
  return key;
}

export async function promiseRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: PromiseQuery }>(
    '/v1/promise',
    {
      schema: {
        summary: 'Delivery options and dates for a cart and destination',
        description:
          'A simple GET, so browsers send no CORS preflight. Give `items` (SKU:QUANTITY,…) or `sku` and `quantity`. ' +
          '`at` fixes the clock for test keys. Cached for at most 60 s, never past the earliest cut-off.',
        tags: ['promise'],
        security: [{ publishableKey: [] }],
        querystring: PromiseQuery,
        response: { 200: DeliveryPromise, '4xx': ApiError },
      },
      config: {
        rateLimit: {
          max: (request: FastifyRequest) => {
            const key = (request.query as { key?: string }).key;
            const found = key ? app.merchants.authenticate(key) : undefined;
            return found?.merchant.limits.promisePerMinutePerIp ?? DEFAULT_LIMITS.promisePerMinutePerIp;
          },
          keyGenerator: (request: FastifyRequest) => {
            const key = (request.query as { key?: string }).key;
            const found = key ? app.merchants.authenticate(key) : undefined;
            return `promise|${found?.merchant.merchant.id ?? '-'}|${request.ip}`;
          },
        },
      },
    },
    async (request, reply) => {
      const plainKey = presentedKey(request);
      const caller = app.merchants.authenticate(plainKey);
      if (!caller) throw new HttpError(401, 'unauthorized', 'Unknown API key.');
      const { merchant, caches } = caller.merchant;
      const parsed = parsePromiseQuery(request.query, { testKey: isTestKey(plainKey) });
      const now = parsed.at ?? app.clock();

      const skus = parsed.request.lines.flatMap((line) => {
        const product = merchant.products.get(line.sku);
        return product ? product.stockUnits.map((unit) => unit.sku) : [];
      });
      const stock = await app.stock.view(merchant.id, skus);
      const result = computePromise(parsed.request, { now, merchant, stock, ...caches });
      app.metrics.promises.inc({ status: result.status });

      const expiresAt = now + PROMISE_TTL_MS;
      const promiseId = app.promiseTokens.sign({
        merchant: merchant.id,
        lines: result.items.map((item) => [item.sku, item.quantity]),
        destination: [parsed.request.country, parsed.request.postalCode],
        options: result.options.map((o) => [o.id, o.price.amount, o.delivery.earliest, o.delivery.latest]),
        expiresAt,
      });

      const etag = `"${createHash('sha1')
        .update(JSON.stringify([result.status, result.items, result.options]))
        .digest('base64url')}"`;
      reply.header('ETag', etag);
      reply.header('Vary', 'Origin');
      if (parsed.at !== null) {
        reply.header('Cache-Control', 'no-store');
      } else {
        const cutoffs = result.options.flatMap((o) => (o.cutoffAt ? [Date.parse(o.cutoffAt)] : []));
        const fresh = Math.min(MAX_AGE_SECONDS * 1000, expiresAt - now, ...cutoffs.map((c) => c - now));
        reply.header('Cache-Control', `public, max-age=${Math.max(0, Math.floor(fresh / 1000))}`);
        if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      }
      return {
        promiseId,
        generatedAt: new Date(now).toISOString(),
        expiresAt: new Date(expiresAt).toISOString(),
        ...result,
      };
    },
  );
}
