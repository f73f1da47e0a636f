/**
 * The outbox relay: turns outbox rows, written in the same transactions as the changes they announce, into work
 * done at least once. Jobs run in lanes, each a pool of its own, so that labels never wait behind webhooks: a
 * lane leases due jobs up to its free slots, merchants taking turns, and runs them concurrently with at most
 * `perMerchant` jobs of one merchant and `perLaneKey` of one lane key (a webhook endpoint) at a time, so a slow
 * receiver costs its own merchant its own slots and nobody else anything. On failure a job is retried with
 * exponential backoff and jitter until the last attempt, after which it is dead: listed, replayable, and
 * reported through `onDead`. Jobs of one order run in order while they are retried; a dead job no longer holds
 * the later ones back (each of today's job kinds stands on its own once its predecessor has given up).
 * On SQLite one relay runs inside the API process; on PostgreSQL any number of `promesse worker` processes may.
 */
import { randomUUID } from 'node:crypto';
import type { OutboxClaimFilter, OutboxJob, Store } from '../store/store.ts';

export type JobHandler = (job: OutboxJob) => Promise<void>;

/** Thrown by a handler that knows when it wants to be retried (its own schedule); `null` means give up now. */
export class RetryAt extends Error {
  readonly at: number | null;

  constructor(at: number | null, message: string, options?: ErrorOptions) {
    super(message, options);
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

/** A pool of the relay's: which job types it runs and how many at once. */
export interface Lane {
  name: string;
  /** the job types this lane runs; absent: every type no other lane names */
  types?: readonly string[];
  /** jobs running at once in this lane, in this process */
  concurrency: number;
  /** of which at most this many of one merchant */
  perMerchant: number;
  /** and of one lane key (a webhook endpoint) */
  perLaneKey: number;
}

/** Webhook deliveries and sink publishes, which may wait on slow receivers, apart from the rest (labels, fan-outs). */
export const DEFAULT_LANES: readonly Lane[] = [
  // I/O-bound and cheap to hold: many at once, so that eight merchants whose receivers all hang (each attempt
  // times out within 20 s, then waits its backoff) still leave half the lane to everyone else. Publishes to
  // event sinks (a broker) wait on the network the same way.
  { name: 'webhooks', types: ['webhook.deliver', 'stream.publish'], concurrency: 64, perMerchant: 4, perLaneKey: 2 },
  { name: 'main', concurrency: 16, perMerchant: 2, perLaneKey: 2 },
];

export interface RelayOptions {
  store: Store;
  handlers: Readonly<Record<string, JobHandler>>;
  clock?: () => number;
  lanes?: readonly Lane[];
  /** how long a lease lasts before another worker may take the job over */
  leaseMs?: number;
  /** attempts before a job is dead */
  maxAttempts?: number;
  /** pause before looking again when there was nothing to do */
  idleMs?: number;
  onError?: (error: unknown, job: OutboxJob | undefined) => void;
  /** a job gave up after its last attempt (or its handler said so): its message, and what was thrown */
  onDead?: (job: OutboxJob, message: string, error: unknown) => Promise<void> | void;
}

/** Backoff before attempt `attempt + 1`: 1 s doubling to at most an hour, ±20 % jitter so retries spread out. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(1000 * 2 ** attempt, 3_600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** What one lane is running in this process. */
class LaneState {
  readonly lane: Lane;
  readonly filter: OutboxClaimFilter;
  readonly running = new Set<Promise<void>>();
  readonly byMerchant = new Map<string, number>();
  readonly byKey = new Map<string, number>();
  /** the claim under way, if any (stop waits for it) */
  claiming: Promise<void> | null = null;
  timer: ReturnType<typeof setTimeout> | undefined;

  constructor(lane: Lane, others: readonly Lane[]) {
    this.lane = lane;
    const named = others.flatMap((other) => other.types ?? []);
    this.filter = lane.types ? { types: lane.types } : named.length > 0 ? { exceptTypes: named } : {};
  }

  get free(): number {
    return this.lane.concurrency - this.running.size;
  }

  /** The claim filter now: merchants and keys already at their limit are left alone. */
  claimFilter(): OutboxClaimFilter {
    const full = (counts: Map<string, number>, limit: number) =>
      [...counts].filter(([, n]) => n >= limit).map(([key]) => key);
    return {
      ...this.filter,
      perMerchant: this.lane.perMerchant,
      perLaneKey: this.lane.perLaneKey,
      busyMerchants: full(this.byMerchant, this.lane.perMerchant),
      busyLaneKeys: full(this.byKey, this.lane.perLaneKey),
    };
  }

  /** Whether the job fits under its merchant's and key's limits; counts it in when it does. */
  admit(job: OutboxJob): boolean {
    const merchant = this.byMerchant.get(job.merchantId) ?? 0;
    const key = job.laneKey === null ? 0 : (this.byKey.get(job.laneKey) ?? 0);
    if (merchant >= this.lane.perMerchant || key >= this.lane.perLaneKey) return false;
    this.byMerchant.set(job.merchantId, merchant + 1);
    if (job.laneKey !== null) this.byKey.set(job.laneKey, key + 1);
    return true;
  }

  release(job: OutboxJob): void {
    const down = (counts: Map<string, number>, key: string) => {
      const n = (counts.get(key) ?? 1) - 1;
      if (n <= 0) counts.delete(key);
      else counts.set(key, n);
    };
    down(this.byMerchant, job.merchantId);
    if (job.laneKey !== null) down(this.byKey, job.laneKey);
  }
}

export class OutboxRelay {
  readonly workerId = `worker_${randomUUID()}`;
  readonly #options: Required<Omit<RelayOptions, 'onError' | 'onDead'>> & Pick<RelayOptions, 'onError' | 'onDead'>;
  readonly #lanes: LaneState[];
  #running = false;

  constructor(options: RelayOptions) {
    this.#options = {
      clock: Date.now,
      lanes: DEFAULT_LANES,
      leaseMs: 30_000,
      maxAttempts: 10,
      idleMs: 200,
      ...options,
    };
    const lanes = this.#options.lanes;
    this.#lanes = lanes.map((lane) => new LaneState(lane, lanes));
  }

  /** Leases what each lane has room for and runs it; returns how many jobs it handled. */
  async runOnce(): Promise<number> {
    const counts = await Promise.all(
      this.#lanes.map(async (state) => {
        const jobs = await this.#claim(state);
        await Promise.all(jobs.map((job) => this.#start(state, job)));
        return jobs.length;
      }),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }

  /** Runs rounds until nothing is due (tests, benchmarks, and a worker catching up); returns the jobs handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (let handled = await this.runOnce(); handled > 0; handled = await this.runOnce()) total += handled;
    return total;
  }

  /** Keeps every lane's pool busy until `stop`. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (const state of this.#lanes) this.#pump(state);
  }

  /** Stops taking work, lets running jobs finish, and gives back anything still leased. */
  async stop(): Promise<void> {
    this.#running = false;
    for (const state of this.#lanes) clearTimeout(state.timer);
    // A claim under way gives its jobs back once it returns (see #pump); then the running jobs finish.
    await Promise.all(this.#lanes.map((state) => state.claiming));
    await Promise.all(this.#lanes.flatMap((state) => [...state.running]));
    // Best effort: if the store is already gone, the leases simply expire and another worker takes the jobs.
    await this.#options.store.releaseOutboxJobs(this.workerId).catch(() => {});
  }

  /** Claims for a lane as long as it has free slots and finds work; waits `idleMs` when it finds none. */
  #pump(state: LaneState): void {
    if (!this.#running || state.claiming || state.free <= 0) return;
    clearTimeout(state.timer);
    let found = 0;
    state.claiming = (async () => {
      let jobs: OutboxJob[] = [];
      try {
        jobs = await this.#claim(state);
      } catch (error) {
        this.#options.onError?.(error, undefined);
      }
      if (!this.#running) {
        // Stopped while claiming: these jobs were never started, so they go back at once.
        for (const job of jobs) state.release(job);
        await this.#giveBack(jobs);
        return;
      }
      found = jobs.length;
      for (const job of jobs) this.#start(state, job).then(() => this.#pump(state));
    })().finally(() => {
      state.claiming = null;
      if (!this.#running) return;
      // More may be due at once; when nothing was, look again after a pause.
      if (found > 0) this.#pump(state);
      else state.timer = setTimeout(() => this.#pump(state), this.#options.idleMs);
    });
  }

  /** Leases due jobs for a lane; any over a merchant's or key's limit is given back at once. */
  async #claim(state: LaneState): Promise<OutboxJob[]> {
    const { store, clock, leaseMs } = this.#options;
    if (state.free <= 0) return [];
    const claimed = await store.claimOutboxJobs(this.workerId, state.free, clock(), leaseMs, state.claimFilter());
    const admitted = claimed.filter((job) => state.admit(job));
    await this.#giveBack(claimed.filter((job) => !admitted.includes(job)));
    return admitted;
  }

  /** Gives leased jobs back for another round; if that fails their leases simply run out, and nothing is lost. */
  async #giveBack(jobs: readonly OutboxJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.#options.store
      .releaseOutboxJobs(
        this.workerId,
        jobs.map((job) => job.id),
      )
      .catch((error: unknown) => this.#options.onError?.(error, undefined));
  }

  /** Runs one admitted job in its lane's pool; the promise settles when the job is done or recorded as failed. */
  #start(state: LaneState, job: OutboxJob): Promise<void> {
    const run = this.#run(job)
      .catch((error: unknown) => this.#options.onError?.(error, job))
      .finally(() => {
        state.running.delete(run);
        state.release(job);
      });
    state.running.add(run);
    return run;
  }

  async #run(job: OutboxJob): Promise<void> {
    const { store, handlers, clock, maxAttempts } = this.#options;
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
      const message = error instanceof Error ? error.message : String(error);
      await store.failOutboxJob(job.id, this.workerId, message, retryAt);
      if (retryAt === null) await this.#options.onDead?.({ ...job, attempts: attempt }, message, error);
    }
  }
}
