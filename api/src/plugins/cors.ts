/**
 * CORS by key (CONTRACT §4): the promise route answers the origins its publishable key allows, the widget bundle
 * answers everyone (module scripts are fetched with CORS), and secret routes answer no browser at all.
 */
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

function allowedOrigin(app: FastifyInstance, request: FastifyRequest): boolean | string | string[] {
  const path = request.url.split('?')[0] ?? '';
  if (path.startsWith('/widget/') || path.startsWith('/demo/')) return '*';
  if (path !== '/v1/promise') return false;
  const key = (request.query as { key?: unknown }).key;
  const found = typeof key === 'string' ? app.merchants.authenticate(key) : undefined;
  if (!found || found.type !== 'publishable') return false;
  return found.allowedOrigins.includes('*') ? '*' : [...found.allowedOrigins];
}

export const corsPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(cors, {
      hook: 'onRequest',
      delegator: (request, callback) => {
        callback(null, { origin: allowedOrigin(app, request), methods: ['GET', 'HEAD'], maxAge: 600, strictPreflight: false });
      },
    });
  },
  { name: 'cors', dependencies: ['merchants'] },
);
