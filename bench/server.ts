/**
 * The servers under load, in a child process so that the load generator does not share their event loop:
 * Promesse on one port, and a bare Fastify route answering the same JSON on another (the baseline).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../api/src/app.ts';
import { SqliteStore } from '../api/src/store/sqlite/sqlite-store.ts';
import { benchMerchant } from './bench-merchant.ts';

export const PROMISE_PATH = '/v1/promise?key=pk_test_demo&sku=MUG-01&quantity=1&country=FR&postalCode=75011';

const app = await buildApp({
  merchants: [benchMerchant()],
  store: new SqliteStore({ dataDir: mkdtempSync(join(tmpdir(), 'promesse-bench-')) }),
});
await app.listen({ port: 0, host: '127.0.0.1' });
const sample = (await app.inject(PROMISE_PATH)).json();

const bare = Fastify();
bare.get('/v1/promise', async () => sample);
await bare.listen({ port: 0, host: '127.0.0.1' });

const port = (server: { server: { address(): unknown } }) => (server.server.address() as { port: number }).port;
process.stdout.write(`${JSON.stringify({ promesse: port(app), bare: port(bare) })}\n`);
process.on('SIGTERM', async () => {
  await Promise.all([app.close(), bare.close()]);
  process.exit(0);
});
