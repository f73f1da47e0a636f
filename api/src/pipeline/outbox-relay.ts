/**
 * The outbox relay: turns outbox rows, written in the same transactions as the changes they announce, into work
 * done at least once. It leases a batch, runs each job's handler in order, and on failure retries with
 * exponential backoff and jitter until the last attempt, after which the job is dead (listed and replayable).
 * On SQLite one relay runs inside the API process; on PostgreSQL any number of `promesse worker` processes may.
 */
import { randomUUID } from 'node:crypto';
import type { OutboxJob, Store } from '../store/store.ts';

export type JobHandler = (job: OutboxJob) => Promise<void>;

/** Thrown by a handler that knows when it wants to be retried (its own schedule); `null` means give up now. */
export class RetryAt extends Error {
  readonly at: number | null;

  constructor(at: number | null, message: string) {
    super(message);
    this.name = 'RetryAt';
    this.at = at;
  }
}

/** Runs several handlers of one job type in turn (each must tolerate running again after a later one fails). */
export function inTurn(...handlers: (JobHandler | undefined)[]): JobHandler {
  return async (job) => {
    for (const handler of handlers) await handler?.(job);
  };
}

export interface RelayOptions {
  store: Store;
  handlers: Readonly<Record<string, JobHandler>>;
  clock?: () => number;
  /** jobs leased per round */
  batchSize?: number;
  /** how long a lease lasts before another worker may take the job over */
  leaseMs?: number;
  /** attempts before a job is dead */
  maxAttempts?: number;
  /** pause between rounds when there was nothing to do */
  idleMs?: number;
  onError?: (error: unknown, job: OutboxJob) => void;
}

/** Backoff before attempt `attempt + 1`: 1 s doubling to at most an hour, ±20 % jitter so retries spread out. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(1000 * 2 ** attempt, 3_600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export class OutboxRelay {
  readonly workerId = `worker_${randomUUID()}`;
  readonly #options: Required<Omit<RelayOptions, 'onError'>> & Pick<RelayOptions, 'onError'>;
  #running = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #round: Promise<number> = Promise.resolve(0);

  constructor(options: RelayOptions) {
    this.#options = { clock: Date.now, batchSize: 20, leaseMs: 30_000, maxAttempts: 10, idleMs: 200, ...options };
  }

  /** Leases one batch and runs it; returns how many jobs it handled. */
  async runOnce(): Promise<number> {
    const { store, handlers, clock, batchSize, leaseMs, maxAttempts } = this.#options;
    const jobs = await store.claimOutboxJobs(this.workerId, batchSize, clock(), leaseMs);
    for (const job of jobs) {
      const handler = handlers[job.type];
      try {
        // A type nobody handles (yet) is an announcement without subscribers: done.
        if (handler) await handler(job);
        await store.completeOutboxJob(job.id, this.workerId);
      } catch (error) {
        this.#options.onError?.(error, job);
        const attempt = job.attempts + 1;
        const retryAt =
          error instanceof RetryAt ? error.at : attempt >= maxAttempts ? null : clock() + retryDelayMs(attempt - 1);
        await store.failOutboxJob(
          job.id,
          this.workerId,
          error instanceof Error ? error.message : String(error),
          retryAt,
        );
      }
    }
    return jobs.length;
  }

  /** Runs rounds until nothing is due (tests, benchmarks, and a worker catching up); returns the jobs handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (let handled = await this.runOnce(); handled > 0; handled = await this.runOnce()) total += handled;
    return total;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const loop = () => {
      this.#round = this.runOnce().catch((error: unknown) => {
        this.#options.onError?.(error, undefined as unknown as OutboxJob);
        return 0;
      });
      this.#round.then((handled) => {
        if (this.#running) this.#timer = setTimeout(loop, handled > 0 ? 0 : this.#options.idleMs);
      });
    };
    loop();
  }

  /** Stops taking work, lets the current round finish, and gives back anything still leased. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#round;
    // Best effort: if the store is already gone, the leases simply expire and another worker takes the jobs.
    await this.#options.store.releaseOutboxJobs(this.workerId).catch(() => {});
  }
}
