/** The SQLite schema, one entry per version. Applied in order at start; never edit a released entry. */
export const SQLITE_MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'inventory levels and service secrets',
    sql: `
      CREATE TABLE inventory_levels (
        merchant_id   TEXT    NOT NULL,
        warehouse_id  TEXT    NOT NULL,
        sku           TEXT    NOT NULL,
        on_hand       INTEGER NOT NULL CHECK (on_hand >= 0),
        reserved      INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        safety_stock  INTEGER NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
        incoming      TEXT    NOT NULL DEFAULT '[]',
        updated_at    TEXT    NOT NULL,
        PRIMARY KEY (merchant_id, sku, warehouse_id)
      ) WITHOUT ROWID;
      CREATE TABLE service_secrets (
        name       TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
];
