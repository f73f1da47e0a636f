/** Delivery history on PostgreSQL. */
import type pg from 'pg';
import type { TransitObservation } from '../../promise/transit.ts';
import type { StoredObservation, TransitHistoryStore, TransitSource } from '../ports/transit-history.ts';
import { type ObservationRow, toObservation } from '../rows.ts';
import type { PostgresDatabase } from './database.ts';

/** Rows per INSERT: large imports go in a few statements, each well under PostgreSQL's 65,535 parameters. */
const BATCH = 1000;

/**
 * Writes observations, each once, inside the caller's transaction. Returns how many were new.
 *
 * Readers follow the history by id (`transitObservationsAfter`), so a merchant's ids must become visible in
 * order: a transaction taking id 8 must not commit before the one holding id 7, or a reader between the two
 * commits would move past 7 and never learn it. A per-merchant advisory lock held to the commit makes each
 * merchant's writers take ids and commit one after the other.
 */
export async function insertObservations(
  client: Pick<pg.ClientBase, 'query'>,
  merchantId: string,
  observations: readonly TransitObservation[],
  source: TransitSource,
): Promise<number> {
  if (observations.length === 0) return 0;
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended('promesse.transit_history:' || $1, 0))", [
    merchantId,
  ]);
  let added = 0;
  for (let start = 0; start < observations.length; start += BATCH) {
    const batch = observations.slice(start, start + BATCH);
    // One array per column, unnested: one statement and eight parameters whatever the batch's size.
    const { rowCount } = await client.query(
      `INSERT INTO transit_history (merchant_id, service, warehouse, country, postal_code, dispatched_at, delivered_at, source)
       SELECT $1, *, $8 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[])
       ON CONFLICT DO NOTHING`,
      [
        merchantId,
        batch.map((o) => o.service),
        batch.map((o) => o.warehouse),
        batch.map((o) => o.country),
        batch.map((o) => o.postalCode),
        batch.map((o) => o.dispatchedAt),
        batch.map((o) => o.deliveredAt),
        source,
      ],
    );
    added += rowCount ?? 0;
  }
  return added;
}

export class PostgresTransitHistory implements TransitHistoryStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async addTransitObservations(
    merchantId: string,
    observations: readonly TransitObservation[],
    source: TransitSource,
  ): Promise<number> {
    return this.#db.tx((client) => insertObservations(client, merchantId, observations, source));
  }

  async transitObservationsAfter(merchantId: string, afterId: number, limit: number): Promise<StoredObservation[]> {
    const { rows } = await this.#db.pool.query<ObservationRow>(
      'SELECT * FROM transit_history WHERE merchant_id = $1 AND id > $2 ORDER BY id LIMIT $3',
      [merchantId, afterId, limit],
    );
    return rows.map(toObservation);
  }
}
