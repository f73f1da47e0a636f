/**
 * The pipeline inside the API process: the outbox relay with the carrier adapters and the webhook deliveries.
 * `npm start` runs it (one relay per SQLite store; on PostgreSQL `promesse worker` processes can add more);
 * tests drive it by hand, with an injected resolver and sender for webhooks.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DEFAULT_EXCHANGE, sinkId } from '../../../shared/src/config.ts';
import { CHANNEL_ORDER, channelJobs } from '../channels/channel-jobs.ts';
import { PrestaShopPoller } from '../channels/prestashop-poller.ts';
import { CarrierRefused } from '../pipeline/carriers/carrier-adapter.ts';
import { KarrioCarrier } from '../pipeline/carriers/karrio/karrio-carrier.ts';
import { SandboxCarrier } from '../pipeline/carriers/sandbox.ts';
import { eventJobs } from '../pipeline/events.ts';
import { openException, scanForExceptions } from '../pipeline/exceptions.ts';
import { inTurn, type JobHandler, OutboxRelay } from '../pipeline/outbox-relay.ts';
import { returnJobs } from '../pipeline/return-jobs.ts';
import { DEFAULT_PIPELINE, type PipelineSettings } from '../pipeline/settings.ts';
import { shipmentJobs } from '../pipeline/shipment-jobs.ts';
import { AmqpPublishers } from '../pipeline/streams/amqp-publisher.ts';
import { STREAM_PUBLISH, streamJobs } from '../pipeline/streams/stream-jobs.ts';
import { TrackingPoller } from '../pipeline/tracking/poller.ts';
import { httpSender, type Sender } from '../pipeline/webhooks/send.ts';
import { type Resolver, systemResolver } from '../pipeline/webhooks/ssrf-guard.ts';
import { webhookJobs } from '../pipeline/webhooks/webhook-jobs.ts';
import type { OutboxJob } from '../store/store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    relay: OutboxRelay;
    trackingPoller: TrackingPoller;
    /** pulls the orders of PrestaShop channels */
    channelPoller: PrestaShopPoller;
    /** the connections to the merchants' event brokers (sinks) */
    publishers: AmqpPublishers;
    /** declares every sink's exchange (at start; a broker that is down is retried by the publishes) */
    declareSinks: () => Promise<void>;
    /** runs the relay, the exception scan and the tracking poller in the background until the app closes */
    startPipeline: () => void;
    /** how webhook URLs are resolved and checked (injected in tests) */
    webhookTargets: { resolve: Resolver; allowPrivate: boolean };
  }
}

/** The pipeline's settings (defaults for any not given), and seams tests inject. */
export interface PipelineOptions extends Partial<PipelineSettings> {
  /** injected in tests: no real DNS lookup, no real connection */
  resolve?: Resolver;
  send?: Sender;
}

/** The order a job is about: its payload's (publishes, held labels), a delivery's from its key, else its key. */
function orderOfJob(job: OutboxJob): string {
  if (typeof job.payload.orderId === 'string') return job.payload.orderId;
  if (job.type === 'webhook.deliver') return job.orderId.split(':')[2] ?? job.orderId;
  return job.orderId;
}

/** Every handler of every job family; a type several handle runs them in turn. */
function combine(...families: Record<string, JobHandler>[]): Record<string, JobHandler> {
  const types = new Set(families.flatMap((family) => Object.keys(family)));
  return Object.fromEntries([...types].map((type) => [type, inTurn(...families.map((family) => family[type]))]));
}

export const pipelinePlugin = fp(
  async (app: FastifyInstance, options: PipelineOptions) => {
    const settings: PipelineSettings = { ...DEFAULT_PIPELINE, ...options };
    const webhookTargets = { resolve: options.resolve ?? systemResolver, allowPrivate: settings.allowPrivateWebhooks };
    app.decorate('webhookTargets', webhookTargets);
    const adapters = { sandbox: new SandboxCarrier(settings.sandbox), karrio: new KarrioCarrier() };
    const poller = new TrackingPoller({
      store: app.store,
      merchants: app.merchants,
      adapters,
      clock: app.clock,
      pollAfterMs: settings.pollAfterMs,
      perCarrier: settings.pollsPerCarrier,
      giveUpMs: settings.giveUpMs,
      onStockChange: (merchantId, skus) => {
        for (const sku of skus) app.stock.invalidate(merchantId, sku);
      },
      onDelivered: async (merchantId, shipments) => {
        const runtime = app.merchants.byId(merchantId);
        if (runtime) await app.transitHistory.delivered(runtime, shipments);
      },
      onUnknownEvents: (codes, count) => app.metrics.unknownEvents.inc({ codes }, count),
    });
    app.decorate('trackingPoller', poller);
    const channelPoller = new PrestaShopPoller({
      store: app.store,
      merchants: app.merchants,
      clock: app.clock,
      onError: (error, merchant, channel) => app.log.warn({ err: error, merchant, channel }, 'channel poll failed'),
    });
    app.decorate('channelPoller', channelPoller);
    const publishers = new AmqpPublishers(settings.amqp);
    app.decorate('publishers', publishers);
    app.decorate('declareSinks', async () => {
      for (const runtime of app.merchants.all) {
        for (const sink of runtime.sinks) {
          try {
            await publishers
              .for(`${runtime.merchant.id}/${sinkId(sink)}`, sink.url)
              .declare(sink.exchange ?? DEFAULT_EXCHANGE);
          } catch (error) {
            // The message only: an error of the broker's client may carry the address, and its password.
            app.log.warn(
              {
                reason: error instanceof Error ? error.message : String(error),
                merchant: runtime.merchant.id,
                sink: sinkId(sink),
              },
              'event sink not reachable at start; its messages wait in the outbox',
            );
          }
        }
      }
    });
    const relay = new OutboxRelay({
      store: app.store,
      clock: app.clock,
      handlers: combine(
        shipmentJobs({
          store: app.store,
          merchants: app.merchants,
          adapters,
          clock: app.clock,
        }),
        returnJobs({ store: app.store, merchants: app.merchants, adapters, clock: app.clock }),
        eventJobs({ store: app.store, clock: app.clock, sinksOf: (id) => app.merchants.byId(id)?.sinks ?? [] }),
        webhookJobs({ store: app.store, clock: app.clock, ...webhookTargets, send: options.send ?? httpSender() }),
        streamJobs({
          merchants: app.merchants,
          publishers,
          clock: app.clock,
          onOutcome: (sink, outcome) => app.metrics.streamPublishes.inc({ sink, outcome }),
        }),
        channelJobs({ store: app.store, merchants: app.merchants, bookings: app.bookings, clock: app.clock }),
      ),
      onError: (error, job) => app.log.warn({ err: error, jobId: job?.id, type: job?.type }, 'outbox job failed'),
      // Nothing gives up silently: a dead job is counted and opens an exception the merchant's team sees.
      onDead: async (job, error, cause) => {
        app.metrics.deadJobs.inc({ type: job.type });
        const delivery = job.type === 'webhook.deliver' || job.type === STREAM_PUBLISH;
        const refused = cause instanceof Error && cause.cause instanceof CarrierRefused;
        if (job.type === CHANNEL_ORDER) {
          await openException(app.store, job.merchantId, {
            kind: 'channel',
            orderId: job.orderId,
            shipmentId: null,
            reason: 'channel_order_failed',
            occasion: `job:${job.id}:${app.clock()}`,
            detail: `${error} (outbox job ${job.id}, attempt ${job.attempts})`,
            now: app.clock(),
          });
          return;
        }
        await openException(app.store, job.merchantId, {
          kind: 'outbox',
          // A delivery's order key is `wh:<endpoint>:<order>[:replay]`, a publish's carries its order: the
          // exception names the order itself.
          orderId: orderOfJob(job),
          shipmentId: typeof job.payload.shipmentId === 'string' ? job.payload.shipmentId : null,
          reason: delivery ? 'delivery_failed' : refused ? 'carrier_refused' : 'job_failed',
          // Each death is its own occasion: a replayed job that dies again opens a new exception.
          occasion: `job:${job.id}:${app.clock()}`,
          detail: `${delivery ? `${String(job.payload.eventType)} to ${job.type === STREAM_PUBLISH ? `sink ${String(job.payload.sinkId)}` : `endpoint ${String(job.payload.endpointId)}`}` : job.type} (outbox job ${job.id}) gave up after ${job.attempts} attempts: ${error}`,
          now: app.clock(),
        });
      },
    });
    app.decorate('relay', relay);
    let scan: ReturnType<typeof setInterval> | undefined;
    let polling: ReturnType<typeof setInterval> | undefined;
    let pulling: ReturnType<typeof setInterval> | undefined;
    // Started by the server once it listens (or by a worker once ready): a process that cannot take its port
    // must not run a second relay on the same store.
    app.decorate('startPipeline', () => {
      if (scan) return;
      void app.declareSinks();
      relay.start();
      // The silence and lateness scan; event-driven exceptions open as the events arrive.
      scan = setInterval(() => {
        scanForExceptions({
          store: app.store,
          clock: app.clock,
          noScanMs: settings.noScanMs,
          giveUpMs: settings.giveUpMs,
        }).catch((error: unknown) => app.log.warn({ err: error }, 'exception scan failed'));
      }, settings.exceptionScanMs);
      scan.unref();
      let busy = false;
      polling = setInterval(() => {
        if (busy) return;
        busy = true;
        poller
          .runOnce()
          .catch((error: unknown) => app.log.warn({ err: error }, 'tracking poll failed'))
          .finally(() => {
            busy = false;
          });
      }, settings.pollEveryMs);
      polling.unref();
      // Each PrestaShop channel is polled at its own pace; this only looks which are due.
      let pullBusy = false;
      pulling = setInterval(() => {
        if (pullBusy) return;
        pullBusy = true;
        channelPoller
          .runOnce()
          .catch((error: unknown) => app.log.warn({ err: error }, 'channel poll failed'))
          .finally(() => {
            pullBusy = false;
          });
      }, 10_000);
      pulling.unref();
    });
    app.addHook('onClose', async () => {
      clearInterval(scan);
      clearInterval(polling);
      clearInterval(pulling);
    });
    // Registered before the relay's hook, so it runs after it: running publishes finish before connections close.
    app.addHook('onClose', async () => publishers.close());
    // Registered after the store's own onClose hook, so it runs first: jobs are given back before the store closes.
    app.addHook('onClose', async () => relay.stop());
  },
  { name: 'pipeline', dependencies: ['stock', 'merchants', 'clock', 'metrics', 'transit-history', 'bookings'] },
);
