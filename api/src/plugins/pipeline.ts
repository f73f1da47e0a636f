/**
 * The pipeline inside the API process: the outbox relay with the carrier adapters. `npm start` runs it (one
 * relay per SQLite store; on PostgreSQL `promesse worker` processes can add more); tests drive it by hand.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SandboxCarrier } from '../pipeline/carriers/sandbox.ts';
import { OutboxRelay } from '../pipeline/outbox-relay.ts';
import { shipmentJobs } from '../pipeline/shipment-jobs.ts';

declare module 'fastify' {
  interface FastifyInstance {
    relay: OutboxRelay;
  }
}

export const pipelinePlugin = fp(
  async (app: FastifyInstance, { startRelay }: { startRelay: boolean }) => {
    const relay = new OutboxRelay({
      store: app.store,
      clock: app.clock,
      handlers: shipmentJobs({
        store: app.store,
        merchants: app.merchants,
        adapters: { sandbox: new SandboxCarrier() },
        clock: app.clock,
      }),
      onError: (error, job) => app.log.warn({ err: error, jobId: job?.id, type: job?.type }, 'outbox job failed'),
    });
    app.decorate('relay', relay);
    if (startRelay) app.addHook('onReady', async () => relay.start());
    // Registered after the store's own onClose hook, so it runs first: jobs are given back before the store closes.
    app.addHook('onClose', async () => relay.stop());
  },
  { name: 'pipeline', dependencies: ['stock', 'merchants', 'clock'] },
);
