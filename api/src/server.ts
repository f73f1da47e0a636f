/**
 * Starts Promesse: loads the merchant configs, opens the store, listens, and closes gracefully on SIGINT/SIGTERM
 * (in-flight requests finish, then the store closes).
 */
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { DEMO_CONFIG_PATH, loadMerchantConfigs } from './config/load-config.ts';
import { PostgresStore } from './store/postgres/postgres-store.ts';
import { SqliteStore } from './store/sqlite/sqlite-store.ts';
import type { Store } from './store/store.ts';

export interface ServerSettings {
  port: number;
  host: string;
  configPath: string;
  dataDir: string;
  /** PostgreSQL instead of SQLite when set */
  databaseUrl: string | undefined;
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
  };
}

/** Keys travel in the promise query string; logs keep only their first characters. */
function redactUrl(url: string): string {
  return url.replace(/([?&]key=)([^&]{0,8})[^&]*/g, '$1$2…');
}

function openStore(settings: ServerSettings): Store {
  return settings.databaseUrl
    ? new PostgresStore({ connectionString: settings.databaseUrl })
    : new SqliteStore({ dataDir: settings.dataDir });
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
    startRelay: true,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
  });
  await app.ready();
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
    startRelay: true,
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
  await app.listen({ port: settings.port, host: settings.host });
  closeOnSignals(app);
  return app;
}
