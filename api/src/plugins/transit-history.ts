/**
 * Wires the delivery history: loads each merchant's model from the store at start, then follows the store every
 * `refreshMs` for what other processes received (their imports, their tracked deliveries).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { TransitHistory } from '../services/transit-history.ts';

declare module 'fastify' {
  interface FastifyInstance {
    transitHistory: TransitHistory;
  }
}

/** How often a process looks for deliveries other processes learned. */
export const HISTORY_REFRESH_MS = 5000;

export const transitHistoryPlugin = fp(
  async (app: FastifyInstance, { refreshMs = HISTORY_REFRESH_MS }: { refreshMs?: number }) => {
    const history = new TransitHistory(app.store, {
      countDelivery: (merchant, service, outcome) => app.metrics.deliveries.inc({ merchant, service, outcome }),
      onError: (error) => app.log.warn({ err: error }, 'learning a delivery failed; the next refresh retries'),
    });
    app.decorate('transitHistory', history);
    const catchUpAll = () => Promise.all(app.merchants.all.map((runtime) => history.catchUp(runtime)));
    await catchUpAll();
    const timer = setInterval(() => {
      catchUpAll().catch((error: unknown) => app.log.warn({ err: error }, 'delivery history refresh failed'));
    }, refreshMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'transit-history', dependencies: ['merchants', 'stock', 'metrics'] },
);
