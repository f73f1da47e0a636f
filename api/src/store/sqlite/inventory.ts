/** Stock levels and their ledger, on SQLite; `reserve` and `takeStock` serve the orders' transactions. */
import type { InventoryUpdate } from '../../../../shared/src/inventory.ts';
import type { Reservation } from '../../booking/plan-order.ts';
import type { StockLevel } from '../../promise/availability.ts';
import {
  type AdjustmentResult,
  type InventoryStore,
  type StockAdjustment,
  StockInvariantError,
  type StockMovement,
} from '../ports/inventory.ts';
import type { Restock } from '../ports/orders.ts';
import { LEVEL_COLUMNS, type LevelRow, MOVEMENT_COLUMNS, type MovementRow, toLevel, toMovement } from '../rows.ts';
import { incomingTotal, takenReason } from '../rules.ts';
import { type SqliteDatabase, writeMovement } from './database.ts';

export function reserve(db: SqliteDatabase, merchantId: string, r: Reservation, orderId: string, at: string): boolean {
  // Conditional update: the check and the write are one statement, so no other booking can slip between.
  const { changes } = db
    .sql(
      `UPDATE inventory_levels SET reserved = reserved + @quantity, updated_at = @at
       WHERE merchant_id = @merchant AND warehouse_id = @warehouse AND sku = @sku
         AND on_hand - reserved - safety_stock + (CASE WHEN @backorder THEN incoming_total ELSE 0 END) >= @quantity`,
    )
    .run({
      merchant: merchantId,
      warehouse: r.warehouse,
      sku: r.sku,
      quantity: r.quantity,
      backorder: r.backorder ? 1 : 0,
      at,
    });
  if (changes === 1)
    writeMovement(db, merchantId, { ...r, onHandDelta: 0, reservedDelta: r.quantity, reason: 'reserve', orderId }, at);
  return changes === 1;
}

/** Units back on hand (a return), into a level created at zero where there is none, with their ledger line. */
export function restock(db: SqliteDatabase, merchantId: string, r: Restock, orderId: string, at: string): void {
  db.sql(
    `INSERT INTO inventory_levels (merchant_id, warehouse_id, sku, on_hand, reserved, safety_stock, incoming, updated_at)
     VALUES (?, ?, ?, ?, 0, 0, '[]', ?)
     ON CONFLICT (merchant_id, sku, warehouse_id) DO UPDATE SET on_hand = on_hand + excluded.on_hand, updated_at = excluded.updated_at`,
  ).run(merchantId, r.warehouse, r.sku, r.quantity, at);
  writeMovement(
    db,
    merchantId,
    {
      warehouse: r.warehouse,
      sku: r.sku,
      onHandDelta: r.quantity,
      reservedDelta: 0,
      reason: 'return',
      orderId,
      note: r.note,
    },
    at,
  );
}

/**
 * Takes a reservation out of a level: released (a cancellation, or by hand with a note), or shipped (on hand
 * drops too). The reservation must be there: taking more than is reserved would eat other orders' reservations,
 * so it is a fault, never clamped. On hand stops at zero: a parcel that left when the count said there was none
 * left all the same, and the ledger records what really moved.
 */
export function takeStock(
  db: SqliteDatabase,
  merchantId: string,
  r: Reservation & { note?: string },
  kind: 'release' | 'ship',
  orderId: string,
  at: string,
): void {
  const level = db
    .sql('SELECT on_hand, reserved FROM inventory_levels WHERE merchant_id = ? AND warehouse_id = ? AND sku = ?')
    .get(merchantId, r.warehouse, r.sku) as { on_hand: number; reserved: number } | undefined;
  if (!level || level.reserved < r.quantity)
    throw new StockInvariantError(`${kind} of ${r.quantity} ${r.sku} at ${r.warehouse} exceeds the level (${orderId})`);
  const onHand = kind === 'ship' ? Math.min(level.on_hand, r.quantity) : 0;
  db.sql(
    `UPDATE inventory_levels SET reserved = reserved - ?, on_hand = on_hand - ?, updated_at = ?
     WHERE merchant_id = ? AND warehouse_id = ? AND sku = ?`,
  ).run(r.quantity, onHand, at, merchantId, r.warehouse, r.sku);
  const reason = takenReason(kind, r.note);
  writeMovement(db, merchantId, { ...r, onHandDelta: -onHand, reservedDelta: -r.quantity, reason, orderId }, at);
}

export class SqliteInventory implements InventoryStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async seedInventory(merchantId: string, levels: readonly StockLevel[]): Promise<number> {
    const insert = this.#db.sql(
      `INSERT INTO inventory_levels (merchant_id, warehouse_id, sku, on_hand, reserved, safety_stock, incoming, incoming_total, updated_at)
       VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    const now = this.#db.now();
    return this.#db.raw.transaction(() => {
      let inserted = 0;
      for (const level of levels) {
        const { changes } = insert.run(
          merchantId,
          level.warehouse,
          level.sku,
          level.onHand,
          level.safetyStock,
          JSON.stringify(level.incoming),
          incomingTotal(level.incoming),
          now,
        );
        if (changes > 0) {
          inserted++;
          writeMovement(
            this.#db,
            merchantId,
            { ...level, onHandDelta: level.onHand, reservedDelta: 0, reason: 'seed' },
            now,
          );
        }
      }
      return inserted;
    })();
  }

  async inventoryLevels(merchantId: string, skus: readonly string[]): Promise<StockLevel[]> {
    if (skus.length === 0) return [];
    const rows = this.#db
      .sql(
        `SELECT ${LEVEL_COLUMNS} FROM inventory_levels
         WHERE merchant_id = ? AND sku IN (SELECT value FROM json_each(?)) ORDER BY sku, warehouse_id`,
      )
      .all(merchantId, JSON.stringify(skus)) as LevelRow[];
    return rows.map(toLevel);
  }

  async updateInventory(
    merchantId: string,
    warehouse: string,
    sku: string,
    update: InventoryUpdate,
    reason: 'set' | 'import' = 'set',
  ): Promise<StockLevel> {
    const now = this.#db.now();
    return this.#db.raw.transaction(() => {
      const before = this.#db
        .sql('SELECT on_hand FROM inventory_levels WHERE merchant_id = ? AND warehouse_id = ? AND sku = ?')
        .get(merchantId, warehouse, sku) as { on_hand: number } | undefined;
      // Given fields replace, omitted ones keep the stored value, and `reserved` is never touched.
      const row = this.#db
        .sql(
          `INSERT INTO inventory_levels (merchant_id, warehouse_id, sku, on_hand, reserved, safety_stock, incoming, incoming_total, updated_at)
           VALUES (@merchant, @warehouse, @sku, coalesce(@onHand, 0), 0, coalesce(@safetyStock, 0), coalesce(@incoming, '[]'), coalesce(@incomingTotal, 0), @now)
           ON CONFLICT (merchant_id, sku, warehouse_id) DO UPDATE SET
             on_hand = coalesce(@onHand, on_hand),
             safety_stock = coalesce(@safetyStock, safety_stock),
             incoming = coalesce(@incoming, incoming),
             incoming_total = coalesce(@incomingTotal, incoming_total),
             updated_at = @now
           RETURNING ${LEVEL_COLUMNS}`,
        )
        .get({
          merchant: merchantId,
          warehouse,
          sku,
          onHand: update.onHand ?? null,
          safetyStock: update.safetyStock ?? null,
          incoming: update.incoming ? JSON.stringify(update.incoming) : null,
          incomingTotal: update.incoming ? incomingTotal(update.incoming) : null,
          now,
        }) as LevelRow;
      writeMovement(
        this.#db,
        merchantId,
        { warehouse, sku, onHandDelta: row.on_hand - (before?.on_hand ?? 0), reservedDelta: 0, reason },
        now,
      );
      return toLevel(row);
    })();
  }

  async adjustInventory(
    merchantId: string,
    warehouse: string,
    sku: string,
    adjustment: StockAdjustment,
    now: number,
  ): Promise<AdjustmentResult> {
    const at = new Date(now).toISOString();
    return this.#db.raw
      .transaction((): AdjustmentResult => {
        const row = this.#db
          .sql(
            `UPDATE inventory_levels SET on_hand = on_hand + @onHand, updated_at = @at
             WHERE merchant_id = @merchant AND warehouse_id = @warehouse AND sku = @sku AND on_hand + @onHand >= 0
             RETURNING ${LEVEL_COLUMNS}`,
          )
          .get({ merchant: merchantId, warehouse, sku, onHand: adjustment.onHandDelta, at }) as LevelRow | undefined;
        if (!row) {
          const exists = this.#db
            .sql('SELECT 1 FROM inventory_levels WHERE merchant_id = ? AND warehouse_id = ? AND sku = ?')
            .get(merchantId, warehouse, sku);
          return { ok: false, reason: exists ? 'below_zero' : 'not_found' };
        }
        writeMovement(this.#db, merchantId, { warehouse, sku, ...adjustment, reservedDelta: 0, reason: 'adjust' }, at);
        return { ok: true, level: toLevel(row) };
      })
      .immediate();
  }

  async stockMovements(merchantId: string, sku: string, limit: number): Promise<StockMovement[]> {
    const rows = this.#db
      .sql(
        `SELECT ${MOVEMENT_COLUMNS} FROM stock_movements
         WHERE merchant_id = ? AND sku = ? ORDER BY id DESC LIMIT ?`,
      )
      .all(merchantId, sku, limit) as MovementRow[];
    return rows.map(toMovement);
  }
}
