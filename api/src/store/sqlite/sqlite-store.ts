/**
 * The embedded store: one SQLite file under PROMESSE_DATA_DIR, in WAL mode so readers never wait for the writer.
 * better-sqlite3 is synchronous; the port is asynchronous so that the PostgreSQL adapter fits the same shape.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { InventoryUpdate } from '../../../../shared/src/inventory.ts';
import type { StockLevel } from '../../promise/availability.ts';
import type { Store } from '../store.ts';
import { SQLITE_MIGRATIONS } from './migrations.ts';

interface LevelRow {
  warehouse_id: string;
  sku: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  incoming: string;
}

function toLevel(row: LevelRow): StockLevel {
  return {
    warehouse: row.warehouse_id,
    sku: row.sku,
    onHand: row.on_hand,
    reserved: row.reserved,
    safetyStock: row.safety_stock,
    incoming: JSON.parse(row.incoming) as StockLevel['incoming'],
  };
}

export interface SqliteStoreOptions {
  /** a folder for the database file, or ':memory:' for tests */
  dataDir: string;
  clock?: () => number;
}

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #clock: () => number;

  constructor({ dataDir, clock = Date.now }: SqliteStoreOptions) {
    if (dataDir === ':memory:') {
      this.#db = new Database(':memory:');
    } else {
      mkdirSync(dataDir, { recursive: true });
      this.#db = new Database(join(dataDir, 'promesse.sqlite'));
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = NORMAL');
    }
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('foreign_keys = ON');
    this.#clock = clock;
  }

  #now(): string {
    return new Date(this.#clock()).toISOString();
  }

  async migrate(): Promise<void> {
    this.#db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const applied = new Set(
      (this.#db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
    );
    for (const migration of SQLITE_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      this.#db
        .transaction(() => {
          this.#db.exec(migration.sql);
          this.#db
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(migration.version, migration.name, this.#now());
        })
        .immediate();
    }
  }

  async seedInventory(merchantId: string, levels: readonly StockLevel[]): Promise<number> {
    const insert = this.#db.prepare(
      `INSERT INTO inventory_levels (merchant_id, warehouse_id, sku, on_hand, reserved, safety_stock, incoming, updated_at)
       VALUES (?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    const now = this.#now();
    return this.#db.transaction(() => {
      let inserted = 0;
      for (const level of levels) {
        inserted += insert.run(
          merchantId,
          level.warehouse,
          level.sku,
          level.onHand,
          level.safetyStock,
          JSON.stringify(level.incoming),
          now,
        ).changes;
      }
      return inserted;
    })();
  }

  async inventoryLevels(merchantId: string, skus: readonly string[]): Promise<StockLevel[]> {
    if (skus.length === 0) return [];
    const rows = this.#db
      .prepare(
        `SELECT warehouse_id, sku, on_hand, reserved, safety_stock, incoming FROM inventory_levels
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
  ): Promise<StockLevel> {
    // One statement: given fields replace, omitted ones keep the stored value, and `reserved` is never touched,
    // so a concurrent reservation cannot be lost.
    const row = this.#db
      .prepare(
        `INSERT INTO inventory_levels (merchant_id, warehouse_id, sku, on_hand, reserved, safety_stock, incoming, updated_at)
         VALUES (@merchant, @warehouse, @sku, coalesce(@onHand, 0), 0, coalesce(@safetyStock, 0), coalesce(@incoming, '[]'), @now)
         ON CONFLICT (merchant_id, sku, warehouse_id) DO UPDATE SET
           on_hand = coalesce(@onHand, on_hand),
           safety_stock = coalesce(@safetyStock, safety_stock),
           incoming = coalesce(@incoming, incoming),
           updated_at = @now
         RETURNING warehouse_id, sku, on_hand, reserved, safety_stock, incoming`,
      )
      .get({
        merchant: merchantId,
        warehouse,
        sku,
        onHand: update.onHand ?? null,
        safetyStock: update.safetyStock ?? null,
        incoming: update.incoming ? JSON.stringify(update.incoming) : null,
        now: this.#now(),
      }) as LevelRow;
    return toLevel(row);
  }

  async serviceSecret(name: string): Promise<string> {
    this.#db
      .prepare('INSERT INTO service_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
      .run(name, randomBytes(32).toString('base64url'), this.#now());
    return (this.#db.prepare('SELECT value FROM service_secrets WHERE name = ?').get(name) as { value: string }).value;
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
