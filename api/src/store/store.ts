/**
 * The store port: everything Promesse keeps. One interface, one adapter per database (SQLite embedded,
 * PostgreSQL at scale), held to the same contract test suite. Every record belongs to one merchant, and every
 * call names the merchant it acts for.
 */
import type { InventoryUpdate } from '../../../shared/src/inventory.ts';
import type { Order } from '../../../shared/src/orders.ts';
import type { Reservation } from '../booking/plan-order.ts';
import type { StockLevel } from '../promise/availability.ts';

/** What the first request with an idempotency key finds. */
export type IdempotencyClaim =
  | { state: 'new' }
  | { state: 'in_progress' }
  | { state: 'mismatch' }
  | { state: 'replay'; statusCode: number; body: string };

/** A message for the pipeline, written in the same transaction as the change it announces. */
export interface OutboxMessage {
  type: string;
  orderId: string;
  payload: Record<string, unknown>;
  /** what bounds this job's concurrency besides its merchant (a webhook endpoint's id); none when absent */
  laneKey?: string;
}

/** The response of a claimed idempotency key, stored in the same transaction as the order it answers with. */
export interface IdempotentResponse {
  key: string;
  statusCode: number;
  body: string;
  now: number;
}

export type PlaceOrderResult =
  | { ok: true }
  | { ok: false; reason: 'out_of_stock'; failed: Reservation[] }
  | { ok: false; reason: 'duplicate_reference'; orderId: string };

/** What a change to an order decides, given the order as stored (inside the transaction). */
export type OrderChange<E> =
  | {
      ok: true;
      order: Order;
      /** reservations given back (cancellation) */
      releases?: Reservation[];
      /** reservations that leave as shipments: on hand and reserved both drop */
      consumes?: Reservation[];
      outbox?: OutboxMessage[];
    }
  | { ok: false; error: E };

/** One line of the stock ledger: why a level moved. */
export interface StockMovement {
  at: string;
  warehouse: string;
  sku: string;
  onHandDelta: number;
  reservedDelta: number;
  reason: 'seed' | 'set' | 'import' | 'reserve' | 'release' | 'ship' | 'adjust';
  orderId: string | null;
  /** why someone adjusted the level by hand (`adjust`); null otherwise */
  note: string | null;
}

/** A correction of a level by hand (a count, a reservation left behind): deltas and the reason, for the ledger. */
export interface StockAdjustment {
  onHandDelta: number;
  reservedDelta: number;
  note: string;
  orderId: string | null;
}

/** Why an adjustment was refused: the level does not exist, or it would go below zero. */
export type AdjustmentResult = { ok: true; level: StockLevel } | { ok: false; reason: 'not_found' | 'below_zero' };

/** Raised inside a store transaction when stock would leave more than a level holds: a bug, never input. */
export class StockInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StockInvariantError';
  }
}

/** One outbox row as the relay sees it. */
export interface OutboxJob {
  id: number;
  merchantId: string;
  orderId: string;
  type: string;
  payload: Record<string, unknown>;
  laneKey: string | null;
  state: 'pending' | 'running' | 'done' | 'dead';
  attempts: number;
  lastError: string | null;
  availableAt: string;
  createdAt: string;
}

/** A carrier label as stored: the first one created for a shipment is the only one. */
export interface StoredLabel {
  shipmentId: string;
  orderId?: string | null;
  carrier: string;
  trackingNumber: string;
  pdf: Uint8Array;
}

/** Where a merchant wants events delivered (Standard Webhooks). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  /** event types, or "*" for all */
  events: string[];
  description: string | null;
  secret: string;
  /** the secret before the last rotation, still signed with until `previousUntil` */
  previousSecret: string | null;
  previousUntil: number | null;
  state: 'enabled' | 'disabled';
  disabledReason: string | null;
  /** when the current run of failed attempts began */
  failingSince: number | null;
  createdAt: string;
}

/** One delivery attempt, for the endpoint's message log. */
export interface WebhookAttempt {
  endpointId: string;
  messageId: string;
  eventType: string;
  attempt: number;
  at: string;
  status: number | null;
  durationMs: number;
  error: string | null;
  /** the first few hundred characters of the answer, never more */
  excerpt: string | null;
  /**
   * `answered` (any status), `no_answer` (connected, then silence past the timeout or a cut connection),
   * `no_connection` (refused, unreachable, or no connection within the timeout), `refused_url` (the SSRF guard)
   */
  outcome: 'answered' | 'no_answer' | 'no_connection' | 'refused_url';
}

/** Which jobs a worker's lane takes, and what it must leave alone because it is already busy with it. */
export interface OutboxClaimFilter {
  /** only these job types */
  types?: readonly string[];
  /** every type but these */
  exceptTypes?: readonly string[];
  /** at most this many jobs of one merchant, and of one lane key, in one claim */
  perMerchant?: number;
  perLaneKey?: number;
  /** merchants and lane keys the worker already runs as many jobs of as it may */
  busyMerchants?: readonly string[];
  busyLaneKeys?: readonly string[];
}

/** How the outbox stands, for metrics: jobs by state and the oldest job still waiting. */
export interface OutboxStats {
  pending: number;
  running: number;
  dead: number;
  /** when the oldest pending job was written, or null */
  oldestPendingAt: string | null;
}

/** A shipment the tracking poller watches, due for a look at `nextCheckAt`. */
export interface WatchedShipment {
  merchantId: string;
  orderId: string;
  shipmentId: string;
}

/** Something that needs someone: the merchant's team works through these. */
export interface ShipmentException {
  id: string;
  /** `shipment`: carrier news or silence about a parcel; `outbox`: a job that gave up (a webhook, a label) */
  kind: 'shipment' | 'outbox';
  orderId: string;
  /** null when the exception is not about one shipment */
  shipmentId: string | null;
  reason:
    | 'failed_attempt'
    | 'exception'
    | 'returned_to_sender'
    | 'no_scan'
    | 'late'
    | 'label_voided'
    | 'delivery_failed'
    | 'job_failed';
  nextAction: string;
  detail: string | null;
  state: 'open' | 'acknowledged' | 'resolved';
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Store {
  /** Creates or upgrades the schema. Safe to call on every start. */
  migrate(): Promise<void>;
  /** Inserts the levels a merchant's config seeds, only where the store has none for that warehouse and sku. */
  seedInventory(merchantId: string, levels: readonly StockLevel[]): Promise<number>;
  /** The levels of some skus, every warehouse; a sku with no level has no row. */
  inventoryLevels(merchantId: string, skus: readonly string[]): Promise<StockLevel[]>;
  /**
   * Replaces the given fields of one level (creating it at zero when absent) and returns the new level.
   * `reserved` is never written here, so a concurrent reservation is never lost.
   */
  updateInventory(
    merchantId: string,
    warehouse: string,
    sku: string,
    update: InventoryUpdate,
    reason?: 'set' | 'import',
  ): Promise<StockLevel>;
  /**
   * Corrects a level by hand with a reason kept in the ledger. Conditional: refused (nothing written) when the
   * level does not exist or on hand or reserved would go below zero.
   */
  adjustInventory(
    merchantId: string,
    warehouse: string,
    sku: string,
    adjustment: StockAdjustment,
    now: number,
  ): Promise<AdjustmentResult>;
  /** The ledger of a sku, newest first. */
  stockMovements(merchantId: string, sku: string, limit: number): Promise<StockMovement[]>;

  /** Claims an idempotency key for a request (by the hash of its body), or says why it cannot. */
  claimIdempotencyKey(merchantId: string, key: string, requestHash: string, now: number): Promise<IdempotencyClaim>;
  /** Stores the final response of a claimed key, kept for at least 24 hours. */
  completeIdempotencyKey(merchantId: string, key: string, statusCode: number, body: string, now: number): Promise<void>;
  /** Lets a claimed key go without a stored response (answers a retry may fix: 400, 422, 429). */
  releaseIdempotencyKey(merchantId: string, key: string): Promise<void>;

  /**
   * In one transaction: reserves every reservation with a conditional update (never read-modify-write), stores
   * the order, its ledger lines and its outbox messages. Nothing is written when any reservation fails or the
   * reference is taken.
   */
  placeOrder(
    merchantId: string,
    order: Order,
    reservations: readonly Reservation[],
    outbox: readonly OutboxMessage[],
    idempotency?: IdempotentResponse,
  ): Promise<PlaceOrderResult>;
  getOrder(merchantId: string, id: string): Promise<Order | null>;
  findOrders(merchantId: string, query: { reference: string; channel?: string | null }): Promise<Order[]>;
  /** Changes an order in one transaction: `change` sees the stored order and decides; stock and outbox follow. */
  changeOrder<E>(
    merchantId: string,
    id: string,
    change: (order: Order) => OrderChange<E>,
  ): Promise<OrderChange<E> | null>;

  /**
   * Leases up to `limit` due outbox jobs to a worker until `now + leaseMs`: pending ones whose time has come, and
   * running ones whose lease expired (their worker died). Jobs of one order run in order: a job waits while an
   * earlier job of its order is pending or running (a dead one no longer holds the others back). Merchants take
   * turns: a claim takes each merchant's first due job before any merchant's second. Concurrent workers never
   * get the same job.
   */
  claimOutboxJobs(
    workerId: string,
    limit: number,
    now: number,
    leaseMs: number,
    filter?: OutboxClaimFilter,
  ): Promise<OutboxJob[]>;
  /** Marks a leased job done (a no-op when the lease was lost to another worker). */
  completeOutboxJob(id: number, workerId: string): Promise<void>;
  /** Records a failed attempt: back to pending at `retryAt`, or dead when `retryAt` is null. */
  failOutboxJob(id: number, workerId: string, error: string, retryAt: number | null): Promise<void>;
  /** Gives back the jobs a worker holds (graceful shutdown), or only the given ones (over a lane's limits). */
  releaseOutboxJobs(workerId: string, ids?: readonly number[]): Promise<void>;
  listOutboxJobs(merchantId: string, state: OutboxJob['state'], limit: number): Promise<OutboxJob[]>;
  /** Jobs by state over every merchant, and the oldest pending one (metrics). */
  outboxStats(): Promise<OutboxStats>;
  /** Sends a dead job round again from its first attempt; false when there is no such dead job. */
  replayOutboxJob(merchantId: string, id: number, now: number): Promise<boolean>;
  /**
   * Stores a label unless the shipment has one, and returns the one stored. A new label's shipment is watched
   * by the tracking poller from `now`.
   */
  saveLabel(merchantId: string, label: StoredLabel, now: number): Promise<StoredLabel>;
  getLabel(merchantId: string, shipmentId: string): Promise<StoredLabel | null>;
  /** The shipment a tracking number belongs to (through its label), with the carrier that labelled it. */
  findByTrackingNumber(
    merchantId: string,
    trackingNumber: string,
  ): Promise<{ orderId: string; shipmentId: string; carrier: string } | null>;
  /** Watched shipments due for a tracking poll at `now`, longest waiting first, every merchant. */
  dueForTracking(now: number, limit: number): Promise<WatchedShipment[]>;
  /** When to look at a watched shipment again; null stops watching it (settled, or given up). */
  rescheduleTracking(merchantId: string, shipmentId: string, nextCheckAt: number | null): Promise<void>;
  /** Keeps tracking events once, in one transaction: per event, false when it (shipment and key) was seen before. */
  recordTrackingEvents(
    merchantId: string,
    events: readonly { shipmentId: string; key: string; status: string; code: string; occurredAt: string }[],
    now: number,
  ): Promise<boolean[]>;

  /** The webhook delivery job of a message id (its newest), for replaying it from the endpoint's log. */
  findDeliveryJob(merchantId: string, messageId: string): Promise<OutboxJob | null>;
  /** Adds outbox messages outside any order change (fan-out of events to webhook endpoints). */
  enqueueOutbox(merchantId: string, messages: readonly OutboxMessage[], now: number): Promise<void>;
  saveWebhookEndpoint(merchantId: string, endpoint: WebhookEndpoint): Promise<void>;
  getWebhookEndpoint(merchantId: string, id: string): Promise<WebhookEndpoint | null>;
  listWebhookEndpoints(merchantId: string): Promise<WebhookEndpoint[]>;
  deleteWebhookEndpoint(merchantId: string, id: string): Promise<boolean>;
  recordWebhookAttempt(merchantId: string, attempt: WebhookAttempt): Promise<void>;
  webhookAttempts(merchantId: string, endpointId: string, limit: number): Promise<WebhookAttempt[]>;

  /** Opens an exception unless one with the same id exists; true when it is new. */
  openException(merchantId: string, exception: ShipmentException): Promise<boolean>;
  listExceptions(merchantId: string, state: ShipmentException['state'], limit: number): Promise<ShipmentException[]>;
  updateException(
    merchantId: string,
    id: string,
    change: { state: ShipmentException['state']; note: string | null; updatedAt: string },
  ): Promise<ShipmentException | null>;
  /**
   * Orders whose shipments may still be moving (for the exception scan), every merchant, a page at a time in
   * order id order: the next page starts after the last id of this one.
   */
  ordersInFlight(page: { after: string | null; limit: number }): Promise<{ merchantId: string; order: Order }[]>;

  /** A service-wide secret by name, generated once and kept, so every process sharing the store agrees on it. */
  serviceSecret(name: string): Promise<string>;
  /**
   * Calls `listener` when another process changes a merchant's stock (for caches), and `('*', '*')` when changes
   * may have been missed; `onLive` says whether changes are being heard at all (false while reconnecting).
   * Returns an unsubscribe.
   */
  onStockChange(
    listener: (merchantId: string, sku: string) => void,
    onLive?: (live: boolean) => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
