/**
 * The console's sign-in and sessions (CONTRACT §10). A merchant's team signs in with a secret key or as a user of
 * the merchant's config; the session lives server-side (the store's `console_sessions`, so every API process knows
 * it) behind an `HttpOnly`, `SameSite=Strict` cookie, `Secure` whenever the request came over TLS. A session then
 * stands for its merchant on the same /v1 routes a secret key opens: viewers read, operators act, and every state
 * change needs the session's CSRF token and a same-origin `Origin`. Signed out after `console.sessionMinutes`
 * (default 30) idle, by the app's clock.
 */

import { createHash, createHmac } from 'node:crypto';
import { fastifyCookie } from '@fastify/cookie';
import { Tokens } from '@fastify/csrf';
import fastifySession, { type SessionStore } from '@fastify/session';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { ApiError } from '../../../shared/src/errors.ts';
import { verifyPassword } from '../console/passwords.ts';
import { HttpError } from '../http-error.ts';
import type { ApiKey, MerchantRuntime } from '../merchants/registry.ts';
import type { Store } from '../store/store.ts';

/** What a console session holds. */
interface ConsoleSession {
  merchantId: string;
  role: 'viewer' | 'operator';
  /** who signed in: the user's e-mail, or null for a secret key */
  email: string | null;
  /** the API key id a key sign-in came with (its fingerprint), or `user:<email>` */
  keyId: string;
  /** the app clock's instant of the session's last request: idle expiry counts from it */
  lastSeenAt: number;
  /** what the session's CSRF tokens are made from and checked against (@fastify/csrf) */
  csrfSecret: string;
}

declare module 'fastify' {
  interface Session {
    console?: ConsoleSession;
  }
  interface FastifyInstance {
    /** the console session's caller for a request without a key, or null; throws on a refused state change */
    consoleCaller: (request: FastifyRequest) => Promise<ApiKey | null>;
  }
  interface FastifyRequest {
    /** the console role of a session's request; null for API keys */
    consoleRole: 'viewer' | 'operator' | null;
  }
}

export const SESSION_COOKIE = 'promesse_console';
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the store keys a session by: its id hashed, so that reading the database gives no cookie away. */
const storedId = (id: string) => createHash('sha256').update(id).digest('base64url');

/** How long a stored session lives without a request: the idle expiry (by the app's clock) decides before. */
const STORE_TTL_MS = 86_400_000;

/** @fastify/session's store interface over the Promesse store. */
function sessionStore(store: Store): SessionStore {
  return {
    get: (id, callback) =>
      store.getSession(storedId(id), Date.now()).then(
        (data) => {
          let session = null;
          try {
            session = data ? JSON.parse(data) : null;
          } catch {
            // Unreadable (written by another version): no session, so the user signs in again.
          }
          callback(null, session);
        },
        (error: Error) => callback(error),
      ),
    set: (id, session, callback) => {
      const expires = session.cookie.expires?.getTime() ?? Date.now() + STORE_TTL_MS;
      store.setSession(storedId(id), JSON.stringify(session), expires).then(
        () => callback(),
        (error: Error) => callback(error),
      );
    },
    destroy: (id, callback) =>
      store.destroySession(storedId(id)).then(
        () => callback(),
        (error: Error) => callback(error),
      ),
  };
}

/** The origin a request was sent to, as a browser names it in `Origin`. */
const ownOrigin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

const SessionAnswer = Type.Object({
  merchant: Type.Object({ id: Type.String(), name: Type.String(), currency: Type.String() }),
  role: Type.Enum(['viewer', 'operator']),
  email: Type.Union([Type.String(), Type.Null()]),
  csrfToken: Type.String({ description: 'send it as X-CSRF-Token with every state change' }),
  sessionMinutes: Type.Integer(),
  publishableKey: Type.Union([Type.String(), Type.Null()], {
    description: "a publishable key of the merchant's config, for the element in the promise simulator",
  }),
  warehouses: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  services: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  skus: Type.Array(Type.Object({ sku: Type.String(), name: Type.String() })),
});

const SignIn = Type.Union([
  Type.Object({ secretKey: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
  Type.Object(
    { email: Type.String({ minLength: 3, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
    { additionalProperties: false },
  ),
]);

export const consolePlugin = fp(
  async (app: FastifyInstance, options: { secret?: string | undefined }) => {
    const tokens = new Tokens({ userInfo: false });
    app.decorateRequest('consoleRole', null);
    /** Reads a session by its signed cookie value onto a request, through @fastify/session (set below). */
    let decrypt: (signed: string, request: FastifyRequest) => Promise<void> = async () => {};

    const minutesOf = (runtime: MerchantRuntime) => runtime.console.sessionMinutes;
    /** The request's session, if the session plugin or `loadSession` gave it one. */
    const sessionOf = (request: FastifyRequest) => (request as { session?: FastifyRequest['session'] }).session;

    /**
     * The session of a /v1 request, read from its cookie: the session plugin's hooks run only on the console's own
     * routes, so that the public API pays nothing for it (a request without the cookie is one header look).
     */
    const loadSession = async (request: FastifyRequest) => {
      if (sessionOf(request)) return;
      const header = request.headers.cookie;
      if (!header?.includes(`${SESSION_COOKIE}=`)) return;
      const signed = fastifyCookie.parse(header)[SESSION_COOKIE];
      if (signed) await decrypt(signed, request);
    };

    /** A state change from the console: the page's own origin, and the session's CSRF token. */
    const checkStateChange = (request: FastifyRequest, held: ConsoleSession) => {
      if (request.headers.origin !== ownOrigin(request))
        throw new HttpError(403, 'forbidden', 'A console change must come from the console itself (Origin).');
      const token = request.headers['x-csrf-token'];
      if (typeof token !== 'string' || !tokens.verify(held.csrfSecret, token))
        throw new HttpError(403, 'forbidden', 'Missing or wrong CSRF token: reload the console.');
    };

    app.decorate('consoleCaller', async (request: FastifyRequest): Promise<ApiKey | null> => {
      await loadSession(request);
      const session = sessionOf(request);
      const held = session?.console;
      if (!session || !held) return null;
      const runtime = app.merchants.byId(held.merchantId);
      const now = app.clock();
      if (!runtime || now - held.lastSeenAt > minutesOf(runtime) * 60_000) {
        await session.destroy();
        throw new HttpError(401, 'unauthorized', 'Your console session has expired: sign in again.');
      }
      // The credential that opened the session must still be configured, with the same role: a user removed
      // or made a viewer, a key rotated out, ends its sessions at their next request.
      const user = held.email ? app.merchants.user(held.email) : null;
      const current = held.email
        ? user?.merchant === runtime && user.user.role === held.role
        : app.merchants.hasSecretKey(runtime.merchant.id, held.keyId);
      if (!current) {
        await session.destroy();
        throw new HttpError(401, 'unauthorized', 'Your console access changed: sign in again.');
      }
      if (!READS.has(request.method)) {
        checkStateChange(request, held);
        if (held.role !== 'operator')
          throw new HttpError(403, 'forbidden', 'Viewers can read; ask an operator to do this.');
      }
      // Idle expiry counts from here.
      session.console = { ...held, lastSeenAt: now };
      // An update, never an insert: a request still running when its session is signed out cannot bring it back.
      await app.store.touchSession(storedId(session.sessionId), JSON.stringify(session), Date.now() + STORE_TTL_MS);
      request.consoleRole = held.role;
      return { merchant: runtime, type: 'secret', allowedOrigins: [], id: held.keyId };
    });

    const answer = (request: FastifyRequest) => {
      const held = request.session.console;
      const runtime = held ? app.merchants.byId(held.merchantId) : undefined;
      if (!held || !runtime) throw new HttpError(401, 'unauthorized', 'Sign in to the console.');
      const { merchant } = runtime;
      return {
        merchant: { id: merchant.id, name: merchant.name, currency: merchant.currency },
        role: held.role,
        email: held.email,
        csrfToken: tokens.create(held.csrfSecret),
        sessionMinutes: minutesOf(runtime),
        publishableKey: runtime.console.publishableKey,
        warehouses: merchant.warehouses.map((w) => ({ id: w.id, name: w.name })),
        services: merchant.services.map((s) => ({ id: s.id, name: s.name })),
        skus: [...merchant.products.values()].map((p) => ({ sku: p.sku, name: p.name })),
      };
    };

    // The session plugin, and the routes its hooks serve, in a scope of their own.
    await app.register(async (scope) => {
      await scope.register(fastifyCookie);
      await scope.register(fastifySession, {
        // From PROMESSE_SECRET when it is set (a key of its own, derived), else one kept in the store for all processes.
        secret: options.secret
          ? createHmac('sha256', options.secret).update('promesse console sessions').digest('hex')
          : await app.store.serviceSecret('console-session'),
        cookieName: SESSION_COOKIE,
        // Strict always; Secure per session from the request (`secure: 'auto'` would drop Strict to Lax on HTTP).
        // No Max-Age: the browser keeps it until it closes, and the server ends it after sessionMinutes idle.
        cookie: { httpOnly: true, sameSite: 'strict', secure: false, path: '/' },
        saveUninitialized: false,
        store: sessionStore(app.store),
      });
      decrypt = (signed, request) =>
        new Promise((resolve, reject) =>
          scope.decryptSession(signed, request, (error?: Error) => (error ? reject(error) : resolve())),
        );
      scope.post(
        '/console/api/sign-in',
        {
          config: {
            // Per address: guessing passwords or keys takes years at this pace.
            rateLimit: { max: 10, timeWindow: 60_000, keyGenerator: (request) => `console-sign-in|${request.ip}` },
          },
          schema: {
            summary: 'Sign in to the console with a secret key, or as a user of the merchant config',
            // The console page's own routes: not part of the public API.
            hide: true,
            body: SignIn,
            response: { 200: SessionAnswer, '4xx': ApiError },
          },
        },
        async (request) => {
          // A sign-in sets a session: from another site's page it would be login CSRF.
          if (request.headers.origin !== ownOrigin(request))
            throw new HttpError(403, 'forbidden', 'Sign in from the console itself (Origin).');
          const body = request.body as { secretKey: string } | { email: string; password: string };
          let held: Omit<ConsoleSession, 'lastSeenAt' | 'csrfSecret'> | null = null;
          if ('secretKey' in body) {
            const key = app.merchants.authenticate(body.secretKey);
            if (key?.type === 'secret')
              held = { merchantId: key.merchant.merchant.id, role: 'operator', email: null, keyId: key.id };
          } else {
            const found = app.merchants.user(body.email);
            const matches = await verifyPassword(body.password, found?.user.passwordHash ?? null);
            if (found && matches)
              held = {
                merchantId: found.merchant.merchant.id,
                role: found.user.role,
                email: found.user.email,
                keyId: `user:${found.user.email}`,
              };
          }
          if (!held) throw new HttpError(401, 'unauthorized', 'Wrong secret key, e-mail or password.');
          // A new session id at every sign-in (no fixation), then the session.
          await request.session.regenerate();
          request.session.console = { ...held, lastSeenAt: app.clock(), csrfSecret: tokens.secretSync() };
          // Over TLS (directly, or behind a proxy PROMESSE_TRUST_PROXY believes), the cookie travels only over TLS.
          request.session.cookie.secure = request.protocol === 'https';
          return answer(request);
        },
      );

      scope.get(
        '/console/api/session',
        {
          schema: {
            summary: 'The console session: its merchant, role and CSRF token',
            hide: true,
            response: { 200: SessionAnswer, '4xx': ApiError },
          },
        },
        async (request) => {
          await app.consoleCaller(request);
          return answer(request);
        },
      );

      scope.post(
        '/console/api/sign-out',
        {
          schema: {
            summary: 'Sign out of the console',
            hide: true,
            response: { 204: Type.Null(), '4xx': ApiError },
          },
        },
        async (request, reply) => {
          const held = request.session.console;
          if (held) {
            checkStateChange(request, held);
            await request.session.destroy();
          }
          reply.clearCookie(SESSION_COOKIE, { path: '/' });
          return reply.status(204).send();
        },
      );
    });

    // Expired sessions are swept now and then, whichever process does it first.
    const sweep = setInterval(() => {
      app.store.sweepSessions(Date.now()).catch((error: unknown) => app.log.warn({ err: error }, 'session sweep'));
    }, 3_600_000);
    sweep.unref();
    app.addHook('onClose', async () => clearInterval(sweep));
  },
  { name: 'console', dependencies: ['merchants', 'clock'] },
);
