/** The exception queue on PostgreSQL. */
import type { ExceptionStore, ShipmentException } from '../ports/exceptions.ts';
import { type ExceptionRow, exceptionValues, toException } from '../rows.ts';
import type { PostgresDatabase } from './database.ts';

export class PostgresExceptions implements ExceptionStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async openException(merchantId: string, e: ShipmentException): Promise<boolean> {
    const { rowCount } = await this.#db.pool.query(
      `INSERT INTO shipment_exceptions (merchant_id, id, kind, order_id, shipment_id, reason, next_action, detail, state, note, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
      exceptionValues(merchantId, e),
    );
    return rowCount === 1;
  }

  async listExceptions(
    merchantId: string,
    state: ShipmentException['state'],
    limit: number,
  ): Promise<ShipmentException[]> {
    const { rows } = await this.#db.pool.query<ExceptionRow>(
      'SELECT * FROM shipment_exceptions WHERE merchant_id = $1 AND state = $2 ORDER BY created_at, id LIMIT $3',
      [merchantId, state, limit],
    );
    return rows.map(toException);
  }

  async updateException(
    merchantId: string,
    id: string,
    change: { state: ShipmentException['state']; note: string | null; updatedAt: string },
  ): Promise<ShipmentException | null> {
    const { rows } = await this.#db.pool.query<ExceptionRow>(
      `UPDATE shipment_exceptions SET state = $3, note = coalesce($4, note), updated_at = $5 WHERE merchant_id = $1 AND id = $2 RETURNING *`,
      [merchantId, id, change.state, change.note, change.updatedAt],
    );
    return rows[0] ? toException(rows[0]) : null;
  }
}
