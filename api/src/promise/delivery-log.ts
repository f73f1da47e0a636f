/**
 * The deliveries a lane learned from, kept for the transit model (`learned-transit.ts`): a log per postal-code
 * prefix, sorted by delivery instant, so that a promise's window is two binary searches.
 */

export interface Delivery {
  deliveredAt: number;
  /** the day of the year it was dispatched (0–365), for the seasonal weight */
  season: number;
  /** the ISO weekday it was dispatched on */
  weekday: number;
  transit: number;
}

/**
 * Deliveries sorted by `deliveredAt`, so a window is two binary searches. New ones are appended and sorted on the
 * next read (they mostly come in order, and an import's come all at once), and those older than `keepMs` before
 * the newest are dropped then, so memory follows the window rather than the whole history.
 */
export class DeliveryLog {
  #entries: Delivery[] = [];
  #sorted = true;
  readonly #keepMs: number;

  constructor(keepMs: number) {
    this.#keepMs = keepMs;
  }

  add(delivery: Delivery): void {
    const last = this.#entries.at(-1);
    if (last && last.deliveredAt > delivery.deliveredAt) this.#sorted = false;
    this.#entries.push(delivery);
  }

  get entries(): readonly Delivery[] {
    if (!this.#sorted) {
      this.#entries.sort((a, b) => a.deliveredAt - b.deliveredAt);
      this.#sorted = true;
    }
    const newest = this.#entries.at(-1);
    if (newest && (this.#entries[0] as Delivery).deliveredAt < newest.deliveredAt - this.#keepMs) {
      this.#entries = this.#entries.slice(this.firstAfter(newest.deliveredAt - this.#keepMs));
    }
    return this.#entries;
  }

  /** The index of the first delivery strictly after `at`. */
  firstAfter(at: number): number {
    const entries = this.#sorted ? this.#entries : this.entries;
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((entries[mid] as Delivery).deliveredAt <= at) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The deliveries in (from, to]. */
  window(from: number, to: number): readonly Delivery[] {
    return this.entries.slice(this.firstAfter(from), this.firstAfter(to));
  }

  /**
   * The instants around `now` between which the window (now − `span`, now] holds the same deliveries as at
   * `now`: [from, until).
   */
  steadyAround(now: number, span: number): [number, number] {
    const entries = this.entries;
    const first = this.firstAfter(now - span);
    const end = this.firstAfter(now);
    const at = (index: number) => entries[index]?.deliveredAt;
    const from = Math.max(at(end - 1) ?? -Infinity, (at(first - 1) ?? -Infinity) + span);
    const until = Math.min(at(end) ?? Infinity, (at(first) ?? Infinity) + span);
    return [from, until];
  }
}

/** One lane's deliveries, by postal-code prefix; the empty prefix is the whole country. */
export class LaneHistory {
  readonly byPrefix = new Map<string, DeliveryLog>();
  /** the whole country's deliveries: every window is found in it first */
  readonly all: DeliveryLog;
  readonly #keepMs: number;
  version = 0;

  constructor(keepMs: number) {
    this.#keepMs = keepMs;
    this.all = new DeliveryLog(keepMs);
    this.byPrefix.set('', this.all);
  }

  add(postalCode: string, delivery: Delivery): void {
    this.all.add(delivery);
    for (let length = 1; length <= postalCode.length; length++) {
      const prefix = postalCode.slice(0, length);
      let log = this.byPrefix.get(prefix);
      if (!log) {
        log = new DeliveryLog(this.#keepMs);
        this.byPrefix.set(prefix, log);
      }
      log.add(delivery);
    }
    this.version++;
  }
}
