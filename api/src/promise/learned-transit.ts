/**
 * Transit learned from deliveries (CONTRACT §6 "The rule"). Deliveries are kept per lane (service × warehouse ×
 * country) and per postal-code prefix; a promise looks for the longest prefix of its postal code with at least
 * `minSamples` deliveries in the `windowDays` before its instant (only deliveries known then), else the country,
 * else nothing (the configured transit applies).
 *
 * Past a plain quantile, four things keep ranges tight while the target holds on unseen deliveries:
 * - season: a delivery weighs by how close its dispatch is to the promise's time of year (the weeks just past,
 *   and the same weeks last year), so a peak season or a slow spring does not spill into the months after it;
 * - recency: a delivery weighs half as much every `halfLifeDays`, so this year's weeks outweigh last year's;
 * - weekday: a delivery dispatched on the promise's weekday counts more (a Friday parcel waits out a weekend);
 * - borrowing strength: a prefix with few deliveries leans on its parent (the next shorter prefix, or the
 *   country) in proportion n / (n + minSamples), so one odd week in a small area does not swing its promise;
 * - a finite-sample correction: the quantile is taken at target × (1 + 1/n_eff), n_eff being the effective
 *   number of deliveries under their weights, which keeps small lanes from promising a hair too early.
 * Transit is counted in delivery days (`transit.ts`), so weekends and holidays are already out of the numbers.
 */
import { LRUCache } from 'lru-cache';
import { type Delivery, LaneHistory } from './delivery-log.ts';
import { type Day, dayFromIso, isoWeekday, MS_PER_DAY, yearOfDay } from './local-date.ts';
import { type EstimateSettings, normalizePostalCode } from './merchant.ts';

/** How fast older deliveries fade: last year's counts half as much as this week's. */
export const DEFAULT_HALF_LIFE_DAYS = 365;
/** How wide a season is: deliveries dispatched within about this many days of the year of the promise count. */
export const DEFAULT_SEASON_DAYS = 30;
/** How much a delivery dispatched on another weekday counts against one dispatched on the promise's weekday. */
export const DEFAULT_OTHER_WEEKDAY = 0.3;

/** What a lane learned for one promise: transit days for earliest and latest, and how many deliveries said so. */
export interface LearnedTransit {
  transitDays: readonly [number, number];
  samples: number;
}

export interface TransitModelOptions {
  /** deliveries older than this before the newest one are forgotten: the longest `windowDays` in use (730) */
  keepDays?: number;
  halfLifeDays?: number;
  seasonDays?: number;
  otherWeekday?: number;
  /** the plain model (no recency, no borrowing, no correction): the naive quantile baselines compare against */
  plain?: boolean;
  /** milliseconds of a monotonic clock, for `generation` (performance.now) */
  clock?: () => number;
}

/** A learned answer, and the instants and lane version for which it holds. */
interface KeptAnswer {
  answer: LearnedTransit | null;
  version: number;
  from: number;
  until: number;
  settings: Pick<EstimateSettings, 'onTimeTarget' | 'minSamples' | 'windowDays'>;
}

/** How long the promise answers may keep an estimate made before the latest deliveries were learned. */
const GENERATION_MS = 60_000;

export class TransitModel {
  readonly #lanes = new Map<string, LaneHistory>();
  readonly #answers = new LRUCache<string, KeptAnswer>({ max: 50_000 });
  readonly #keepMs: number;
  readonly #halfLifeMs: number;
  readonly #seasonDays: number;
  readonly #otherWeekday: number;
  readonly #plain: boolean;
  readonly #clock: () => number;
  #size = 0;
  #generation = 0;
  #generationAt = -Infinity;
  #learnedSince = false;

  constructor(options: TransitModelOptions = {}) {
    this.#keepMs = (options.keepDays ?? 730) * MS_PER_DAY;
    this.#clock = options.clock ?? (() => performance.now());
    this.#halfLifeMs = (options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS) * MS_PER_DAY;
    this.#seasonDays = options.seasonDays ?? DEFAULT_SEASON_DAYS;
    this.#otherWeekday = options.otherWeekday ?? DEFAULT_OTHER_WEEKDAY;
    this.#plain = options.plain ?? false;
  }

  /** How many deliveries the model has learned. */
  get size(): number {
    return this.#size;
  }

  /**
   * A number that changes when what the model learned may change a promise, at most once a minute: promise
   * answers cached under one generation are used until the next. The first delivery after a quiet minute shows
   * at once; under a stream of deliveries, answers stay cacheable and are at most a minute behind the model.
   */
  get generation(): number {
    if (this.#learnedSince && this.#clock() - this.#generationAt >= GENERATION_MS) {
      this.#generation++;
      this.#generationAt = this.#clock();
      this.#learnedSince = false;
    }
    return this.#generation;
  }

  /** Learns one delivery of a lane; `transit` in delivery days (`observedTransit`). */
  add(
    lane: { service: string; warehouse: string; country: string },
    postalCode: string,
    deliveredAt: number,
    transit: number,
    dispatch: Day,
  ): void {
    const key = laneKey(lane.service, lane.warehouse, lane.country);
    let history = this.#lanes.get(key);
    if (!history) {
      history = new LaneHistory(this.#keepMs);
      this.#lanes.set(key, history);
    }
    history.add(normalizePostalCode(postalCode), {
      deliveredAt,
      season: dayOfYear(dispatch),
      weekday: isoWeekday(dispatch),
      transit,
    });
    this.#size++;
    this.#learnedSince = true;
  }

  /**
   * The learned transit for a shipment promised at `now`, or null when even the country has fewer than
   * `minSamples` deliveries in the window (the configured transit applies then).
   * `dispatch` is the shipment's dispatch date (steps 1–3), whose season and weekday weigh the deliveries.
   * @example model.estimate({ service: 'home', warehouse: 'paris', country: 'FR' }, '75011', now, settings, day)
   * // { transitDays: [1, 3], samples: 412 }
   */
  estimate(
    lane: { service: string; warehouse: string; country: string },
    postalCode: string | null,
    now: number,
    settings: Pick<EstimateSettings, 'onTimeTarget' | 'minSamples' | 'windowDays'>,
    dispatch: Day = Math.floor(now / MS_PER_DAY),
  ): LearnedTransit | null {
    const key = laneKey(lane.service, lane.warehouse, lane.country);
    const history = this.#lanes.get(key);
    if (!history) return null;
    const code = normalizePostalCode(postalCode ?? '');
    // An answer depends on which deliveries the window holds and on the dispatch day (season and weekday), not
    // on the instant within it (the recency weights are relative): it is kept while the window stays the same.
    const cacheKey = `${key}|${code}|${dispatch}`;
    const kept = this.#answers.get(cacheKey);
    if (
      kept &&
      kept.version === history.version &&
      kept.from <= now &&
      now < kept.until &&
      kept.settings.onTimeTarget === settings.onTimeTarget &&
      kept.settings.minSamples === settings.minSamples &&
      kept.settings.windowDays === settings.windowDays
    ) {
      return kept.answer;
    }
    const answer = this.#learn(history, code, now, dispatch, settings);
    const [from, until] = history.all.steadyAround(now, settings.windowDays * MS_PER_DAY);
    this.#answers.set(cacheKey, { answer, version: history.version, from, until, settings });
    return answer;
  }

  #learn(
    history: LaneHistory,
    code: string,
    now: number,
    dispatch: Day,
    settings: Pick<EstimateSettings, 'onTimeTarget' | 'minSamples' | 'windowDays'>,
  ): LearnedTransit | null {
    const from = now - settings.windowDays * MS_PER_DAY;
    for (let length = code.length; length >= 0; length--) {
      const own = history.byPrefix.get(code.slice(0, length))?.window(from, now) ?? [];
      if (own.length < settings.minSamples) continue;
      if (this.#plain) return { transitDays: plainRange(own, settings.onTimeTarget), samples: own.length };
      // The parent is the nearest shorter prefix that knows more than this one does.
      let parent: readonly Delivery[] = [];
      for (let shorter = length - 1; shorter >= 0 && parent.length <= own.length; shorter--) {
        parent = history.byPrefix.get(code.slice(0, shorter))?.window(from, now) ?? [];
      }
      return {
        transitDays: this.#weightedRange(own, parent, now, dispatch, settings),
        samples: own.length,
      };
    }
    return null;
  }

  #weightedRange(
    own: readonly Delivery[],
    parent: readonly Delivery[],
    now: number,
    dispatch: Day,
    settings: Pick<EstimateSettings, 'onTimeTarget' | 'minSamples'>,
  ): [number, number] {
    // The parent's share shrinks as the prefix gathers deliveries of its own.
    const ownShare = parent.length > own.length ? own.length / (own.length + settings.minSamples) : 1;
    const mass: number[] = [];
    let sum = 0;
    let sumSquares = 0;
    const pour = (deliveries: readonly Delivery[], share: number) => {
      if (share <= 0) return;
      const season = dayOfYear(dispatch);
      const weekday = isoWeekday(dispatch);
      const weights = deliveries.map(
        (d) =>
          0.5 ** ((now - d.deliveredAt) / this.#halfLifeMs) *
          seasonWeight(season, d.season, this.#seasonDays) *
          (d.weekday === weekday ? 1 : this.#otherWeekday),
      );
      const total = weights.reduce((a, b) => a + b, 0);
      deliveries.forEach((d, i) => {
        const w = ((weights[i] as number) / total) * share;
        mass[d.transit] = (mass[d.transit] ?? 0) + w;
        sum += w;
        sumSquares += w * w;
      });
    };
    pour(own, ownShare);
    pour(parent, 1 - ownShare);
    const effective = (sum * sum) / sumSquares;
    const level = Math.min(1, settings.onTimeTarget + (1 - settings.onTimeTarget) / effective);
    return rangeFromMass(mass, sum, level);
  }
}

/** The transit a shipment is promised with, and where it came from (the `estimate` of an option). */
export interface TransitEstimate {
  transitDays: readonly [number, number];
  basis: 'history' | 'configured';
  /** comparable deliveries used; 0 when configured */
  samples: number;
}

/**
 * Step 4's transit (CONTRACT §6): learned when learning is on and the lane has enough deliveries, else the
 * configured `transitDays`; null when there is neither (no lane).
 */
export function learnedOrConfigured(
  model: TransitModel | null,
  settings: EstimateSettings,
  lane: { service: string; warehouse: string; country: string },
  postalCode: string | null,
  now: number,
  dispatch: Day,
  configured: readonly [number, number] | null,
): TransitEstimate | null {
  if (model && settings.mode === 'learned') {
    const learned = model.estimate(lane, postalCode, now, settings, dispatch);
    if (learned) return { transitDays: learned.transitDays, basis: 'history', samples: learned.samples };
  }
  return configured ? { transitDays: configured, basis: 'configured', samples: 0 } : null;
}

/** Keeps every weight above zero, so a lane whose deliveries are all out of season still has a distribution. */
const SEASON_FLOOR = 1e-6;

/**
 * How much a delivery dispatched on day `season` of its year speaks for a promise on day `today` of this one: a
 * Gaussian in the days between them around the year, `width` days wide.
 */
function seasonWeight(today: number, season: number, width: number): number {
  const apart = Math.abs(today - season);
  const distance = Math.min(apart, 365 - apart);
  return SEASON_FLOOR + Math.exp(-((distance / width) ** 2));
}

function dayOfYear(day: Day): number {
  return day - (dayFromIso(`${yearOfDay(day)}-01-01`) as Day);
}

function laneKey(service: string, warehouse: string, country: string): string {
  return `${service}\u0000${warehouse}\u0000${country}`;
}

/** The plain empirical quantiles, every delivery alike. */
function plainRange(deliveries: readonly Delivery[], target: number): [number, number] {
  const mass: number[] = [];
  for (const d of deliveries) mass[d.transit] = (mass[d.transit] ?? 0) + 1;
  return rangeFromMass(mass, deliveries.length, target);
}

/**
 * From a histogram of transit days: `latest`, the fewest days by which at least `level` of the mass arrived;
 * `earliest`, the most days before which at most `1 − level` arrived.
 */
function rangeFromMass(mass: readonly (number | undefined)[], total: number, level: number): [number, number] {
  let earliest: number | null = null;
  let cumulative = 0;
  const tolerance = 1e-9 * total;
  for (let days = 0; days < mass.length; days++) {
    cumulative += mass[days] ?? 0;
    if (earliest === null && cumulative > (1 - level) * total + tolerance) earliest = days;
    if (cumulative >= level * total - tolerance) return [earliest ?? days, days];
  }
  const last = mass.length - 1;
  return [earliest ?? last, last];
}
