/**
 * The Promesse application: plugins first (config, store, auth, errors, metrics, docs), then routes. Built
 * without listening, so tests drive it with `inject`.
 */
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { MerchantConfig } from '../../shared/src/config.ts';
import { HttpError } from './http-error.ts';
import { assetsPlugin } from './plugins/assets.ts';
import { authPlugin } from './plugins/auth.ts';
import { bookingsPlugin } from './plugins/bookings.ts';
import { clockPlugin } from './plugins/clock.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { merchantsPlugin } from './plugins/merchants.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { type PipelineOptions, pipelinePlugin } from './plugins/pipeline.ts';
import { promiseAnswersPlugin } from './plugins/promise-answers.ts';
import { stockPlugin } from './plugins/stock.ts';
import { healthRoutes } from './routes/health.ts';
import { exceptionRoutes } from './routes/v1/exceptions.ts';
import { inventoryRoutes } from './routes/v1/inventory.ts';
import { inventoryImportRoutes } from './routes/v1/inventory-import.ts';
import { orderRoutes } from './routes/v1/orders.ts';
import { promiseRoutes } from './routes/v1/promise.ts';
import { shipmentRoutes } from './routes/v1/shipments.ts';
import { trackingRoutes } from './routes/v1/tracking.ts';
import { webhookEndpointRoutes } from './routes/v1/webhook-endpoints.ts';
import type { Store } from './store/store.ts';

export interface AppOptions {
  merchants: readonly MerchantConfig[];
  store: Store;
  /** ms since the epoch; defaults to Date.now */
  clock?: () => number;
  /** the promise-signing secret; defaults to PROMESSE_SECRET, else one kept in the store */
  secret?: string;
  logger?: FastifyServerOptions['logger'];
  /** request bodies above this size get 413 (bytes) */
  bodyLimit?: number;
  /** run the outbox relay (labels, webhooks …) in this process; tests drive `app.relay.runOnce()` instead */
  startRelay?: boolean;
  /** webhook delivery seams for tests: resolver, sender, private addresses allowed */
  webhooks?: Omit<PipelineOptions, 'startRelay'>;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1_048_576,
    trustProxy: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: true } },
    routerOptions: { maxParamLength: 200 },
  });
  // The API speaks JSON; other bodies get 415 rather than a confusing validation error.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (request) => {
    if (request.url.length > 8192) throw new HttpError(414, 'invalid_request', 'The URL is too long.');
  });
  await app.register(errorsPlugin);
  await app.register(merchantsPlugin, { configs: options.merchants });
  await app.register(stockPlugin, { store: options.store });
  await app.register(clockPlugin, {
    clock: options.clock ?? Date.now,
    secret: options.secret ?? process.env.PROMESSE_SECRET,
  });
  await app.register(promiseAnswersPlugin);
  await app.register(metricsPlugin);
  await app.register(bookingsPlugin);
  await app.register(pipelinePlugin, { startRelay: options.startRelay ?? false, ...options.webhooks });
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
  await app.register(assetsPlugin);
  await app.register(healthRoutes);
  await app.register(promiseRoutes);
  await app.register(inventoryRoutes);
  await app.register(inventoryImportRoutes);
  await app.register(orderRoutes);
  await app.register(shipmentRoutes);
  await app.register(webhookEndpointRoutes);
  await app.register(trackingRoutes);
  await app.register(exceptionRoutes);
  return app;
}
