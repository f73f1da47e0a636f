/** The transactional outbox: messages written with the changes they announce, leased to workers as jobs. */
import type { OutboxJob } from '../../../../shared/src/pipeline.ts';
import type { OutboxMessage } from '../../booking/outbox-message.ts';

/** One outbox row as the relay (and the API) sees it; the schema is in shared/. */
export type { OutboxJob, OutboxMessage };

/** Which jobs a worker's lane takes, and what it must leave alone because it is already busy with it. */
export interface OutboxClaimFilter {
  /** only these job types */
  types?: readonly string[];
  /** every type but these */
  exceptTypes?: readonly string[];
  /** at most this many jobs of one merchant, and of one lane key, in one claim */
  perMerchant?: number;
  perLaneKey?: number;
  /** merchants and lane keys the worker already runs as many jobs of as it may */
  busyMerchants?: readonly string[];
  busyLaneKeys?: readonly string[];
}

/** How the outbox stands, for metrics: jobs by state and the oldest job still waiting. */
export interface OutboxStats {
  pending: number;
  running: number;
  dead: number;
  /** when the oldest pending job was written, or null */
  oldestPendingAt: string | null;
}

export interface OutboxStore {
  /** Adds outbox messages outside any order change (fan-out of events to webhook endpoints). */
  enqueueOutbox(merchantId: string, messages: readonly OutboxMessage[], now: number): Promise<void>;
  /**
   * Leases up to `limit` due outbox jobs to a worker until `now + leaseMs`: pending ones whose time has come, and
   * running ones whose lease expired (their worker died). Jobs of one order run in order: a job waits while an
   * earlier job of its order is pending or running (a dead one no longer holds the others back). Merchants take
   * turns: a claim takes each merchant's first due job before any merchant's second. Concurrent workers never
   * get the same job.
   */
  claimOutboxJobs(
    workerId: string,
    limit: number,
    now: number,
    leaseMs: number,
    filter?: OutboxClaimFilter,
  ): Promise<OutboxJob[]>;
  /** Marks a leased job done (a no-op when the lease was lost to another worker). */
  completeOutboxJob(id: number, workerId: string): Promise<void>;
  /** Records a failed attempt: back to pending at `retryAt`, or dead when `retryAt` is null. */
  failOutboxJob(id: number, workerId: string, error: string, retryAt: number | null): Promise<void>;
  /** Gives back the jobs a worker holds (graceful shutdown), or only the given ones (over a lane's limits). */
  releaseOutboxJobs(workerId: string, ids?: readonly number[]): Promise<void>;
  listOutboxJobs(merchantId: string, state: OutboxJob['state'], limit: number): Promise<OutboxJob[]>;
  /** Jobs by state over every merchant, and the oldest pending one (metrics). */
  outboxStats(): Promise<OutboxStats>;
  /** Sends a dead job round again from its first attempt; false when there is no such dead job. */
  replayOutboxJob(merchantId: string, id: number, now: number): Promise<boolean>;
  /** The webhook delivery job of a message id (its newest), for replaying it from the endpoint's log. */
  findDeliveryJob(merchantId: string, messageId: string): Promise<OutboxJob | null>;
}
