/** The SQLite store as a whole: migrations, service secrets, closing. */
import { randomBytes } from 'node:crypto';
import type { ServiceStore } from '../ports/service.ts';
import type { SqliteDatabase } from './database.ts';
import { SQLITE_MIGRATIONS } from './migrations.ts';

export class SqliteService implements ServiceStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async migrate(): Promise<void> {
    this.#db.raw.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const applied = new Set(
      (this.#db.sql('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
    );
    for (const migration of SQLITE_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      this.#db.raw
        .transaction(() => {
          this.#db.raw.exec(migration.sql);
          this.#db
            .sql('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(migration.version, migration.name, this.#db.now());
        })
        .immediate();
    }
  }

  async pendingMigrations(): Promise<number> {
    const table = this.#db.sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (!table) return SQLITE_MIGRATIONS.length;
    const rows = this.#db.sql('SELECT version FROM schema_migrations').all() as { version: number }[];
    const applied = new Set(rows.map((r) => r.version));
    return SQLITE_MIGRATIONS.filter((m) => !applied.has(m.version)).length;
  }

  async serviceSecret(name: string): Promise<string> {
    this.#db
      .sql('INSERT INTO service_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
      .run(name, randomBytes(32).toString('base64url'), this.#db.now());
    return (this.#db.sql('SELECT value FROM service_secrets WHERE name = ?').get(name) as { value: string }).value;
  }

  async onStockChange(): Promise<() => Promise<void>> {
    // One process per SQLite file: every change already went through this process's own caches.
    return async () => {};
  }

  async close(): Promise<void> {
    if (this.#db.raw.open) this.#db.raw.close();
  }
}
