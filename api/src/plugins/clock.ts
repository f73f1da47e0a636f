/**
 * The clock and the promise signer. Tests inject a fixed clock; `at` on test keys overrides it per request.
 * The signing secret is PROMESSE_SECRET, else one generated once and kept in the store.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { PromiseTokens } from '../promise-token.ts';

declare module 'fastify' {
  interface FastifyInstance {
    clock: () => number;
    promiseTokens: PromiseTokens;
  }
}

export const clockPlugin = fp(
  async (app: FastifyInstance, { clock, secret }: { clock: () => number; secret: string | undefined }) => {
    app.decorate('clock', clock);
    app.decorate('promiseTokens', new PromiseTokens(secret ?? (await app.store.serviceSecret('promise-token'))));
  },
  { name: 'clock', dependencies: ['stock'] },
);
