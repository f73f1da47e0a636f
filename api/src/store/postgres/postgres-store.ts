/**
 * The scale-out store: PostgreSQL, for any number of API processes sharing one database. One class per port,
 * each in its file, over one `PostgresDatabase`.
 */
import { asStore, composeStore } from '../compose.ts';
import type { Store } from '../store.ts';
import { PostgresChannels } from './channels.ts';
import { LISTENER_NAME, PostgresDatabase, type PostgresStoreOptions } from './database.ts';
import { PostgresExceptions } from './exceptions.ts';
import { PostgresIdempotency } from './idempotency.ts';
import { PostgresInventory } from './inventory.ts';
import { PostgresOrders } from './orders.ts';
import { PostgresOutbox } from './outbox.ts';
import { PostgresService } from './service.ts';
import { PostgresSessions } from './sessions.ts';
import { PostgresTracking } from './tracking.ts';
import { PostgresTransitHistory } from './transit-history.ts';
import { PostgresWebhooks } from './webhooks.ts';

export { LISTENER_NAME, type PostgresStoreOptions };

/** The store, and (tests) dropping its schema. */
export type PostgresStore = Store & { dropSchema(): Promise<void> };

export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const db = new PostgresDatabase(options);
  return asStore(
    composeStore(
      new PostgresService(db),
      new PostgresInventory(db),
      new PostgresIdempotency(db),
      new PostgresOrders(db),
      new PostgresOutbox(db),
      new PostgresTracking(db),
      new PostgresWebhooks(db),
      new PostgresExceptions(db),
      new PostgresTransitHistory(db),
      new PostgresChannels(db),
      new PostgresSessions(db),
    ),
  );
}
