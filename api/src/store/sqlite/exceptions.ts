/** The exception queue on SQLite. */
import type { ExceptionStore, ShipmentException } from '../ports/exceptions.ts';
import { type ExceptionRow, exceptionValues, toException } from '../rows.ts';
import type { SqliteDatabase } from './database.ts';

export class SqliteExceptions implements ExceptionStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async openException(merchantId: string, e: ShipmentException): Promise<boolean> {
    const { changes } = this.#db
      .sql(
        `INSERT INTO shipment_exceptions (merchant_id, id, kind, order_id, shipment_id, reason, next_action, detail, state, note, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(...exceptionValues(merchantId, e));
    return changes === 1;
  }

  async listExceptions(
    merchantId: string,
    state: ShipmentException['state'],
    limit: number,
  ): Promise<ShipmentException[]> {
    const rows = this.#db
      .sql('SELECT * FROM shipment_exceptions WHERE merchant_id = ? AND state = ? ORDER BY created_at, id LIMIT ?')
      .all(merchantId, state, limit) as ExceptionRow[];
    return rows.map(toException);
  }

  async updateException(
    merchantId: string,
    id: string,
    change: { state: ShipmentException['state']; note: string | null; updatedAt: string },
  ): Promise<ShipmentException | null> {
    const row = this.#db
      .sql(
        `UPDATE shipment_exceptions SET state = ?, note = coalesce(?, note), updated_at = ? WHERE merchant_id = ? AND id = ? RETURNING *`,
      )
      .get(change.state, change.note, change.updatedAt, merchantId, id) as ExceptionRow | undefined;
    return row ? toException(row) : null;
  }
}
