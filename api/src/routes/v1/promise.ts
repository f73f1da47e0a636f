/**
 * GET /v1/promise: parse → stock → the core → sign → reply with cache headers. Thin on purpose; the rule lives
 * in api/src/promise.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../../../shared/src/errors.ts';
import { DeliveryPromise, PromiseQuery } from '../../../../shared/src/promise.ts';
import { HttpError, invalidField } from '../../http-error.ts';
import { type ApiKey, DEFAULT_LIMITS } from '../../merchants/registry.ts';
import { queryKeyOf } from '../../plugins/auth.ts';
import { NoBody } from '../documented.ts';
import { parsePromiseQuery } from './promise-query.ts';

export const PROMISE_TTL_MS = 15 * 60_000;
const MAX_AGE_SECONDS = 60;

function presentedKey(key: string): string {
  if (key.startsWith('sk_')) {
    throw invalidField(
      'key',
      'secret_key_in_url',
      'Never put a secret key in a URL: roll it, and use a publishable key.',
    );
  }
  return key;
}

/**
 * CORS for the promise route, by key: the key's allowed origins (or any, with "*"). The route is a simple GET,
 * so browsers send no preflight and these two headers are the whole of CORS here.
 */
function allowOrigin(request: FastifyRequest, reply: FastifyReply, caller: ApiKey): void {
  reply.header('Vary', 'Origin');
  const origin = request.headers.origin;
  if (caller.allowedOrigins.includes('*')) reply.header('Access-Control-Allow-Origin', '*');
  else if (origin && caller.allowedOrigins.includes(origin)) reply.header('Access-Control-Allow-Origin', origin);
}

export async function promiseRoutes(instance: FastifyInstance): Promise<void> {
  // Typed from the route schemas: params, query and body as validated, replies as their schema says.
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
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
        response: {
          200: DeliveryPromise,
          304: NoBody('Not modified: the ETag in If-None-Match still matches'),
          '4xx': ApiError,
        },
      },
      // Who is asking comes before what is asked (CONTRACT §4): a missing or unknown key is 401 whatever else.
      onRequest: async (request) => {
        const key = (request.query as { key?: unknown }).key;
        if (typeof key !== 'string' || key === '')
          throw new HttpError(401, 'unauthorized', 'No API key: pass your publishable key as ?key=pk_….');
        if (!key.startsWith('sk_') && !queryKeyOf(app, request))
          throw new HttpError(401, 'unauthorized', 'Unknown API key.');
      },
      // Errors carry no merchant data: any page may read them, so the element can say what went wrong.
      onSend: async (_request, reply, payload) => {
        if (reply.statusCode >= 400 && !reply.hasHeader('access-control-allow-origin')) {
          reply.header('Access-Control-Allow-Origin', '*');
        }
        return payload;
      },
      config: {
        rateLimit: {
          max: (request: FastifyRequest) =>
            queryKeyOf(app, request)?.merchant.limits.promisePerMinutePerIp ?? DEFAULT_LIMITS.promisePerMinutePerIp,
          keyGenerator: (request: FastifyRequest) =>
            `promise|${queryKeyOf(app, request)?.merchant.merchant.id ?? '-'}|${request.ip}`,
        },
      },
    },
    async (request, reply) => {
      const plainKey = presentedKey(request.query.key);
      const caller = queryKeyOf(app, request);
      if (!caller) throw new HttpError(401, 'unauthorized', 'Unknown API key.');
      allowOrigin(request, reply, caller);
      const parsed = parsePromiseQuery(request.query, { presentedKey: plainKey });
      const now = parsed.at ?? app.clock();
      const answer = await app.promiseAnswers.answer(caller.merchant, parsed.request, now);
      const { result, etag, earliestCutoff, bodyTail } = answer;
      app.metrics.promises.inc({ status: result.status });

      // Whole seconds, so that requests within one second share one signed promiseId.
      const expiresAt = Math.floor((now + PROMISE_TTL_MS) / 1000) * 1000;
      const promiseId = app.promiseAnswers.token(answer, parsed.request, expiresAt);

      reply.header('ETag', etag);
      if (parsed.at !== null) {
        reply.header('Cache-Control', 'no-store');
      } else {
        const fresh = Math.min(
          MAX_AGE_SECONDS * 1000,
          expiresAt - now,
          (earliestCutoff ?? Number.POSITIVE_INFINITY) - now,
        );
        reply.header('Cache-Control', `public, max-age=${Math.max(0, Math.floor(fresh / 1000))}`);
        if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      }
      // The shown part is serialized once per answer (the 200 schema above documents the whole body).
      const head = `{"promiseId":${JSON.stringify(promiseId)},"generatedAt":"${new Date(now).toISOString()}","expiresAt":"${new Date(expiresAt).toISOString()}",`;
      // Already JSON: Fastify sends a string as it is, so the cached answer is never serialized twice.
      const body = head + bodyTail;
      return reply.type('application/json; charset=utf-8').send(body as unknown as DeliveryPromise);
    },
  );
}
