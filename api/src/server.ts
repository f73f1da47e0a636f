/**
 * Starts Promesse: loads the merchant configs, opens the store, listens, and closes gracefully on SIGINT/SIGTERM
 * (in-flight requests finish, then the store closes).
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { loadMerchantConfigs } from './config/load-config.ts';
import type { Settings } from './settings.ts';
import { postgresStore } from './store/postgres/postgres-store.ts';
import { sqliteStore } from './store/sqlite/sqlite-store.ts';
import type { Store } from './store/store.ts';

/** Keys travel in the promise query string; logs keep only their first characters. */
function redactUrl(url: string): string {
  return url.replace(/([?&]key=)([^&]{0,8})[^&]*/g, '$1$2…');
}

/** The store the settings name: PostgreSQL with DATABASE_URL, else SQLite in the data folder. */
export function openStore(settings: Settings): Store {
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
export async function startWorker(settings: Settings): Promise<FastifyInstance> {
  const merchants = loadMerchantConfigs(settings.configPath, settings.configSecrets).map((loaded) => loaded.config);
  const app = await buildApp({
    merchants,
    store: openStore(settings),
    secret: settings.secret,
    pipeline: settings.pipeline,
    logger: { level: settings.logLevel },
  });
  await app.ready();
  app.startPipeline();
  app.log.info({ worker: app.relay.workerId }, 'outbox worker started');
  closeOnSignals(app);
  return app;
}

export async function startServer(settings: Settings): Promise<FastifyInstance> {
  const merchants = loadMerchantConfigs(settings.configPath, settings.configSecrets).map((loaded) => loaded.config);
  const store = openStore(settings);
  const app = await buildApp({
    merchants,
    store,
    secret: settings.secret,
    pipeline: settings.pipeline,
    trustProxy: settings.trustProxy,
    metricsToken: settings.metricsToken,
    demo: settings.demo,
    logger: {
      level: settings.logLevel,
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
  const base = `http://${settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host}:${settings.port}`;
  app.log.info(
    { console: `${base}/console/`, ...(settings.demo ? { demo: `${base}/demo/` } : {}) },
    settings.demo ? 'console and demo ready (sign in to the console with sk_test_demo)' : 'console ready',
  );
  return app;
}
