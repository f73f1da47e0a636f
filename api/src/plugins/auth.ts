/**
 * Who is calling. Secret routes take `Authorization: Bearer sk_…`, or the console's session (plugins/console.ts);
 * the promise route takes a publishable key in the query (so browsers send a simple GET). A publishable key on a
 * secret route is 403, an unknown key 401.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../http-error.ts';
import type { ApiKey } from '../merchants/registry.ts';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: ApiKey | null;
    /** the presented key, kept for `at` (test keys only); never logged */
    presentedKey: string | null;
  }
  interface FastifyInstance {
    requireSecretKey: (request: FastifyRequest) => Promise<void>;
  }
}

const publishableKeys = new WeakMap<FastifyRequest, ApiKey | null>();

/**
 * The key record for the `key` query parameter, looked up once per request (CORS, the rate limit and the
 * handler all ask). Null when the key is missing or unknown.
 */
export function queryKeyOf(app: FastifyInstance, request: FastifyRequest): ApiKey | null {
  let found = publishableKeys.get(request);
  if (found === undefined) {
    const key = (request.query as { key?: unknown } | undefined)?.key;
    found = (typeof key === 'string' ? app.merchants.authenticate(key) : undefined) ?? null;
    publishableKeys.set(request, found);
  }
  return found;
}

/** The merchant a request acts for; only after an auth hook ran. */
export function callerOf(request: FastifyRequest): ApiKey {
  if (!request.apiKey) throw new HttpError(401, 'unauthorized', 'No API key was presented.');
  return request.apiKey;
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

export const authPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('apiKey', null);
    app.decorateRequest('presentedKey', null);
    app.decorate('requireSecretKey', async (request: FastifyRequest) => {
      const token = bearerToken(request);
      if (!token) {
        // The console's session stands for its merchant (CONTRACT §10), with its role and CSRF checks.
        const session = app.hasDecorator('consoleCaller') ? await app.consoleCaller(request) : null;
        if (session) {
          request.apiKey = session;
          return;
        }
        throw new HttpError(401, 'unauthorized', 'Send your secret key as "Authorization: Bearer sk_…".');
      }
      const key = app.merchants.authenticate(token);
      if (!key) throw new HttpError(401, 'unauthorized', 'Unknown API key.');
      if (key.type !== 'secret') {
        throw new HttpError(403, 'forbidden', 'Publishable keys can only read promises; use a secret key.');
      }
      request.apiKey = key;
      request.presentedKey = token;
    });
  },
  { name: 'auth', dependencies: ['merchants'] },
);
