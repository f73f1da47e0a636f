/**
 * The cut-off countdown, as a ReactiveController. Cut-offs are instants on the server's clock, so `now` runs on
 * it too (the device clock plus the offset learnt from the last answer's `generatedAt`): a device clock that is
 * wrong neither shows a wrong countdown nor refetches early or late. While a cut-off is ahead the host updates at
 * each minute boundary; once it has passed, `onCutoff` fetches again, for the dates have moved. An `at` instant
 * (test keys) fixes the clock: no tick, no refetch.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The host's `at`: the instant to promise at (test keys), or undefined for the live clock. */
export type CountdownHost = ReactiveControllerHost & { at?: string | undefined };

export interface CountdownOptions {
  /** The cut-off counted down to (ms since the epoch), or null when there is none. */
  cutoff: () => number | null;
  /** Called once the cut-off has passed. */
  onCutoff: () => void;
}

export class CountdownController implements ReactiveController {
  /** The instant the host renders for (ms): `at` when set, else the server's clock; refreshed at each update. */
  now = Date.now();

  readonly #host: CountdownHost;
  readonly #options: CountdownOptions;
  /** The server's clock minus the device's (ms). */
  #serverOffset = 0;
  #at: string | undefined;
  #tick: ReturnType<typeof setTimeout> | undefined;

  constructor(host: CountdownHost, options: CountdownOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /**
   * Learns the server's clock from an answer's `generatedAt`. The answer's age on arrival (latency, HTTP cache)
   * only delays the refetch; it can never make it early.
   */
  syncWith(generatedAt: string): void {
    if (!this.#host.at) this.#serverOffset = Date.parse(generatedAt) - Date.now() || 0;
  }

  hostUpdate(): void {
    const at = this.#host.at;
    // A fixed instant is read again only when it changes; the live clock at every update.
    if (at !== this.#at || !at) this.now = this.#clock();
    this.#at = at;
  }

  hostUpdated(): void {
    clearTimeout(this.#tick);
    const cutoff = this.#options.cutoff();
    if (cutoff === null || this.#host.at) return;
    const left = cutoff - this.#clock();
    if (left <= 0) {
      this.#options.onCutoff();
      return;
    }
    // Next minute boundary of the countdown, or the cut-off itself if sooner.
    this.#tick = setTimeout(() => this.#host.requestUpdate(), Math.min(left, (left % 60_000) + 1));
  }

  hostDisconnected(): void {
    clearTimeout(this.#tick);
  }

  #clock(): number {
    const at = this.#host.at;
    const fixed = at ? Date.parse(at) : Number.NaN;
    return Number.isFinite(fixed) ? fixed : Date.now() + this.#serverOffset;
  }
}
