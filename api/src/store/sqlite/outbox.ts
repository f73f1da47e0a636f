/** The outbox on SQLite: jobs leased to workers in turns, retried, buried and replayed. */
import type { OutboxClaimFilter, OutboxJob, OutboxMessage, OutboxStats, OutboxStore } from '../ports/outbox.ts';
import { OUTBOX_STATS_SQL, type OutboxRow, toJob, toOutboxStats } from '../rows.ts';
import { type SqliteDatabase, writeOutbox } from './database.ts';

export class SqliteOutbox implements OutboxStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async enqueueOutbox(merchantId: string, messages: readonly OutboxMessage[], now: number): Promise<void> {
    this.#db.raw.transaction(() => writeOutbox(this.#db, merchantId, messages, new Date(now).toISOString()))();
  }

  async claimOutboxJobs(
    workerId: string,
    limit: number,
    now: number,
    leaseMs: number,
    filter: OutboxClaimFilter = {},
  ): Promise<OutboxJob[]> {
    const nowIso = new Date(now).toISOString();
    const list = (values: readonly string[] | undefined) => (values ? JSON.stringify(values) : null);
    return this.#db.raw
      .transaction(() => {
        // Turns: each merchant's (and lane key's) due jobs are numbered, and the claim takes every first job
        // before any second one, so a merchant with a backlog cannot crowd the others out.
        const rows = this.#db
          .sql(
            `SELECT * FROM (
             SELECT o.*,
               row_number() OVER (PARTITION BY o.merchant_id ORDER BY o.id) AS merchant_turn,
               row_number() OVER (PARTITION BY coalesce(o.lane_key, o.id) ORDER BY o.id) AS key_turn
             FROM outbox o
             WHERE ((o.state = 'pending' AND o.available_at <= @nowIso) OR (o.state = 'running' AND o.locked_until < @now))
               AND (@types IS NULL OR o.type IN (SELECT value FROM json_each(@types)))
               AND (@exceptTypes IS NULL OR o.type NOT IN (SELECT value FROM json_each(@exceptTypes)))
               AND o.merchant_id NOT IN (SELECT value FROM json_each(@busyMerchants))
               AND coalesce(o.lane_key, '') NOT IN (SELECT value FROM json_each(@busyLaneKeys))
               AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.merchant_id = o.merchant_id AND e.order_id = o.order_id
                               AND e.id < o.id AND e.state IN ('pending', 'running')))
           WHERE merchant_turn <= @perMerchant AND key_turn <= @perLaneKey
           ORDER BY max(merchant_turn, key_turn), id LIMIT @limit`,
          )
          .all({
            nowIso,
            now,
            limit,
            types: list(filter.types),
            exceptTypes: list(filter.exceptTypes),
            busyMerchants: JSON.stringify(filter.busyMerchants ?? []),
            busyLaneKeys: JSON.stringify(filter.busyLaneKeys ?? []),
            perMerchant: filter.perMerchant ?? limit,
            perLaneKey: filter.perLaneKey ?? limit,
          }) as OutboxRow[];
        const lease = this.#db.sql(`UPDATE outbox SET state = 'running', locked_by = ?, locked_until = ? WHERE id = ?`);
        for (const row of rows) lease.run(workerId, now + leaseMs, row.id);
        return rows.map((row) => toJob({ ...row, state: 'running' }));
      })
      .immediate();
  }

  async completeOutboxJob(id: number, workerId: string): Promise<void> {
    this.#db
      .sql(`UPDATE outbox SET state = 'done', locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?`)
      .run(id, workerId);
  }

  async failOutboxJob(id: number, workerId: string, error: string, retryAt: number | null): Promise<void> {
    this.#db
      .sql(
        `UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, available_at = coalesce(?, available_at),
         locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?`,
      )
      .run(
        retryAt === null ? 'dead' : 'pending',
        error.slice(0, 1000),
        retryAt === null ? null : new Date(retryAt).toISOString(),
        id,
        workerId,
      );
  }

  async releaseOutboxJobs(workerId: string, ids?: readonly number[]): Promise<void> {
    this.#db
      .sql(
        `UPDATE outbox SET state = 'pending', locked_by = NULL, locked_until = NULL
         WHERE state = 'running' AND locked_by = ? AND (? IS NULL OR id IN (SELECT value FROM json_each(?)))`,
      )
      .run(workerId, ids ? 1 : null, JSON.stringify(ids ?? []));
  }

  async listOutboxJobs(merchantId: string, state: OutboxJob['state'], limit: number): Promise<OutboxJob[]> {
    const rows = this.#db
      .sql('SELECT * FROM outbox WHERE merchant_id = ? AND state = ? ORDER BY id DESC LIMIT ?')
      .all(merchantId, state, limit) as OutboxRow[];
    return rows.map(toJob);
  }

  async outboxStats(): Promise<OutboxStats> {
    return toOutboxStats(
      this.#db.sql(OUTBOX_STATS_SQL).all() as { state: OutboxJob['state']; n: number; oldest: string | null }[],
    );
  }

  async replayOutboxJob(merchantId: string, id: number, now: number): Promise<boolean> {
    const { changes } = this.#db
      .sql(
        `UPDATE outbox SET state = 'pending', attempts = 0, last_error = NULL, available_at = ? WHERE merchant_id = ? AND id = ? AND state = 'dead'`,
      )
      .run(new Date(now).toISOString(), merchantId, id);
    return changes === 1;
  }

  async findDeliveryJob(merchantId: string, messageId: string): Promise<OutboxJob | null> {
    const row = this.#db
      .sql(
        `SELECT * FROM outbox WHERE merchant_id = ? AND type = 'webhook.deliver' AND json_extract(payload, '$.messageId') = ?
       ORDER BY id DESC LIMIT 1`,
      )
      .get(merchantId, messageId) as OutboxRow | undefined;
    return row ? toJob(row) : null;
  }
}
