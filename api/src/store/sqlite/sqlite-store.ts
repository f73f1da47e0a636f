/**
 * The embedded store: SQLite through better-sqlite3, one process per data folder. One class per port, each in
 * its file, over one `SqliteDatabase`; the port is asynchronous so that the PostgreSQL adapter fits the same
 * shape.
 */
import { asStore, composeStore } from '../compose.ts';
import type { Store } from '../store.ts';
import { SqliteChannels } from './channels.ts';
import { SqliteDatabase, type SqliteStoreOptions } from './database.ts';
import { SqliteExceptions } from './exceptions.ts';
import { SqliteIdempotency } from './idempotency.ts';
import { SqliteInventory } from './inventory.ts';
import { SqliteOrders } from './orders.ts';
import { SqliteOutbox } from './outbox.ts';
import { SqliteService } from './service.ts';
import { SqliteSessions } from './sessions.ts';
import { SqliteTracking } from './tracking.ts';
import { SqliteTransitHistory } from './transit-history.ts';
import { SqliteWebhooks } from './webhooks.ts';

export type { SqliteStoreOptions };

export function sqliteStore(options: SqliteStoreOptions): Store {
  const db = new SqliteDatabase(options);
  return asStore(
    composeStore(
      new SqliteService(db),
      new SqliteInventory(db),
      new SqliteIdempotency(db),
      new SqliteOrders(db),
      new SqliteOutbox(db),
      new SqliteTracking(db),
      new SqliteWebhooks(db),
      new SqliteExceptions(db),
      new SqliteTransitHistory(db),
      new SqliteChannels(db),
      new SqliteSessions(db),
    ),
  );
}
