/**
 * npm run bench: the promise core's cost per promise, and GET /v1/promise under load against a bare Fastify
 * route that answers the same JSON, measured in the same run. Prints ratios against those baselines.
 *   BENCH_SECONDS=10 (per HTTP run), BENCH_CONNECTIONS=50
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { seedLevels, stockViewOf } from '../api/src/promise/availability.ts';
import { computePromise, merchantCaches, type PromiseRequest } from '../api/src/promise/compute-promise.ts';
import { compileMerchant } from '../api/src/promise/merchant.ts';
import { type AccuracyFigures, olistAccuracy } from './accuracy.ts';
import { benchMerchant, CART_SKUS, HOT_SKU, HOT_STOCK } from './bench-merchant.ts';
import { historyImport, learnedCoreCost, syntheticAccuracy } from './history.ts';
import { trackingIngestion, webhookLatency } from './pipeline.ts';
import { elementSize, type StartFigures, startFigures } from './startup.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

function coreMicroseconds(request: PromiseRequest, iterations: number): number {
  const config = benchMerchant();
  const merchant = compileMerchant(config);
  const stock = stockViewOf(seedLevels(config.inventory ?? []));
  const env = { now: Date.parse('2026-11-23T09:00:00Z'), merchant, stock, ...merchantCaches(merchant) };
  for (let i = 0; i < iterations / 10; i++) computePromise(request, env); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) computePromise(request, { ...env, now: env.now + (i % 600) * 1000 });
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

/**
 * Loads one URL; with `postalCodes`, the destination postal code goes round that many values, as a storefront's
 * shoppers do (Infinity: a new one on every request, no two answers alike).
 */
async function load(url: string, postalCodes = 1): Promise<{ rps: number; p99: number; p50: number; errors: number }> {
  let next = 0;
  const { origin, pathname, search } = new URL(url);
  const requests = [
    {
      method: 'GET' as const,
      path: pathname + search,
      setupRequest: (request: autocannon.Request) => {
        if (postalCodes === 1) return request;
        const n = next++;
        const code = postalCodes === Number.POSITIVE_INFINITY ? 10000 + (n % 89_000) : 10000 + (n % postalCodes) * 178;
        return { ...request, path: (request.path ?? '').replace(/postalCode=\d+/, `postalCode=${code}`) };
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

async function startServers(
  store = 'sqlite',
): Promise<{ ports: { promesse: number; bare: number }; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts', '--store', store], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { ports: JSON.parse(line), stop };
}

const SECRET = { authorization: 'Bearer sk_test_demo', 'content-type': 'application/json' };

/** Bookings per second on one store: spread over 40 skus, then all on one hot sku that sells out. */
async function bookingLoad(store: string): Promise<void> {
  const { ports, stop } = await startServers(store);
  const origin = `http://127.0.0.1:${ports.promesse}`;
  try {
    for (const [name, pick] of [
      ['40 skus spread', (n: number) => CART_SKUS[n % 40] as string],
      [`one hot sku (${HOT_STOCK} in stock)`, () => HOT_SKU],
    ] as const) {
      let n = 0;
      const requests = [
        {
          method: 'POST' as const,
          path: '/v1/orders',
          headers: SECRET,
          setupRequest: (request: autocannon.Request) => {
            const sku = pick(n++);
            const body = {
              reference: `B-${randomUUID()}`,
              optionId: 'colissimo-home',
              items: [{ sku, quantity: 1, unitPrice: 100 }],
              shippingAddress: { name: 'Bench', line1: '1 rue', postalCode: '75011', city: 'Paris', country: 'FR' },
              totals: { items: 100, shipping: 0, tax: 0, total: 100, currency: 'EUR' },
            };
            return { ...request, headers: { ...SECRET, 'idempotency-key': randomUUID() }, body: JSON.stringify(body) };
          },
        },
      ];
      const result = await autocannon({ url: origin, connections: 32, duration: SECONDS, requests });
      const created = result['2xx'];
      const inventory = await (await fetch(`${origin}/v1/inventory/${HOT_SKU}`, { headers: SECRET })).json();
      const hot = inventory.warehouses.find((w: { warehouse: string }) => w.warehouse === 'paris');
      const oversold = Math.max(0, hot.reserved - hot.onHand);
      const extra = name.startsWith('one hot')
        ? `, reserved ${hot.reserved} of ${hot.onHand}, oversold ${oversold}`
        : '';
      console.log(
        `${store.padEnd(10)} ${name.padEnd(28)} ${fmt(created / SECONDS, 0).padStart(6)} bookings/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  201 ${created}  409 ${result.non2xx}  errors ${result.errors}${extra}`,
      );
    }
  } finally {
    await stop();
  }
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

console.log('# Promise accuracy on real deliveries (Olist, 70/30 split by dispatch date, onTimeTarget 0.95)');
const accuracy = await olistAccuracy();
console.log(
  `${accuracy.deliveries} delivered orders: ${accuracy.train} learned from, ${accuracy.test} promised; ${fmt(accuracy.history * 100)} % of promises from history`,
);
const accuracyLine = (name: string, f: AccuracyFigures) =>
  `${name.padEnd(34)} on time ${fmt(f.onTimeRate * 100)} %  within range ${f.withinRangeRate === null ? '   – ' : `${fmt(f.withinRangeRate * 100)} %`}  range ${f.meanRangeDays === null ? '  – ' : `${fmt(f.meanRangeDays)} d`}  latest ${fmt(f.meanLatestDays)} delivery days = ${fmt(f.meanLatestCalendarDays)} calendar days after dispatch`;
console.log(accuracyLine('Promesse learned', accuracy.learned));
console.log(accuracyLine('naive per-lane p95 (baseline)', accuracy.naive));
console.log(accuracyLine("Olist's own promise (baseline)", accuracy.olist));
console.log(
  `latest vs Olist: ${fmt(accuracy.learned.meanLatestCalendarDays - accuracy.olist.meanLatestCalendarDays)} calendar days; vs naive p95: ${fmt(accuracy.learned.meanLatestCalendarDays - accuracy.naive.meanLatestCalendarDays)}; range vs naive: ${fmt((accuracy.learned.meanRangeDays ?? 0) / (accuracy.naive.meanRangeDays ?? 1), 2)}×`,
);
console.log('goals: on time ≥ 94 %, range ≤ the naive p95; moonshot: on time ≥ Olist while promising earlier');
const synthetic = syntheticAccuracy();
const truthLine = (name: string, s: typeof synthetic.learned) =>
  `${name.padEnd(34)} on time ${fmt(100 * s.onTime)} %  on the truth ${fmt(100 * s.truth)} %  range ${fmt(s.range, 2)} d  latest off the truth's by ${fmt(s.latestError, 2)} d (${fmt(s.lateBy, 2)} too early)`;
console.log(
  `synthetic lanes with a known truth (Friday effect, peak season, holidays): ${synthetic.parcels} unseen parcels`,
);
console.log(truthLine('Promesse learned', synthetic.learned));
console.log(truthLine('naive per-lane p95 (baseline)', synthetic.naive));
console.log('goal: ≥ 95 % on time on unseen deliveries');
const imported = await historyImport();
console.log(
  `POST /v1/transit-history/import: ${imported.rows} rows in ${fmt(imported.seconds, 2)} s (${fmt(imported.rows / imported.seconds, 0)} rows/s, ${imported.imported} kept, SQLite)`,
);
const learnedCost = learnedCoreCost();
console.log(
  `core with a learned year (30,000 deliveries, basis ${learnedCost.basis}): ${fmt(learnedCost.learned)} µs per promise vs ${fmt(learnedCost.configured)} µs configured (${fmt(learnedCost.learned / learnedCost.configured, 2)}×)\n`,
);

console.log('# Start and memory (demo merchant, SQLite; RSS after 2,000 promises over 500 postal codes)');
const started = await startFigures();
const startLine = (name: string, f: StartFigures) =>
  `${name.padEnd(34)} ready in ${fmt(f.readyMs, 0).padStart(5)} ms  RSS ${fmt(f.rssMiB, 0)} MiB`;
console.log(startLine('tsx api/src/cli.ts (before)', started.tsx));
if (started.compiled) console.log(startLine('node dist/api/src/cli.js (npm start)', started.compiled));
else console.log('node dist/…: not built (npm run build first)');
const element = elementSize();
console.log(
  `element: ${fmt(element.moduleGzip / 1024, 1)} KB gzip + ${fmt(element.largestLanguageGzip / 1024, 1)} KB for its largest language = ${fmt((element.moduleGzip + element.largestLanguageGzip) / 1024, 1)} KB (goal ≤ 10 KB)`,
);
console.log('');

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
  const storefront = await load(`http://127.0.0.1:${ports.promesse}${path}`, 500);
  const cold = await load(`http://127.0.0.1:${ports.promesse}${path}`, Number.POSITIVE_INFINITY);
  const line = (name: string, r: typeof bare) =>
    `${name.padEnd(44)} ${fmt(r.rps, 0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}  ratio ${fmt(r.rps / bare.rps, 2)}`;
  console.log(line('bare Fastify route, same JSON (baseline)', bare));
  console.log(line('Promesse, 500 postal codes (a storefront)', storefront));
  console.log(line('Promesse, one product page (answer reused)', hot));
  console.log(line('Promesse, a new postal code every request', cold));
  console.log(
    `headline: ${fmt(storefront.rps / bare.rps, 2)}× the bare route over 500 postal codes, p99 ${storefront.p99} ms (goals: ≥ 0.6×, p99 ≤ 10 ms at 50 connections)`,
  );
} finally {
  await stop();
}

console.log(
  `\n# POST /v1/orders under load (32 connections, ${SECONDS} s each; goals: ≥ 2,000/s SQLite, ≥ 1,000/s PostgreSQL, 0 oversold)`,
);
await bookingLoad('sqlite');
if (process.env.BENCH_POSTGRES !== 'false') await bookingLoad('postgres');

console.log('\n# Pipeline (in process, SQLite)');
const latency = await webhookLatency();
console.log(
  `booking commit → first webhook attempt: p50 ${fmt(latency.p50, 0)} ms, p95 ${fmt(latency.p95, 0)} ms over ${latency.delivered} bookings (goal p95 ≤ 1,000 ms)`,
);
const ingestion = await trackingIngestion();
console.log(
  `tracking events ingested: ${fmt(ingestion.perSecond, 0)} events/s in batches of 1,000 (${ingestion.applied} applied; goal ≥ 5,000/s)`,
);
