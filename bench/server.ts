/**
 * The servers under load, in a child process so that the load generator does not share their event loop:
 * Promesse on one port, and a bare Fastify route answering the same JSON on another (the baseline).
 * `--store postgres` uses PostgreSQL (DATABASE_URL or the local test database, in a schema of its own).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../api/src/app.ts';
import { postgresStore } from '../api/src/store/postgres/postgres-store.ts';
import { sqliteStore } from '../api/src/store/sqlite/sqlite-store.ts';
import { benchMerchant } from './bench-merchant.ts';

export const PROMISE_PATH = '/v1/promise?key=pk_test_demo&sku=MUG-01&quantity=1&country=FR&postalCode=75011';

const usePostgres =
  process.argv.includes('--store') && process.argv[process.argv.indexOf('--store') + 1] === 'postgres';
const postgres = usePostgres
  ? postgresStore({
      connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      schema: `promesse_bench_${randomBytes(4).toString('hex')}`,
      poolSize: 16,
    })
  : null;
const store = postgres ?? sqliteStore({ dataDir: mkdtempSync(join(tmpdir(), 'promesse-bench-')) });

const app = await buildApp({ merchants: [benchMerchant()], store });
await app.listen({ port: 0, host: '127.0.0.1' });
const sample = (await app.inject(PROMISE_PATH)).json();

const bare = Fastify();
bare.get('/v1/promise', async () => sample);
await bare.listen({ port: 0, host: '127.0.0.1' });

const port = (server: { server: { address(): unknown } }) => (server.server.address() as { port: number }).port;
process.stdout.write(`${JSON.stringify({ promesse: port(app), bare: port(bare) })}\n`);
process.on('SIGTERM', async () => {
  await bare.close();
  await postgres?.dropSchema().catch(() => {});
  await app.close();
  process.exit(0);
});
