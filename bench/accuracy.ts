/**
 * Promise accuracy on real deliveries (CONTRACT §6 backtest): Olist's delivered orders (../shared/data/olist, read
 * in place, never copied) as one Brazilian merchant with a warehouse per seller state and one carrier service.
 * Learns from the first 70 % by dispatch date, promises the rest, and prints the learned model next to two
 * baselines computed in the same run: Olist's own promise (order_estimated_delivery_date) and a naive per-lane
 * 95th percentile (same lanes and back-off, no recency, no borrowing, no correction).
 */
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { validateMerchantConfig } from '../api/src/config/validate-config.ts';
import { type BacktestCase, backtest } from '../api/src/history/backtest.ts';
import { BusinessCalendar } from '../api/src/promise/calendar.ts';
import { type Day, dayFromIso } from '../api/src/promise/local-date.ts';
import { compileMerchant } from '../api/src/promise/merchant.ts';
import { type TransitObservation, transitDays } from '../api/src/promise/transit.ts';
import { zonedInstant } from '../api/src/promise/zone.ts';
import type { MerchantConfig } from '../shared/src/config.ts';

export const OLIST_FILE = join(import.meta.dirname, '../../shared/data/olist/olist_delivery_joined.csv.gz');
const ZONE = 'America/Sao_Paulo';
const SERVICE = 'standard';

/** The marketplace as one merchant: a warehouse per seller state, Correios-like Mon–Fri pickups and deliveries. */
export function olistMerchant(states: ReadonlyMap<string, string>): MerchantConfig {
  return {
    merchant: { id: 'olist', name: 'Olist (backtest)', currency: 'BRL' },
    keys: [{ key: 'sk_test_olist_backtest', type: 'secret' }],
    warehouses: [...states].map(([state, postalCode]) => ({
      id: state.toLowerCase(),
      name: state,
      country: 'BR',
      postalCode,
      timeZone: ZONE,
      holidays: { country: 'BR', region: null },
      workingDays: [1, 2, 3, 4, 5],
      cutoffs: { default: '14:00' },
    })),
    carriers: [
      {
        id: 'correios',
        name: 'Correios',
        pickupDays: [1, 2, 3, 4, 5],
        deliveryDays: [1, 2, 3, 4, 5],
        services: [
          {
            id: SERVICE,
            name: 'Standard',
            deliveryType: 'home',
            lanes: [{ from: ['BR'], to: ['BR'], transitDays: [3, 15], rates: [{ upToGrams: 30000, amount: 2000 }] }],
          },
        ],
      },
    ],
    products: [{ sku: 'ITEM', name: 'Item', weightGrams: 500, dimensionsCm: [20, 15, 10] }],
  };
}

/** "2017-03-02 10:05:00", local to Brazil → an instant. */
function localInstant(text: string): number | null {
  const day = dayFromIso(text.slice(0, 10));
  if (day === null || text.length < 16) return null;
  return zonedInstant(day, text.slice(11, 16), ZONE);
}

export interface OlistDelivery {
  observation: TransitObservation;
  /** Olist's promised date, local */
  estimated: Day;
  /** the seller's zip prefix: the warehouse's postal code */
  sellerZip: string;
}

export async function readOlist(file = OLIST_FILE): Promise<OlistDelivery[]> {
  const rows: OlistDelivery[] = [];
  const parser = createReadStream(file)
    .pipe(createGunzip())
    .pipe(parse({ columns: true }));
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    if (row.order_status !== 'delivered' || !row.seller_state || !row.customer_zip_code_prefix) continue;
    const dispatchedAt = localInstant(row.order_delivered_carrier_date ?? '');
    const deliveredAt = localInstant(row.order_delivered_customer_date ?? '');
    const estimated = dayFromIso((row.order_estimated_delivery_date ?? '').slice(0, 10));
    if (dispatchedAt === null || deliveredAt === null || estimated === null || deliveredAt < dispatchedAt) continue;
    rows.push({
      observation: {
        service: SERVICE,
        warehouse: row.seller_state.toLowerCase(),
        country: 'BR',
        postalCode: row.customer_zip_code_prefix,
        dispatchedAt,
        deliveredAt,
      },
      estimated,
      sellerZip: row.seller_zip_code_prefix ?? '',
    });
  }
  return rows;
}

export interface AccuracyFigures {
  onTimeRate: number;
  withinRangeRate: number | null;
  /** null for a promise of one date */
  meanRangeDays: number | null;
  /** latest, in delivery days after dispatch */
  meanLatestDays: number;
  /** latest, in calendar days after dispatch */
  meanLatestCalendarDays: number;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const round = (n: number) => Math.round(n * 1000) / 1000;

export async function olistAccuracy(file = OLIST_FILE) {
  const deliveries = await readOlist(file);
  const states = new Map<string, string>();
  for (const d of deliveries) {
    const state = d.observation.warehouse.toUpperCase();
    if (!states.has(state)) states.set(state, d.sellerZip);
  }
  const config = olistMerchant(states);
  const problems = validateMerchantConfig(config);
  if (problems.length > 0) throw new Error(`the Olist merchant is not valid: ${problems.join('; ')}`);
  const merchant = compileMerchant(config);
  const calendar = new BusinessCalendar();
  const carrier = merchant.carriers[0];
  if (!carrier) throw new Error('no carrier');

  const dispatchDays = deliveries.map((d) => Math.floor(d.observation.dispatchedAt / 86_400_000)).sort((a, b) => a - b);
  const split = dispatchDays[Math.floor(dispatchDays.length * 0.7)] as Day;
  const estimatedOf = new Map(deliveries.map((d) => [d.observation, d.estimated]));

  const figures = (cases: BacktestCase[], withinRange = true): AccuracyFigures => ({
    onTimeRate: round(mean(cases.map((c) => (c.transit <= c.promised[1] ? 1 : 0)))),
    withinRangeRate: withinRange
      ? round(mean(cases.map((c) => (c.transit >= c.promised[0] && c.transit <= c.promised[1] ? 1 : 0))))
      : null,
    meanRangeDays: round(
      mean(
        cases.map(
          (c) =>
            (calendar.addDeliveryDays(carrier, 'BR', c.dispatch, c.promised[1]) ?? 0) -
            (calendar.addDeliveryDays(carrier, 'BR', c.dispatch, c.promised[0]) ?? 0),
        ),
      ),
    ),
    meanLatestDays: round(mean(cases.map((c) => c.promised[1]))),
    meanLatestCalendarDays: round(
      mean(cases.map((c) => (calendar.addDeliveryDays(carrier, 'BR', c.dispatch, c.promised[1]) ?? 0) - c.dispatch)),
    ),
  });

  const learnedCases: BacktestCase[] = [];
  const learned = backtest(
    merchant,
    deliveries.map((d) => d.observation),
    split,
    { onCase: (c) => learnedCases.push(c) },
  );
  const naiveCases: BacktestCase[] = [];
  backtest(
    merchant,
    deliveries.map((d) => d.observation),
    split,
    { plain: true, onCase: (c) => naiveCases.push(c) },
  );
  // Olist's promise of the same parcels, in the same units: its date as delivery days after the dispatch.
  const olistCases = learnedCases.map((c) => {
    const estimated = estimatedOf.get(c.observation) as Day;
    const promised = estimated >= c.dispatch ? (transitDays(c.dispatch, estimated, carrier, 'BR', calendar) ?? 0) : -1;
    return { ...c, promised: [promised, promised] as const };
  });
  const olist = { ...figures(olistCases, false), meanRangeDays: null };
  // Olist's date is a calendar date: measure its lead from the dispatch as such, not through delivery days.
  olist.meanLatestCalendarDays = round(
    mean(learnedCases.map((c) => (estimatedOf.get(c.observation) as Day) - c.dispatch)),
  );
  olist.onTimeRate = round(
    mean(learnedCases.map((c) => (c.delivered <= (estimatedOf.get(c.observation) as Day) ? 1 : 0))),
  );
  return {
    deliveries: deliveries.length,
    train: learned.train,
    test: learned.test,
    history: round(mean(learnedCases.map((c) => (c.basis === 'history' ? 1 : 0)))),
    learned: figures(learnedCases),
    naive: figures(naiveCases),
    olist,
  };
}

if (process.argv[1]?.endsWith('accuracy.ts')) {
  if (!existsSync(OLIST_FILE)) {
    console.error(`accuracy: ${OLIST_FILE} is missing (it ships in ../shared/data/olist beside this repository)`);
    process.exit(1);
  }
  console.log(JSON.stringify(await olistAccuracy(), null, 2));
}
