/**
 * npm run bench: the promise core's cost per promise, and GET /v1/promise under load against a bare Fastify
 * route that answers the same JSON, measured in the same run. Prints ratios against those baselines.
 *   BENCH_SECONDS=10 (per HTTP run), BENCH_CONNECTIONS=50
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { stockViewOf } from '../api/src/promise/availability.ts';
import { computePromise, merchantCaches, type PromiseRequest } from '../api/src/promise/compute-promise.ts';
import { compileMerchant } from '../api/src/promise/merchant.ts';
import { benchMerchant, CART_SKUS } from './bench-merchant.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

function coreMicroseconds(request: PromiseRequest, iterations: number): number {
  const config = benchMerchant();
  const merchant = compileMerchant(config);
  const stock = stockViewOf(
    (config.inventory ?? []).map((l) => ({
      ...l,
      reserved: 0,
      safetyStock: l.safetyStock ?? 0,
      incoming: l.incoming ?? [],
    })),
  );
  const env = { now: Date.parse('2026-11-23T09:00:00Z'), merchant, stock, ...merchantCaches(merchant) };
  for (let i = 0; i < iterations / 10; i++) computePromise(request, env); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) computePromise(request, { ...env, now: env.now + (i % 600) * 1000 });
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

/** Loads one URL, or with `vary`, a new destination postal code on every request (no two answers alike). */
async function load(url: string, vary = false): Promise<{ rps: number; p99: number; p50: number; errors: number }> {
  let next = 0;
  const { origin, pathname, search } = new URL(url);
  const requests = [
    {
      method: 'GET' as const,
      path: pathname + search,
      setupRequest: (request: autocannon.Request) => {
        const postalCode = `postalCode=${10000 + (next++ % 89_000)}`;
        return vary ? { ...request, path: (request.path ?? '').replace(/postalCode=\d+/, postalCode) } : request;
      },
    },
  ];
  await autocannon({ url: origin, connections: CONNECTIONS, duration: 2, requests }); // warm-up
  const result = await autocannon({ url: origin, connections: CONNECTIONS, duration: SECONDS, requests });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function startServers(): Promise<{ ports: { promesse: number; bare: number }; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { ports: JSON.parse(line), stop: () => child.kill('SIGTERM') };
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

console.log('# Promise core (in process)');
const simple = coreMicroseconds(
  { lines: [{ sku: 'MUG-01', quantity: 1 }], country: 'FR', postalCode: '75011' },
  50_000,
);
const cart = coreMicroseconds(
  { lines: CART_SKUS.map((sku) => ({ sku, quantity: 2 })), country: 'FR', postalCode: '75011' },
  5_000,
);
console.log(
  `1 line × 3 warehouses × 8 services: ${fmt(simple)} µs per promise (goal ≤ 50 µs: ${fmt(simple / 50, 2)}× of goal)`,
);
console.log(`50-line cart, split over 2 warehouses: ${fmt(cart)} µs per promise`);

console.log(`\n# GET /v1/promise under load (${CONNECTIONS} connections, ${SECONDS} s, server in a child process)`);
const { ports, stop } = await startServers();
try {
  const path = '/v1/promise?key=pk_test_demo&sku=MUG-01&quantity=1&country=FR&postalCode=75011';
  const bare = await load(`http://127.0.0.1:${ports.bare}${path}`);
  const hot = await load(`http://127.0.0.1:${ports.promesse}${path}`);
  const cold = await load(`http://127.0.0.1:${ports.promesse}${path}`, true);
  const line = (name: string, r: typeof bare) =>
    `${name.padEnd(44)} ${fmt(r.rps, 0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}  ratio ${fmt(r.rps / bare.rps, 2)}`;
  console.log(line('bare Fastify route, same JSON (baseline)', bare));
  console.log(line('Promesse, one product page (answer reused)', hot));
  console.log(line('Promesse, a new postal code every request', cold));
  console.log('goals: ratio ≥ 0.5 and p99 ≤ 10 ms at 50 connections');
} finally {
  stop();
}
