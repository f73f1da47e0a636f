/** Prometheus metrics at GET /metrics: request durations by route and status, promises by status, process metrics. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: { registry: Registry; promises: Counter<'status'>; bookings: Counter };
  }
}

export const metricsPlugin = fp(
  async (app: FastifyInstance) => {
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
    app.decorate('metrics', { registry, promises, bookings });
    app.addHook('onResponse', async (request, reply) => {
      duration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
      reply.type(registry.contentType).send(await registry.metrics()),
    );
  },
  { name: 'metrics' },
);
