/**
 * The backtest of CONTRACT §6: learn from the observations dispatched before the split, promise each later one as
 * if ordered at 08:00 on its dispatch date in the warehouse's zone, and count how the promises would have held.
 * Pure: the observations come in, the figures go out. Days are counted as transitDays are (delivery days).
 */
import { BusinessCalendar } from '../promise/calendar.ts';
import { learnedOrConfigured, TransitModel, type TransitModelOptions } from '../promise/learned-transit.ts';
import type { Day } from '../promise/local-date.ts';
import { type Merchant, normalizePostalCode } from '../promise/merchant.ts';
import { LaneIndex } from '../promise/rating.ts';
import { observedTransit, type TransitObservation } from '../promise/transit.ts';
import { zonedInstant } from '../promise/zone.ts';
import type { HistoryLine, HistoryProblem } from './read-history.ts';

export interface BacktestResult {
  train: number;
  test: number;
  onTimeRate: number;
  withinRangeRate: number;
  meanRangeDays: number;
  meanLatestDays: number;
}

/** One promised test delivery, for benchmarks that compare it with another promise of the same parcel. */
export interface BacktestCase {
  observation: TransitObservation;
  dispatch: Day;
  delivered: Day;
  transit: number;
  promised: readonly [number, number];
  basis: 'history' | 'configured';
}

export interface BacktestOptions extends TransitModelOptions {
  /** called with every promised test delivery */
  onCase?: (promised: BacktestCase) => void;
}

const PROMISE_TIME = '08:00';

export function backtest(
  merchant: Merchant,
  observations: Iterable<TransitObservation>,
  split: Day,
  options: BacktestOptions = {},
): BacktestResult {
  const calendar = new BusinessCalendar();
  const lanes = new LaneIndex(merchant);
  const model = new TransitModel(options);
  const later: { observation: TransitObservation; transit: number; dispatch: Day; delivered: Day }[] = [];
  let train = 0;
  for (const observation of observations) {
    const seen = observedTransit(observation, merchant, calendar);
    if ('refused' in seen) continue;
    if (seen.dispatch < split) {
      model.add(observation, observation.postalCode, observation.deliveredAt, seen.transit, seen.dispatch);
      train++;
    } else {
      later.push({ observation, ...seen });
    }
  }

  let onTime = 0;
  let withinRange = 0;
  let rangeDays = 0;
  let latestDays = 0;
  let test = 0;
  for (const { observation, transit, dispatch, delivered } of later) {
    const warehouse = merchant.warehouseById.get(observation.warehouse);
    const serviceIndex = merchant.services.findIndex((s) => s.id === observation.service);
    const service = merchant.services[serviceIndex];
    if (!warehouse || !service) continue;
    const now = zonedInstant(dispatch, PROMISE_TIME, warehouse.timeZone);
    const lane = lanes.lanes(warehouse.country, observation.country, normalizePostalCode(observation.postalCode))[
      serviceIndex
    ];
    const estimate = learnedOrConfigured(
      model,
      merchant.estimates,
      { service: service.id, warehouse: warehouse.id, country: observation.country },
      observation.postalCode,
      now,
      dispatch,
      lane?.transitDays ?? null,
    );
    if (!estimate) continue; // neither history nor a configured lane: nothing would have been promised
    const [early, late] = estimate.transitDays;
    const earliest = calendar.addDeliveryDays(service.carrier, observation.country, dispatch, early);
    const latest = calendar.addDeliveryDays(service.carrier, observation.country, dispatch, late);
    if (earliest === null || latest === null) continue;
    test++;
    if (transit <= late) onTime++;
    if (transit >= early && transit <= late) withinRange++;
    rangeDays += latest - earliest;
    latestDays += late;
    options.onCase?.({ observation, dispatch, delivered, transit, promised: [early, late], basis: estimate.basis });
  }
  const ratio = (n: number) => (test === 0 ? 0 : round(n / test));
  return {
    train,
    test,
    onTimeRate: ratio(onTime),
    withinRangeRate: ratio(withinRange),
    meanRangeDays: ratio(rangeDays),
    meanLatestDays: ratio(latestDays),
  };
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** A history file's problems, and the backtest of what it held (the `promesse backtest` command). */
export async function backtestFile(
  merchant: Merchant,
  history: AsyncIterable<HistoryLine>,
  split: Day,
): Promise<{ result: BacktestResult; problems: HistoryProblem[]; refused: number }> {
  const observations: TransitObservation[] = [];
  const problems: HistoryProblem[] = [];
  let refused = 0;
  for await (const line of history) {
    if ('problems' in line) {
      refused++;
      if (problems.length < MAX_LISTED_PROBLEMS) problems.push(...line.problems);
    } else {
      observations.push(line.observation);
    }
  }
  return { result: backtest(merchant, observations, split), problems, refused };
}

/** Problems listed by the backtest command before it only counts them. */
const MAX_LISTED_PROBLEMS = 100;
