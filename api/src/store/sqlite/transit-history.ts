/** Delivery history on SQLite. */
import type { TransitObservation } from '../../promise/transit.ts';
import type { StoredObservation, TransitHistoryStore, TransitSource } from '../ports/transit-history.ts';
import { type ObservationRow, toObservation } from '../rows.ts';
import type { SqliteDatabase } from './database.ts';

/** Writes observations, each once; inside the caller's transaction. Returns how many were new. */
export function insertObservations(
  db: SqliteDatabase,
  merchantId: string,
  observations: readonly TransitObservation[],
  source: TransitSource,
): number {
  const insert = db.sql(
    `INSERT INTO transit_history (merchant_id, service, warehouse, country, postal_code, dispatched_at, delivered_at, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  let added = 0;
  for (const o of observations) {
    added += insert.run(
      merchantId,
      o.service,
      o.warehouse,
      o.country,
      o.postalCode,
      o.dispatchedAt,
      o.deliveredAt,
      source,
    ).changes;
  }
  return added;
}

export class SqliteTransitHistory implements TransitHistoryStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async addTransitObservations(
    merchantId: string,
    observations: readonly TransitObservation[],
    source: TransitSource,
  ): Promise<number> {
    return this.#db.raw.transaction(() => insertObservations(this.#db, merchantId, observations, source))();
  }

  async transitObservationsAfter(merchantId: string, afterId: number, limit: number): Promise<StoredObservation[]> {
    const rows = this.#db
      .sql('SELECT * FROM transit_history WHERE merchant_id = ? AND id > ? ORDER BY id LIMIT ?')
      .all(merchantId, afterId, limit) as ObservationRow[];
    return rows.map(toObservation);
  }
}
