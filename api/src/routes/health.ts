/**
 * GET /health (liveness): 200 `{"status":"ok"}` while the process serves HTTP; it looks at nothing else, so a
 * store outage does not get healthy processes restarted. GET /ready (readiness): 200 once the config is loaded,
 * the store answers and its migrations are done, else 503 with the check that failed, so a load balancer sends
 * traffic elsewhere.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

const Check = Type.Union([Type.Literal('ok'), Type.Literal('failed')]);
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Object({
    config: Check,
    store: Check,
    migrations: Check,
  }),
});

/** How long the store may take to answer before the process is called not ready. */
const STORE_TIMEOUT_MS = 2000;

export async function healthRoutes(instance: FastifyInstance): Promise<void> {
  // Typed from the route schemas: params, query and body as validated, replies as their schema says.
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness: the process serves HTTP',
        tags: ['ops'],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: config loaded, store reachable, migrations done',
        tags: ['ops'],
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const config = app.merchants.all.length > 0 ? 'ok' : 'failed';
      let store: 'ok' | 'failed' = 'ok';
      let migrations: 'ok' | 'failed' = 'ok';
      try {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('the store did not answer')), STORE_TIMEOUT_MS);
        });
        const pending = await Promise.race([app.store.pendingMigrations(), timeout]).finally(() => clearTimeout(timer));
        if (pending > 0) migrations = 'failed';
      } catch (error) {
        app.log.warn({ err: error }, 'readiness: the store did not answer');
        store = 'failed';
        migrations = 'failed';
      }
      const ready = config === 'ok' && store === 'ok' && migrations === 'ok';
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks: { config, store, migrations } });
    },
  );
}
