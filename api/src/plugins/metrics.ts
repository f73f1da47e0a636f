/**
 * Prometheus metrics at GET /metrics: request durations by route and status, promises by status, the outbox's
 * backlog and dead jobs, process metrics. They show every merchant's totals, so the route takes a bearer token
 * (PROMESSE_METRICS_TOKEN); without one it answers only clients on this machine that no proxy forwarded.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: {
      registry: Registry;
      promises: Counter<'status'>;
      bookings: Counter;
      deadJobs: Counter<'type'>;
      unknownEvents: Counter<'codes'>;
      streamPublishes: Counter<'sink' | 'outcome'>;
      deliveries: Counter<'merchant' | 'service' | 'outcome'>;
    };
  }
}

/** Whether a scrape may read the metrics: the right token, or (no token set) a direct loopback client. */
export function mayScrape(request: FastifyRequest, token: string | undefined): boolean {
  if (token) {
    const given = Buffer.from(String(request.headers.authorization ?? ''));
    const expected = Buffer.from(`Bearer ${token}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  const peer = request.socket.remoteAddress ?? '';
  const loopback = peer === '::1' || peer.startsWith('127.') || peer.startsWith('::ffff:127.');
  return loopback && request.headers['x-forwarded-for'] === undefined && request.headers.forwarded === undefined;
}

export const metricsPlugin = fp(
  async (app: FastifyInstance, { token }: { token?: string | undefined }) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'promesse_' });
    const duration = new Histogram({
      name: 'promesse_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
    const promises = new Counter({
      name: 'promesse_promises_total',
      help: 'Promises answered, by status (available, partial, unavailable)',
      labelNames: ['status'] as const,
      registers: [registry],
    });
    const bookings = new Counter({ name: 'promesse_bookings_total', help: 'Orders booked', registers: [registry] });
    const deliveries = new Counter({
      name: 'promesse_deliveries_total',
      help: 'Parcels delivered, by merchant, service and how the promise held (early, within, late)',
      labelNames: ['merchant', 'service', 'outcome'] as const,
      registers: [registry],
    });
    // The on-time rate per service, from the deliveries this process applied (early ones are on time too).
    new Gauge({
      name: 'promesse_promise_on_time_ratio',
      help: 'Share of delivered parcels that arrived by the promised latest date, by merchant and service',
      labelNames: ['merchant', 'service'] as const,
      registers: [registry],
      async collect() {
        const totals = new Map<
          string,
          { labels: { merchant: string; service: string }; all: number; onTime: number }
        >();
        for (const { labels, value } of (await deliveries.get()).values) {
          const key = `${labels.merchant}|${labels.service}`;
          const entry = totals.get(key) ?? {
            labels: { merchant: String(labels.merchant), service: String(labels.service) },
            all: 0,
            onTime: 0,
          };
          entry.all += value;
          if (labels.outcome !== 'late') entry.onTime += value;
          totals.set(key, entry);
        }
        for (const { labels, all, onTime } of totals.values()) this.set(labels, all === 0 ? 0 : onTime / all);
      },
    });
    const deadJobs = new Counter({
      name: 'promesse_outbox_dead_total',
      help: 'Outbox jobs that gave up after their last attempt, by type (each also opens an exception)',
      labelNames: ['type'] as const,
      registers: [registry],
    });
    // Read from the store at scrape time, so every process reports the same backlog, other workers' included.
    // Registered first: its collect also sets the oldest pending age below.
    new Gauge({
      name: 'promesse_outbox_jobs',
      help: 'Outbox jobs not done, by state (pending, running, dead)',
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        const stats = await app.store.outboxStats();
        for (const state of ['pending', 'running', 'dead'] as const) this.set({ state }, stats[state]);
        oldestPending.set(
          stats.oldestPendingAt ? Math.max(0, (app.clock() - Date.parse(stats.oldestPendingAt)) / 1000) : 0,
        );
      },
    });
    const oldestPending = new Gauge({
      name: 'promesse_outbox_oldest_pending_seconds',
      help: 'Age of the oldest outbox job still waiting: grows when work is stuck',
      registers: [registry],
    });
    const unknownEvents = new Counter({
      name: 'promesse_tracking_unknown_events_total',
      help: "Tracking events kept with a code their carrier's table does not know, by table (carriers[].eventCodes)",
      labelNames: ['codes'] as const,
      registers: [registry],
    });
    const streamPublishes = new Counter({
      name: 'promesse_stream_publishes_total',
      help: 'Attempts to publish an event to a sink (RabbitMQ), by sink id and outcome (confirmed by the broker, or failed and retried)',
      labelNames: ['sink', 'outcome'] as const,
      registers: [registry],
    });
    app.decorate('metrics', { registry, promises, bookings, deadJobs, deliveries, unknownEvents, streamPublishes });
    app.addHook('onResponse', async (request, reply) => {
      duration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (!mayScrape(request, token)) {
        // Not found rather than forbidden: a stranger learns nothing, not even that metrics exist here.
        return reply.status(404).send({ code: 'not_found', message: 'Route GET:/metrics not found' });
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  },
  { name: 'metrics' },
);
