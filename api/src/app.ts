/**
 * The Promesse application: plugins first (config, store, auth, errors, metrics, docs), then routes. Built
 * without listening, so tests drive it with `inject`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { MerchantConfig } from '../../shared/src/config.ts';
import { HttpError } from './http-error.ts';
import { assetsPlugin } from './plugins/assets.ts';
import { authPlugin } from './plugins/auth.ts';
import { bookingsPlugin } from './plugins/bookings.ts';
import { clockPlugin } from './plugins/clock.ts';
import { consolePlugin } from './plugins/console.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { merchantsPlugin } from './plugins/merchants.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { type PipelineOptions, pipelinePlugin } from './plugins/pipeline.ts';
import { promiseAnswersPlugin } from './plugins/promise-answers.ts';
import { stockPlugin } from './plugins/stock.ts';
import { transitHistoryPlugin } from './plugins/transit-history.ts';
import { healthRoutes } from './routes/health.ts';
import { analyticsRoutes } from './routes/v1/analytics.ts';
import { channelWebhookRoutes } from './routes/v1/channel-webhooks.ts';
import { exceptionRoutes } from './routes/v1/exceptions.ts';
import { inventoryRoutes } from './routes/v1/inventory.ts';
import { inventoryImportRoutes } from './routes/v1/inventory-import.ts';
import { karrioWebhookRoutes } from './routes/v1/karrio-webhooks.ts';
import { orderRoutes } from './routes/v1/orders.ts';
import { promiseRoutes } from './routes/v1/promise.ts';
import { returnRoutes } from './routes/v1/returns.ts';
import { shipmentRoutes } from './routes/v1/shipments.ts';
import { trackingRoutes } from './routes/v1/tracking.ts';
import { transitHistoryRoutes } from './routes/v1/transit-history.ts';
import { webhookEndpointRoutes } from './routes/v1/webhook-endpoints.ts';
import type { Store } from './store/store.ts';

export interface AppOptions {
  merchants: readonly MerchantConfig[];
  store: Store;
  /** ms since the epoch; defaults to Date.now */
  clock?: () => number;
  /** the promise-signing secret (PROMESSE_SECRET); without one, a secret kept in the store */
  secret?: string | undefined;
  logger?: FastifyServerOptions['logger'];
  /** request bodies above this size get 413 (bytes) */
  bodyLimit?: number;
  /** how often to look for deliveries other processes learned (ms); 5 s by default */
  transitRefreshMs?: number;
  /** the pipeline's settings (PROMESSE_* of api/src/settings.ts) and, in tests, its seams: resolver, sender */
  pipeline?: PipelineOptions;
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For): false (none, the default), true
   * (any), a hop count, or addresses and CIDR ranges. Per-IP rate limits count the address it yields.
   */
  trustProxy?: boolean | number | string | string[];
  /** GET /metrics takes `Authorization: Bearer <token>`; without one it answers only unproxied loopback clients */
  metricsToken?: string | undefined;
  /** serve the demo storefront at /demo/ */
  demo?: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: the caller's X-Request-Id when it is a plain token, else a new one. */
function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : `req_${randomUUID()}`;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1_048_576,
    // A hop count trusts that many proxies in front (proxy-addr's rule, which Fastify types only as a function).
    trustProxy:
      typeof options.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(options.trustProxy)
        : (options.trustProxy ?? false),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: true } },
    // A caller's own X-Request-Id is kept when it is a plain token, so one id follows a request across systems.
    requestIdHeader: false,
    genReqId: requestIdOf,
    // While closing, new requests get our own 503 (below), in the API's error shape, not Fastify's.
    return503OnClosing: false,
    routerOptions: { maxParamLength: 200 },
  });
  // The API speaks JSON; other bodies get 415 rather than a confusing validation error.
  app.removeContentTypeParser('text/plain');
  // In-flight requests finish on SIGTERM; those arriving meanwhile are told to go elsewhere.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) {
      reply.header('connection', 'close');
      throw new HttpError(503, 'unavailable', 'This server is shutting down; retry the request.');
    }
    if (request.url.length > 8192) throw new HttpError(414, 'invalid_request', 'The URL is too long.');
  });
  await app.register(errorsPlugin);
  // Security headers on every answer. No CSP here yet: the demo pages run inline module scripts. CORP is left to
  // the routes: the element's bundle and promises are loaded from shops' origins.
  await app.register(helmet, { contentSecurityPolicy: false, crossOriginResourcePolicy: false });
  await app.register(merchantsPlugin, { configs: options.merchants });
  await app.register(stockPlugin, { store: options.store });
  await app.register(clockPlugin, {
    clock: options.clock ?? Date.now,
    secret: options.secret,
  });
  await app.register(promiseAnswersPlugin);
  await app.register(metricsPlugin, { token: options.metricsToken });
  await app.register(transitHistoryPlugin, options.transitRefreshMs ? { refreshMs: options.transitRefreshMs } : {});
  await app.register(bookingsPlugin);
  await app.register(pipelinePlugin, options.pipeline ?? {});
  await app.register(authPlugin);
  await app.register(rateLimit, {
    global: false,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, 'rate_limited', `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s.`, {
        headers: { 'retry-after': String(Math.ceil(context.ttl / 1000)) },
      }),
  });
  await app.register(openapiPlugin);
  await app.register(consolePlugin, { secret: options.secret });
  await app.register(assetsPlugin, { demo: options.demo ?? false });
  await app.register(healthRoutes);
  await app.register(promiseRoutes);
  await app.register(inventoryRoutes);
  await app.register(inventoryImportRoutes);
  await app.register(transitHistoryRoutes);
  await app.register(analyticsRoutes);
  await app.register(orderRoutes);
  await app.register(shipmentRoutes);
  await app.register(returnRoutes);
  await app.register(webhookEndpointRoutes);
  await app.register(trackingRoutes);
  await app.register(karrioWebhookRoutes);
  await app.register(channelWebhookRoutes);
  await app.register(exceptionRoutes);
  return app;
}
