/** The outbox on PostgreSQL: jobs leased with SKIP LOCKED to any number of workers, merchants in turns. */
import type { OutboxClaimFilter, OutboxJob, OutboxMessage, OutboxStats, OutboxStore } from '../ports/outbox.ts';
import { OUTBOX_STATS_SQL, type OutboxRow, toJob, toOutboxStats } from '../rows.ts';
import { type PostgresDatabase, writeOutbox } from './database.ts';

export class PostgresOutbox implements OutboxStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async enqueueOutbox(merchantId: string, messages: readonly OutboxMessage[], now: number): Promise<void> {
    await this.#db.tx((client) => writeOutbox(client, merchantId, messages, new Date(now)));
  }

  async claimOutboxJobs(
    workerId: string,
    limit: number,
    now: number,
    leaseMs: number,
    filter: OutboxClaimFilter = {},
  ): Promise<OutboxJob[]> {
    // Turns: each merchant's (and lane key's) due jobs are numbered, and the claim takes every first job before
    // any second one, so a merchant with a backlog cannot crowd the others out. SKIP LOCKED under the LIMIT:
    // concurrent workers each take the next rows nobody holds, none waits for another's, none comes back empty
    // while work is due. The row is checked again as locked: another worker may have claimed it since.
    const { rows } = await this.#db.pool.query<OutboxRow>(
      `WITH due AS (
         SELECT o.id,
           row_number() OVER (PARTITION BY o.merchant_id ORDER BY o.id) AS merchant_turn,
           row_number() OVER (PARTITION BY coalesce(o.lane_key, o.id::text) ORDER BY o.id) AS key_turn
         FROM outbox o
         WHERE ((o.state = 'pending' AND o.available_at <= $3) OR (o.state = 'running' AND o.locked_until < $4))
           AND ($6::text[] IS NULL OR o.type = ANY($6))
           AND ($7::text[] IS NULL OR NOT (o.type = ANY($7)))
           AND NOT (o.merchant_id = ANY($8::text[]))
           AND NOT (coalesce(o.lane_key, '') = ANY($9::text[]))
           AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.merchant_id = o.merchant_id AND e.order_id = o.order_id
                           AND e.id < o.id AND e.state IN ('pending', 'running'))),
       picked AS (
         SELECT o.id FROM outbox o JOIN due d ON d.id = o.id
         WHERE d.merchant_turn <= $10 AND d.key_turn <= $11
           AND ((o.state = 'pending' AND o.available_at <= $3) OR (o.state = 'running' AND o.locked_until < $4))
         ORDER BY greatest(d.merchant_turn, d.key_turn), o.id
         LIMIT $5 FOR UPDATE OF o SKIP LOCKED)
       UPDATE outbox SET state = 'running', locked_by = $1, locked_until = $2
       FROM picked WHERE outbox.id = picked.id
       RETURNING outbox.*`,
      [
        workerId,
        now + leaseMs,
        new Date(now),
        now,
        limit,
        filter.types ?? null,
        filter.exceptTypes ?? null,
        filter.busyMerchants ?? [],
        filter.busyLaneKeys ?? [],
        filter.perMerchant ?? limit,
        filter.perLaneKey ?? limit,
      ],
    );
    return rows.map(toJob).sort((a, b) => a.id - b.id);
  }

  async completeOutboxJob(id: number, workerId: string): Promise<void> {
    await this.#db.pool.query(
      `UPDATE outbox SET state = 'done', locked_by = NULL, locked_until = NULL WHERE id = $1 AND locked_by = $2`,
      [id, workerId],
    );
  }

  async failOutboxJob(id: number, workerId: string, error: string, retryAt: number | null): Promise<void> {
    await this.#db.pool.query(
      `UPDATE outbox SET state = $3, attempts = attempts + 1, last_error = $4, available_at = coalesce($5, available_at),
         locked_by = NULL, locked_until = NULL WHERE id = $1 AND locked_by = $2`,
      [
        id,
        workerId,
        retryAt === null ? 'dead' : 'pending',
        error.slice(0, 1000),
        retryAt === null ? null : new Date(retryAt),
      ],
    );
  }

  async releaseOutboxJobs(workerId: string, ids?: readonly number[]): Promise<void> {
    await this.#db.pool.query(
      `UPDATE outbox SET state = 'pending', locked_by = NULL, locked_until = NULL
       WHERE state = 'running' AND locked_by = $1 AND ($2::bigint[] IS NULL OR id = ANY($2))`,
      [workerId, ids ?? null],
    );
  }

  async listOutboxJobs(merchantId: string, state: OutboxJob['state'], limit: number): Promise<OutboxJob[]> {
    const { rows } = await this.#db.pool.query<OutboxRow>(
      'SELECT * FROM outbox WHERE merchant_id = $1 AND state = $2 ORDER BY id DESC LIMIT $3',
      [merchantId, state, limit],
    );
    return rows.map(toJob);
  }

  async outboxStats(): Promise<OutboxStats> {
    const { rows } = await this.#db.pool.query<{ state: OutboxJob['state']; n: string; oldest: Date | null }>(
      OUTBOX_STATS_SQL,
    );
    return toOutboxStats(rows);
  }

  async replayOutboxJob(merchantId: string, id: number, now: number): Promise<boolean> {
    const { rowCount } = await this.#db.pool.query(
      `UPDATE outbox SET state = 'pending', attempts = 0, last_error = NULL, available_at = $3
       WHERE merchant_id = $1 AND id = $2 AND state = 'dead'`,
      [merchantId, id, new Date(now)],
    );
    return rowCount === 1;
  }

  async findDeliveryJob(merchantId: string, messageId: string): Promise<OutboxJob | null> {
    const { rows } = await this.#db.pool.query<OutboxRow>(
      `SELECT * FROM outbox WHERE merchant_id = $1 AND type = 'webhook.deliver' AND payload->>'messageId' = $2 ORDER BY id DESC LIMIT 1`,
      [merchantId, messageId],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }
}
