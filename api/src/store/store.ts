/**
 * The store: everything Promesse keeps, as one port per concern (ports/), and `Store` their intersection. One
 * adapter per database (SQLite embedded, PostgreSQL at scale), each split the same way into a file per port and
 * held to the same contract test suite. Every record belongs to one merchant, and every call names the merchant
 * it acts for.
 */
import type { ChannelStore } from './ports/channels.ts';
import type { ExceptionStore } from './ports/exceptions.ts';
import type { IdempotencyStore } from './ports/idempotency.ts';
import type { InventoryStore } from './ports/inventory.ts';
import type { OrderStore } from './ports/orders.ts';
import type { OutboxStore } from './ports/outbox.ts';
import type { ServiceStore } from './ports/service.ts';
import type { SessionStore } from './ports/sessions.ts';
import type { TrackingStore } from './ports/tracking.ts';
import type { TransitHistoryStore } from './ports/transit-history.ts';
import type { WebhookStore } from './ports/webhooks.ts';

export type * from './ports/channels.ts';
export type * from './ports/exceptions.ts';
export type * from './ports/idempotency.ts';
export type * from './ports/inventory.ts';
export { StockInvariantError } from './ports/inventory.ts';
export type * from './ports/orders.ts';
export type * from './ports/outbox.ts';
export type * from './ports/service.ts';
export type * from './ports/sessions.ts';
export type * from './ports/tracking.ts';
export type * from './ports/transit-history.ts';
export type * from './ports/webhooks.ts';

export type Store = ServiceStore &
  InventoryStore &
  IdempotencyStore &
  OrderStore &
  OutboxStore &
  TrackingStore &
  WebhookStore &
  ExceptionStore &
  TransitHistoryStore &
  ChannelStore &
  SessionStore;
