/** Stock levels and their ledger on PostgreSQL; every change announced to the other processes. */
import type { InventoryUpdate } from '../../../../shared/src/inventory.ts';
import type { StockLevel } from '../../promise/availability.ts';
import type { AdjustmentResult, InventoryStore, StockAdjustment, StockMovement } from '../ports/inventory.ts';
import { LEVEL_COLUMNS, type LevelRow, MOVEMENT_COLUMNS, type MovementRow, toLevel, toMovement } from '../rows.ts';
import { incomingTotal } from '../rules.ts';
import { notify, type PostgresDatabase, writeMovements } from './database.ts';

export class PostgresInventory implements InventoryStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async seedInventory(merchantId: string, levels: readonly StockLevel[]): Promise<number> {
    if (levels.length === 0) return 0;
    const at = this.#db.now();
    return this.#db.tx(async (client) => {
      const { rows } = await client.query<{ warehouse_id: string; sku: string; on_hand: number }>(
        `INSERT INTO inventory_levels (merchant_id, warehouse_id, sku, on_hand, reserved, safety_stock, incoming, incoming_total, updated_at)
         SELECT $1, l->>'warehouse', l->>'sku', (l->>'onHand')::int, 0, (l->>'safetyStock')::int, l->'incoming', (l->>'incomingTotal')::int, $2
         FROM jsonb_array_elements($3::jsonb) AS l
         ON CONFLICT DO NOTHING RETURNING warehouse_id, sku, on_hand`,
        [merchantId, at, JSON.stringify(levels.map((l) => ({ ...l, incomingTotal: incomingTotal(l.incoming) })))],
      );
      await writeMovements(
        client,
        merchantId,
        rows.map((r) => ({
          warehouse: r.warehouse_id,
          sku: r.sku,
          onHandDelta: r.on_hand,
          reservedDelta: 0,
          reason: 'seed' as const,
        })),
        at,
      );
      return rows.length;
    });
  }

  async inventoryLevels(merchantId: string, skus: readonly string[]): Promise<StockLevel[]> {
    if (skus.length === 0) return [];
    const { rows } = await this.#db.pool.query<LevelRow>(
      `SELECT ${LEVEL_COLUMNS} FROM inventory_levels WHERE merchant_id = $1 AND sku = ANY($2::text[]) ORDER BY sku, warehouse_id`,
      [merchantId, skus],
    );
    return rows.map(toLevel);
  }

  async updateInventory(
    merchantId: string,
    warehouse: string,
    sku: string,
    update: InventoryUpdate,
    reason: 'set' | 'import' = 'set',
  ): Promise<StockLevel> {
    const at = this.#db.now();
    return this.#db.tx(async (client) => {
      const before = await client.query<{ on_hand: number }>(
        'SELECT on_hand FROM inventory_levels WHERE merchant_id = $1 AND warehouse_id = $2 AND sku = $3 FOR UPDATE',
        [merchantId, warehouse, sku],
      );
      // Given fields replace, omitted ones keep the stored value, and `reserved` is never touched.
      const { rows } = await client.query<LevelRow>(
        `INSERT INTO inventory_levels AS l (merchant_id, warehouse_id, sku, on_hand, reserved, safety_stock, incoming, incoming_total, updated_at)
         VALUES ($1, $2, $3, coalesce($4, 0), 0, coalesce($5, 0), coalesce($6::jsonb, '[]'), coalesce($7, 0), $8)
         ON CONFLICT (merchant_id, sku, warehouse_id) DO UPDATE SET
           on_hand = coalesce($4, l.on_hand),
           safety_stock = coalesce($5, l.safety_stock),
           incoming = coalesce($6::jsonb, l.incoming),
           incoming_total = coalesce($7, l.incoming_total),
           updated_at = $8
         RETURNING ${LEVEL_COLUMNS}`,
        [
          merchantId,
          warehouse,
          sku,
          update.onHand ?? null,
          update.safetyStock ?? null,
          update.incoming ? JSON.stringify(update.incoming) : null,
          update.incoming ? incomingTotal(update.incoming) : null,
          at,
        ],
      );
      const row = rows[0] as LevelRow;
      const onHandDelta = row.on_hand - (before.rows[0]?.on_hand ?? 0);
      await writeMovements(client, merchantId, [{ warehouse, sku, onHandDelta, reservedDelta: 0, reason }], at);
      await notify(client, merchantId, [sku]);
      return toLevel(row);
    });
  }

  async adjustInventory(
    merchantId: string,
    warehouse: string,
    sku: string,
    adjustment: StockAdjustment,
    now: number,
  ): Promise<AdjustmentResult> {
    const at = new Date(now);
    return this.#db.tx(async (client): Promise<AdjustmentResult> => {
      const { rows } = await client.query<LevelRow>(
        `UPDATE inventory_levels SET on_hand = on_hand + $4, updated_at = $5
         WHERE merchant_id = $1 AND warehouse_id = $2 AND sku = $3 AND on_hand + $4 >= 0
         RETURNING ${LEVEL_COLUMNS}`,
        [merchantId, warehouse, sku, adjustment.onHandDelta, at],
      );
      const row = rows[0];
      if (!row) {
        const exists = await client.query(
          'SELECT 1 FROM inventory_levels WHERE merchant_id = $1 AND warehouse_id = $2 AND sku = $3',
          [merchantId, warehouse, sku],
        );
        return { ok: false, reason: exists.rowCount ? 'below_zero' : 'not_found' };
      }
      await writeMovements(
        client,
        merchantId,
        [{ warehouse, sku, ...adjustment, reservedDelta: 0, reason: 'adjust' }],
        at,
      );
      await notify(client, merchantId, [sku]);
      return { ok: true, level: toLevel(row) };
    });
  }

  async stockMovements(merchantId: string, sku: string, limit: number): Promise<StockMovement[]> {
    const { rows } = await this.#db.pool.query<MovementRow>(
      `SELECT ${MOVEMENT_COLUMNS} FROM stock_movements
       WHERE merchant_id = $1 AND sku = $2 ORDER BY id DESC LIMIT $3`,
      [merchantId, sku, limit],
    );
    return rows.map(toMovement);
  }
}
