/** Builds the merchant registry from the loaded configs and decorates the app with it. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { MerchantConfig } from '../../../shared/src/config.ts';
import { MerchantRegistry } from '../merchants/registry.ts';

declare module 'fastify' {
  interface FastifyInstance {
    merchants: MerchantRegistry;
  }
}

export const merchantsPlugin = fp(
  async (app: FastifyInstance, { configs }: { configs: readonly MerchantConfig[] }) => {
    app.decorate('merchants', new MerchantRegistry(configs));
  },
  { name: 'merchants' },
);
