/**
 * Starts Promesse: loads the merchant configs, opens the store, listens, and closes gracefully on SIGINT/SIGTERM
 * (in-flight requests finish, then the store closes).
 */
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { DEMO_CONFIG_PATH, loadMerchantConfigs } from './config/load-config.ts';
import { postgresStore } from './store/postgres/postgres-store.ts';
import { sqliteStore } from './store/sqlite/sqlite-store.ts';
import type { Store } from './store/store.ts';

export interface ServerSettings {
  port: number;
  host: string;
  configPath: string;
  dataDir: string;
  /** PostgreSQL instead of SQLite when set */
  databaseUrl: string | undefined;
  /** PROMESSE_TRUST_PROXY: which proxies' X-Forwarded-For to believe (see `parseTrustProxy`) */
  trustProxy: boolean | number | string[];
  /** PROMESSE_METRICS_TOKEN: the bearer token GET /metrics takes */
  metricsToken: string | undefined;
  /** PROMESSE_DEMO: serve the demo storefront; by default only with the bundled demo merchant */
  demo: boolean;
}

/** A true/false variable; unset takes the default. */
function parseFlag(name: string, text: string | undefined, fallback: boolean): boolean {
  if (text === undefined || text === '') return fallback;
  if (text !== 'true' && text !== 'false') throw new Error(`${name} must be true or false, got "${text}"`);
  return text === 'true';
}

/**
 * PROMESSE_TRUST_PROXY: unset or `false` trusts no proxy; `true` any; a number the count of proxy hops in front
 * of the API; else a comma-separated list of addresses and CIDR ranges (`10.0.0.0/8,192.168.1.4`).
 */
export function parseTrustProxy(text: string | undefined): boolean | number | string[] {
  const value = (text ?? '').trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry));
  if (bad !== undefined)
    throw new Error(`PROMESSE_TRUST_PROXY must be true, false, a hop count or addresses/CIDRs, got "${bad}"`);
  return entries;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    configPath: env.PROMESSE_CONFIG ?? DEMO_CONFIG_PATH,
    dataDir: resolve(env.PROMESSE_DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    trustProxy: parseTrustProxy(env.PROMESSE_TRUST_PROXY),
    metricsToken: env.PROMESSE_METRICS_TOKEN || undefined,
    demo: parseFlag('PROMESSE_DEMO', env.PROMESSE_DEMO, env.PROMESSE_CONFIG === undefined),
  };
}

/** Keys travel in the promise query string; logs keep only their first characters. */
function redactUrl(url: string): string {
  return url.replace(/([?&]key=)([^&]{0,8})[^&]*/g, '$1$2…');
}

function openStore(settings: ServerSettings): Store {
  return settings.databaseUrl
    ? postgresStore({ connectionString: settings.databaseUrl })
    : sqliteStore({ dataDir: settings.dataDir });
}

function closeOnSignals(app: FastifyInstance): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

/**
 * A worker without HTTP: the outbox relay on the shared store. On SQLite, `npm start` already runs the one relay
 * a data folder may have; on PostgreSQL any number of workers lease jobs side by side.
 */
export async function startWorker(settings: ServerSettings): Promise<FastifyInstance> {
  const merchants = loadMerchantConfigs(settings.configPath).map((loaded) => loaded.config);
  const app = await buildApp({
    merchants,
    store: openStore(settings),
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
  });
  await app.ready();
  app.startPipeline();
  app.log.info({ worker: app.relay.workerId }, 'outbox worker started');
  closeOnSignals(app);
  return app;
}

export async function startServer(settings: ServerSettings): Promise<FastifyInstance> {
  const merchants = loadMerchantConfigs(settings.configPath).map((loaded) => loaded.config);
  const store = openStore(settings);
  const app = await buildApp({
    merchants,
    store,
    trustProxy: settings.trustProxy,
    metricsToken: settings.metricsToken,
    demo: settings.demo,
    logger: {
      level: process.env.LOG_LEVEL ?? 'info',
      serializers: {
        req: (request: { method: string; url: string; ip?: string }) => ({
          method: request.method,
          url: redactUrl(request.url),
          ip: request.ip,
        }),
      },
    },
  });
  try {
    await app.listen({ port: settings.port, host: settings.host });
  } catch (error) {
    // Port taken, or no such address: stop here, before any background work touches the store.
    await app.close().catch(() => {});
    throw error;
  }
  app.startPipeline();
  closeOnSignals(app);
  return app;
}
