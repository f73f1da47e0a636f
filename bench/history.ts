/**
 * Delivery history benchmarks, in process: the model against a synthetic truth, how fast
 * `POST /v1/transit-history/import` takes a year of past shipments (SQLite), and what learning costs the promise
 * core (µs per promise, history against configured transit, in the same run).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../api/src/app.ts';
import { seedLevels, stockViewOf } from '../api/src/promise/availability.ts';
import { computePromise, merchantCaches, type PromiseRequest } from '../api/src/promise/compute-promise.ts';
import { type Day, dayFromIso } from '../api/src/promise/local-date.ts';
import { compileMerchant } from '../api/src/promise/merchant.ts';
import { observedTransit } from '../api/src/promise/transit.ts';
import { sqliteStore } from '../api/src/store/sqlite/sqlite-store.ts';
import { baseConfig } from '../test/fixtures/merchant.ts';
import { learnFrom, scoreOnTruth, syntheticHistory, type TruthScore } from '../test/fixtures/transit-truth.ts';
import { benchMerchant } from './bench-merchant.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T09:00:00Z');
const SERVICES = ['colissimo-home', 'colissimo-relay', 'chrono-13', 'mr-point-relais', 'dhl-parcel'];

/** A year of deliveries from Paris to French postal codes, `count` rows as the import's CSV lines. */
function pastShipments(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const dispatched = NOW - (1 + (i % 365)) * DAY - 7 * 3_600_000;
    const delivered = dispatched + (1 + (i % 4)) * DAY + 3 * 3_600_000;
    const postalCode = String(10000 + ((i * 7919) % 85000)).padStart(5, '0');
    const service = SERVICES[i % SERVICES.length];
    return `${service},paris,FR,${postalCode},${new Date(dispatched).toISOString()},${new Date(delivered).toISOString()}`;
  });
}

export async function historyImport(rows = 30_000): Promise<{ rows: number; seconds: number; imported: number }> {
  const app = await buildApp({
    merchants: [benchMerchant()],
    store: sqliteStore({ dataDir: mkdtempSync(join(tmpdir(), 'promesse-bench-history-')) }),
  });
  try {
    await app.ready();
    const payload = ['service,warehouse,country,postalCode,dispatchedAt,deliveredAt', ...pastShipments(rows)].join(
      '\n',
    );
    const start = performance.now();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/transit-history/import',
      headers: { authorization: 'Bearer sk_test_demo', 'content-type': 'text/csv' },
      payload,
    });
    const seconds = (performance.now() - start) / 1000;
    const summary = JSON.parse(response.body.trim().split('\n').at(-1) ?? '{}') as { imported?: number };
    return { rows, seconds, imported: summary.imported ?? 0 };
  } finally {
    await app.close();
  }
}

/** µs per promise on the bench merchant, with configured transit and with a learned year of history. */
export function learnedCoreCost(iterations = 20_000): { configured: number; learned: number; basis: string } {
  const config = benchMerchant();
  const merchant = compileMerchant(config);
  const stock = stockViewOf(seedLevels(config.inventory ?? []));
  const request: PromiseRequest = { lines: [{ sku: 'MUG-01', quantity: 1 }], country: 'FR', postalCode: '75011' };
  const run = (caches: ReturnType<typeof merchantCaches>) => {
    const env = { now: NOW, merchant, stock, ...caches };
    for (let i = 0; i < iterations / 10; i++) computePromise(request, env);
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) computePromise(request, { ...env, now: NOW + (i % 600) * 1000 });
    return Number(process.hrtime.bigint() - start) / 1000 / iterations;
  };
  const configured = run(merchantCaches(merchant));
  const learning = merchantCaches(merchant);
  for (const line of pastShipments(30_000)) {
    const [service = '', warehouse = '', country = '', postalCode = '', dispatched = '', delivered = ''] =
      line.split(',');
    const observation = {
      service,
      warehouse,
      country,
      postalCode,
      dispatchedAt: Date.parse(dispatched),
      deliveredAt: Date.parse(delivered),
    };
    const seen = observedTransit(observation, merchant, learning.calendar);
    if (!('refused' in seen))
      learning.transit.add(observation, postalCode, observation.deliveredAt, seen.transit, seen.dispatch);
  }
  const learned = run(learning);
  const basis =
    computePromise(request, { now: NOW, merchant, stock, ...learning }).options.find((o) => o.id === 'colissimo-home')
      ?.estimate.basis ?? 'none';
  return { configured, learned, basis };
}

/**
 * The model against a known truth (test/fixtures/transit-truth.ts: a Friday effect, a peak season, French
 * holidays): learned from 12 months, promising the 6 after, next to the naive per-lane quantile.
 */
export function syntheticAccuracy(): { parcels: number; learned: TruthScore; naive: TruthScore } {
  const merchant = compileMerchant(baseConfig());
  const all = syntheticHistory(merchant, dayFromIso('2024-09-01') as Day, dayFromIso('2026-03-01') as Day, 7);
  const split = dayFromIso('2025-09-01') as Day;
  const trained = all.filter((d) => d.dispatch < split);
  const unseen = all.filter((d) => d.dispatch >= split);
  const settings = { onTimeTarget: 0.95, minSamples: 30, windowDays: 365 };
  return {
    parcels: unseen.length,
    learned: scoreOnTruth(learnFrom(trained), unseen, settings),
    naive: scoreOnTruth(learnFrom(trained, { plain: true }), unseen, settings),
  };
}
