/**
 * The embedded store: one SQLite file under PROMESSE_DATA_DIR, in WAL mode so readers never wait for the writer.
 * better-sqlite3 is synchronous, so every transaction here runs to its end without interleaving; the port is
 * asynchronous so that the PostgreSQL adapter fits the same shape. One process per file.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { InventoryUpdate } from '../../../../shared/src/inventory.ts';
import type { Order } from '../../../../shared/src/orders.ts';
import type { Reservation } from '../../booking/plan-order.ts';
import type { StockLevel } from '../../promise/availability.ts';
import { type OutboxRow, toJob } from '../outbox-row.ts';
import type {
  AdjustmentResult,
  IdempotencyClaim,
  IdempotentResponse,
  OrderChange,
  OutboxClaimFilter,
  OutboxJob,
  OutboxMessage,
  OutboxStats,
  PlaceOrderResult,
  ShipmentException,
  StockAdjustment,
  StockMovement,
  Store,
  StoredLabel,
  WatchedShipment,
  WebhookAttempt,
  WebhookEndpoint,
} from '../store.ts';
import { StockInvariantError } from '../store.ts';
import {
  IDEMPOTENCY_LOCK_MS,
  IDEMPOTENCY_TTL_MS,
  IN_FLIGHT_SQL,
  incomingTotal,
  type MovementRow,
  toMovement,
} from '../store-rules.ts';
import {
  type AttemptRow,
  type EndpointRow,
  type ExceptionRow,
  toAttempt,
  toEndpoint,
  toException,
} from '../webhook-rows.ts';
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

const LEVEL_COLUMNS = 'warehouse_id, sku, on_hand, reserved, safety_stock, incoming';

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
      // Fewer, larger checkpoints (each syncs the database file): ~600 bookings between them instead of ~150.
      this.#db.pragma('wal_autocheckpoint = 4000');
      this.#db.pragma('journal_size_limit = 67108864');
    }
    this.#db.pragma('busy_timeout = 5000');
    this.#clock = clock;
  }

  readonly #statements = new Map<string, Database.Statement>();

  /** A prepared statement, prepared once: preparing costs more than running most of these. */
  #sql(source: string): Database.Statement {
    let statement = this.#statements.get(source);
    if (!statement) {
      statement = this.#db.prepare(source);
      this.#statements.set(source, statement);
    }
    return statement;
  }

  #now(): string {
    return new Date(this.#clock()).toISOString();
  }

  async migrate(): Promise<void> {
    this.#db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const applied = new Set(
      (this.#sql('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
    );
    for (const migration of SQLITE_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      this.#db
        .transaction(() => {
          this.#db.exec(migration.sql);
          this.#sql('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
            migration.version,
            migration.name,
            this.#now(),
          );
        })
        .immediate();
    }
  }

  #movement(
    merchantId: string,
    m: Omit<StockMovement, 'at' | 'orderId' | 'note'> & { orderId?: string | null; note?: string | null },
    at: string,
  ): void {
    if (m.onHandDelta === 0 && m.reservedDelta === 0) return;
    this.#sql(
      `INSERT INTO stock_movements (merchant_id, warehouse_id, sku, on_hand_delta, reserved_delta, reason, order_id, note, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      merchantId,
      m.warehouse,
      m.sku,
      m.onHandDelta,
      m.reservedDelta,
      m.reason,
      m.orderId ?? null,
      m.note ?? null,
      at,
    );
  }

  async seedInventory(merchantId: string, levels: readonly StockLevel[]): Promise<number> {
    const insert = this.#sql(
      `INSERT INTO inventory_levels (merchant_id, warehouse_id, sku, on_hand, reserved, safety_stock, incoming, incoming_total, updated_at)
       VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    const now = this.#now();
    return this.#db.transaction(() => {
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
          this.#movement(merchantId, { ...level, onHandDelta: level.onHand, reservedDelta: 0, reason: 'seed' }, now);
        }
      }
      return inserted;
    })();
  }

  async inventoryLevels(merchantId: string, skus: readonly string[]): Promise<StockLevel[]> {
    if (skus.length === 0) return [];
    const rows = this.#sql(
      `SELECT ${LEVEL_COLUMNS} FROM inventory_levels
         WHERE merchant_id = ? AND sku IN (SELECT value FROM json_each(?)) ORDER BY sku, warehouse_id`,
    ).all(merchantId, JSON.stringify(skus)) as LevelRow[];
    return rows.map(toLevel);
  }

  async updateInventory(
    merchantId: string,
    warehouse: string,
    sku: string,
    update: InventoryUpdate,
    reason: 'set' | 'import' = 'set',
  ): Promise<StockLevel> {
    const now = this.#now();
    return this.#db.transaction(() => {
      const before = this.#sql(
        'SELECT on_hand FROM inventory_levels WHERE merchant_id = ? AND warehouse_id = ? AND sku = ?',
      ).get(merchantId, warehouse, sku) as { on_hand: number } | undefined;
      // Given fields replace, omitted ones keep the stored value, and `reserved` is never touched.
      const row = this.#sql(
        `INSERT INTO inventory_levels (merchant_id, warehouse_id, sku, on_hand, reserved, safety_stock, incoming, incoming_total, updated_at)
           VALUES (@merchant, @warehouse, @sku, coalesce(@onHand, 0), 0, coalesce(@safetyStock, 0), coalesce(@incoming, '[]'), coalesce(@incomingTotal, 0), @now)
           ON CONFLICT (merchant_id, sku, warehouse_id) DO UPDATE SET
             on_hand = coalesce(@onHand, on_hand),
             safety_stock = coalesce(@safetyStock, safety_stock),
             incoming = coalesce(@incoming, incoming),
             incoming_total = coalesce(@incomingTotal, incoming_total),
             updated_at = @now
           RETURNING ${LEVEL_COLUMNS}`,
      ).get({
        merchant: merchantId,
        warehouse,
        sku,
        onHand: update.onHand ?? null,
        safetyStock: update.safetyStock ?? null,
        incoming: update.incoming ? JSON.stringify(update.incoming) : null,
        incomingTotal: update.incoming ? incomingTotal(update.incoming) : null,
        now,
      }) as LevelRow;
      this.#movement(
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
    return this.#db
      .transaction((): AdjustmentResult => {
        const row = this.#sql(
          `UPDATE inventory_levels SET on_hand = on_hand + @onHand, reserved = reserved + @reserved, updated_at = @at
             WHERE merchant_id = @merchant AND warehouse_id = @warehouse AND sku = @sku
               AND on_hand + @onHand >= 0 AND reserved + @reserved >= 0
             RETURNING ${LEVEL_COLUMNS}`,
        ).get({
          merchant: merchantId,
          warehouse,
          sku,
          onHand: adjustment.onHandDelta,
          reserved: adjustment.reservedDelta,
          at,
        }) as LevelRow | undefined;
        if (!row) {
          const exists = this.#sql(
            'SELECT 1 FROM inventory_levels WHERE merchant_id = ? AND warehouse_id = ? AND sku = ?',
          ).get(merchantId, warehouse, sku);
          return { ok: false, reason: exists ? 'below_zero' : 'not_found' };
        }
        this.#movement(merchantId, { warehouse, sku, ...adjustment, reason: 'adjust' }, at);
        return { ok: true, level: toLevel(row) };
      })
      .immediate();
  }

  async stockMovements(merchantId: string, sku: string, limit: number): Promise<StockMovement[]> {
    const rows = this.#sql(
      `SELECT at, warehouse_id, sku, on_hand_delta, reserved_delta, reason, order_id, note FROM stock_movements
         WHERE merchant_id = ? AND sku = ? ORDER BY id DESC LIMIT ?`,
    ).all(merchantId, sku, limit) as MovementRow[];
    return rows.map(toMovement);
  }

  async claimIdempotencyKey(
    merchantId: string,
    key: string,
    requestHash: string,
    now: number,
  ): Promise<IdempotencyClaim> {
    return this.#db
      .transaction((): IdempotencyClaim => {
        const row = this.#sql(
          'SELECT request_hash, state, status_code, response_body, locked_at, expires_at FROM idempotency_keys WHERE merchant_id = ? AND key = ?',
        ).get(merchantId, key) as
          | {
              request_hash: string;
              state: string;
              status_code: number | null;
              response_body: string | null;
              locked_at: number;
              expires_at: number;
            }
          | undefined;
        const claim = () => {
          this.#sql(
            `INSERT INTO idempotency_keys (merchant_id, key, request_hash, state, locked_at, expires_at) VALUES (?, ?, ?, 'in_progress', ?, ?)
               ON CONFLICT (merchant_id, key) DO UPDATE SET request_hash = excluded.request_hash, state = 'in_progress',
                 status_code = NULL, response_body = NULL, locked_at = excluded.locked_at, expires_at = excluded.expires_at`,
          ).run(merchantId, key, requestHash, now, now + IDEMPOTENCY_TTL_MS);
          return { state: 'new' } as const;
        };
        if (!row || row.expires_at <= now) return claim();
        if (row.request_hash !== requestHash) return { state: 'mismatch' };
        if (row.state === 'in_progress')
          return row.locked_at + IDEMPOTENCY_LOCK_MS < now ? claim() : { state: 'in_progress' };
        return { state: 'replay', statusCode: row.status_code ?? 500, body: row.response_body ?? '' };
      })
      .immediate();
  }

  async completeIdempotencyKey(
    merchantId: string,
    key: string,
    statusCode: number,
    body: string,
    now: number,
  ): Promise<void> {
    this.#completeKey(merchantId, { key, statusCode, body, now });
  }

  #completeKey(merchantId: string, { key, statusCode, body, now }: IdempotentResponse): void {
    this.#sql(
      `UPDATE idempotency_keys SET state = 'done', status_code = ?, response_body = ?, expires_at = ?
         WHERE merchant_id = ? AND key = ?`,
    ).run(statusCode, body, now + IDEMPOTENCY_TTL_MS, merchantId, key);
  }

  async releaseIdempotencyKey(merchantId: string, key: string): Promise<void> {
    this.#sql(`DELETE FROM idempotency_keys WHERE merchant_id = ? AND key = ? AND state = 'in_progress'`).run(
      merchantId,
      key,
    );
  }

  #reserve(merchantId: string, r: Reservation, orderId: string, at: string): boolean {
    // Conditional update: the check and the write are one statement, so no other booking can slip between.
    const { changes } = this.#sql(
      `UPDATE inventory_levels SET reserved = reserved + @quantity, updated_at = @at
         WHERE merchant_id = @merchant AND warehouse_id = @warehouse AND sku = @sku
           AND on_hand - reserved - safety_stock + (CASE WHEN @backorder THEN incoming_total ELSE 0 END) >= @quantity`,
    ).run({
      merchant: merchantId,
      warehouse: r.warehouse,
      sku: r.sku,
      quantity: r.quantity,
      backorder: r.backorder ? 1 : 0,
      at,
    });
    if (changes === 1)
      this.#movement(merchantId, { ...r, onHandDelta: 0, reservedDelta: r.quantity, reason: 'reserve', orderId }, at);
    return changes === 1;
  }

  #adjust(merchantId: string, r: Reservation, kind: 'release' | 'ship', orderId: string, at: string): void {
    const onHand = kind === 'ship' ? r.quantity : 0;
    // Never clamped: taking more than a level holds would eat other orders' reservations, so it is a fault.
    const { changes } = this.#sql(
      `UPDATE inventory_levels SET reserved = reserved - ?, on_hand = on_hand - ?, updated_at = ?
         WHERE merchant_id = ? AND warehouse_id = ? AND sku = ? AND reserved >= ? AND on_hand >= ?`,
    ).run(r.quantity, onHand, at, merchantId, r.warehouse, r.sku, r.quantity, onHand);
    if (changes !== 1)
      throw new StockInvariantError(
        `${kind} of ${r.quantity} ${r.sku} at ${r.warehouse} exceeds the level (${orderId})`,
      );
    this.#movement(merchantId, { ...r, onHandDelta: -onHand, reservedDelta: -r.quantity, reason: kind, orderId }, at);
  }

  #outbox(merchantId: string, messages: readonly OutboxMessage[], at: string): void {
    const insert = this.#sql(
      'INSERT INTO outbox (merchant_id, order_id, type, payload, lane_key, available_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const m of messages)
      insert.run(merchantId, m.orderId, m.type, JSON.stringify(m.payload), m.laneKey ?? null, at, at);
  }

  async placeOrder(
    merchantId: string,
    order: Order,
    reservations: readonly Reservation[],
    outbox: readonly OutboxMessage[],
    idempotency?: IdempotentResponse,
  ): Promise<PlaceOrderResult> {
    const at = order.createdAt;
    const fail = new Error('rollback');
    let result: PlaceOrderResult = { ok: true };
    try {
      this.#db
        .transaction(() => {
          const existing = this.#sql(
            'SELECT id FROM orders WHERE merchant_id = ? AND channel = ? AND reference = ?',
          ).get(merchantId, order.channel ?? '', order.reference) as { id: string } | undefined;
          if (existing) {
            result = { ok: false, reason: 'duplicate_reference', orderId: existing.id };
            throw fail;
          }
          const failed = reservations.filter((r) => !this.#reserve(merchantId, r, order.id, at));
          if (failed.length > 0) {
            result = { ok: false, reason: 'out_of_stock', failed };
            throw fail;
          }
          this.#sql(
            'INSERT INTO orders (merchant_id, id, reference, channel, status, document, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          ).run(
            merchantId,
            order.id,
            order.reference,
            order.channel ?? '',
            order.status,
            JSON.stringify(order),
            at,
            at,
          );
          this.#outbox(merchantId, outbox, at);
          if (idempotency) this.#completeKey(merchantId, idempotency);
        })
        .immediate();
    } catch (error) {
      if (error !== fail) throw error;
    }
    return result;
  }

  async getOrder(merchantId: string, id: string): Promise<Order | null> {
    const row = this.#sql('SELECT document FROM orders WHERE merchant_id = ? AND id = ?').get(merchantId, id) as
      | { document: string }
      | undefined;
    return row ? (JSON.parse(row.document) as Order) : null;
  }

  async findOrders(merchantId: string, query: { reference: string; channel?: string | null }): Promise<Order[]> {
    const rows = (
      query.channel === undefined
        ? this.#sql('SELECT document FROM orders WHERE merchant_id = ? AND reference = ? ORDER BY created_at').all(
            merchantId,
            query.reference,
          )
        : this.#sql(
            'SELECT document FROM orders WHERE merchant_id = ? AND reference = ? AND channel = ? ORDER BY created_at',
          ).all(merchantId, query.reference, query.channel ?? '')
    ) as { document: string }[];
    return rows.map((row) => JSON.parse(row.document) as Order);
  }

  async changeOrder<E>(
    merchantId: string,
    id: string,
    change: (order: Order) => OrderChange<E>,
  ): Promise<OrderChange<E> | null> {
    return this.#db
      .transaction((): OrderChange<E> | null => {
        const row = this.#sql('SELECT document FROM orders WHERE merchant_id = ? AND id = ?').get(merchantId, id) as
          | { document: string }
          | undefined;
        if (!row) return null;
        const decision = change(JSON.parse(row.document) as Order);
        if (!decision.ok) return decision;
        const at = decision.order.updatedAt;
        for (const r of decision.releases ?? []) this.#adjust(merchantId, r, 'release', id, at);
        for (const r of decision.consumes ?? []) this.#adjust(merchantId, r, 'ship', id, at);
        this.#sql('UPDATE orders SET status = ?, document = ?, updated_at = ? WHERE merchant_id = ? AND id = ?').run(
          decision.order.status,
          JSON.stringify(decision.order),
          at,
          merchantId,
          id,
        );
        this.#outbox(merchantId, decision.outbox ?? [], at);
        return decision;
      })
      .immediate();
  }

  async claimOutboxJobs(
    workerId: string,
    limit: number,
    now: number,
    leaseMs: number,
    filter: OutboxClaimFilter = {},
  ): Promise<OutboxJob[]> {
    const nowIso = new Date(now).toISOString();
    const list = (values: readonly string[] | undefined) => (values ? JSON.stringify(values) : null);
    return this.#db
      .transaction(() => {
        // Turns: each merchant's (and lane key's) due jobs are numbered, and the claim takes every first job
        // before any second one, so a merchant with a backlog cannot crowd the others out.
        const rows = this.#sql(
          `SELECT * FROM (
             SELECT o.*,
               row_number() OVER (PARTITION BY o.merchant_id ORDER BY o.id) AS merchant_turn,
               row_number() OVER (PARTITION BY coalesce(o.lane_key, o.id) ORDER BY o.id) AS key_turn
             FROM outbox o
             WHERE ((o.state = 'pending' AND o.available_at <= @nowIso) OR (o.state = 'running' AND o.locked_until < @now))
               AND (@types IS NULL OR o.type IN (SELECT value FROM json_each(@types)))
               AND (@exceptTypes IS NULL OR o.type NOT IN (SELECT value FROM json_each(@exceptTypes)))
               AND o.merchant_id NOT IN (SELECT value FROM json_each(@busyMerchants))
               AND coalesce(o.lane_key, '') NOT IN (SELECT value FROM json_each(@busyLaneKeys))
               AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.merchant_id = o.merchant_id AND e.order_id = o.order_id
                               AND e.id < o.id AND e.state IN ('pending', 'running')))
           WHERE merchant_turn <= @perMerchant AND key_turn <= @perLaneKey
           ORDER BY max(merchant_turn, key_turn), id LIMIT @limit`,
        ).all({
          nowIso,
          now,
          limit,
          types: list(filter.types),
          exceptTypes: list(filter.exceptTypes),
          busyMerchants: JSON.stringify(filter.busyMerchants ?? []),
          busyLaneKeys: JSON.stringify(filter.busyLaneKeys ?? []),
          perMerchant: filter.perMerchant ?? limit,
          perLaneKey: filter.perLaneKey ?? limit,
        }) as OutboxRow[];
        const lease = this.#sql(`UPDATE outbox SET state = 'running', locked_by = ?, locked_until = ? WHERE id = ?`);
        for (const row of rows) lease.run(workerId, now + leaseMs, row.id);
        return rows.map((row) => toJob({ ...row, state: 'running' }));
      })
      .immediate();
  }

  async completeOutboxJob(id: number, workerId: string): Promise<void> {
    this.#sql(
      `UPDATE outbox SET state = 'done', locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?`,
    ).run(id, workerId);
  }

  async failOutboxJob(id: number, workerId: string, error: string, retryAt: number | null): Promise<void> {
    this.#sql(
      `UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, available_at = coalesce(?, available_at),
         locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?`,
    ).run(
      retryAt === null ? 'dead' : 'pending',
      error.slice(0, 1000),
      retryAt === null ? null : new Date(retryAt).toISOString(),
      id,
      workerId,
    );
  }

  async releaseOutboxJobs(workerId: string, ids?: readonly number[]): Promise<void> {
    this.#sql(
      `UPDATE outbox SET state = 'pending', locked_by = NULL, locked_until = NULL
         WHERE state = 'running' AND locked_by = ? AND (? IS NULL OR id IN (SELECT value FROM json_each(?)))`,
    ).run(workerId, ids ? 1 : null, JSON.stringify(ids ?? []));
  }

  async listOutboxJobs(merchantId: string, state: OutboxJob['state'], limit: number): Promise<OutboxJob[]> {
    const rows = this.#sql('SELECT * FROM outbox WHERE merchant_id = ? AND state = ? ORDER BY id DESC LIMIT ?').all(
      merchantId,
      state,
      limit,
    ) as OutboxRow[];
    return rows.map(toJob);
  }

  async outboxStats(): Promise<OutboxStats> {
    const counts = this.#sql(
      `SELECT state, count(*) AS n, min(CASE WHEN state = 'pending' THEN created_at END) AS oldest
         FROM outbox WHERE state <> 'done' GROUP BY state`,
    ).all() as { state: OutboxJob['state']; n: number; oldest: string | null }[];
    const of = (state: OutboxJob['state']) => counts.find((c) => c.state === state);
    return {
      pending: of('pending')?.n ?? 0,
      running: of('running')?.n ?? 0,
      dead: of('dead')?.n ?? 0,
      oldestPendingAt: of('pending')?.oldest ?? null,
    };
  }

  async replayOutboxJob(merchantId: string, id: number, now: number): Promise<boolean> {
    const { changes } = this.#sql(
      `UPDATE outbox SET state = 'pending', attempts = 0, last_error = NULL, available_at = ? WHERE merchant_id = ? AND id = ? AND state = 'dead'`,
    ).run(new Date(now).toISOString(), merchantId, id);
    return changes === 1;
  }

  async saveLabel(merchantId: string, label: StoredLabel, now: number): Promise<StoredLabel> {
    this.#db.transaction(() => {
      const { changes } = this.#sql(
        `INSERT INTO labels (merchant_id, shipment_id, order_id, carrier, tracking_number, pdf, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ).run(
        merchantId,
        label.shipmentId,
        label.orderId ?? null,
        label.carrier,
        label.trackingNumber,
        Buffer.from(label.pdf),
        new Date(now).toISOString(),
      );
      if (changes === 1 && label.orderId)
        this.#sql(
          'INSERT INTO tracking_watch (merchant_id, shipment_id, order_id, next_check_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
        ).run(merchantId, label.shipmentId, label.orderId, now);
    })();
    return (await this.getLabel(merchantId, label.shipmentId)) as StoredLabel;
  }

  async findByTrackingNumber(
    merchantId: string,
    trackingNumber: string,
  ): Promise<{ orderId: string; shipmentId: string; carrier: string } | null> {
    const row = this.#sql(
      'SELECT order_id, shipment_id, carrier FROM labels WHERE merchant_id = ? AND tracking_number = ?',
    ).get(merchantId, trackingNumber) as { order_id: string | null; shipment_id: string; carrier: string } | undefined;
    return row?.order_id ? { orderId: row.order_id, shipmentId: row.shipment_id, carrier: row.carrier } : null;
  }

  async dueForTracking(now: number, limit: number): Promise<WatchedShipment[]> {
    const rows = this.#sql(
      'SELECT merchant_id, order_id, shipment_id FROM tracking_watch WHERE next_check_at <= ? ORDER BY next_check_at LIMIT ?',
    ).all(now, limit) as { merchant_id: string; order_id: string; shipment_id: string }[];
    return rows.map((r) => ({ merchantId: r.merchant_id, orderId: r.order_id, shipmentId: r.shipment_id }));
  }

  async rescheduleTracking(merchantId: string, shipmentId: string, nextCheckAt: number | null): Promise<void> {
    if (nextCheckAt === null)
      this.#sql('DELETE FROM tracking_watch WHERE merchant_id = ? AND shipment_id = ?').run(merchantId, shipmentId);
    else
      this.#sql('UPDATE tracking_watch SET next_check_at = ? WHERE merchant_id = ? AND shipment_id = ?').run(
        nextCheckAt,
        merchantId,
        shipmentId,
      );
  }

  async recordTrackingEvents(
    merchantId: string,
    events: readonly { shipmentId: string; key: string; status: string; code: string; occurredAt: string }[],
    now: number,
  ): Promise<boolean[]> {
    const insert = this.#sql(
      `INSERT INTO tracking_events (merchant_id, shipment_id, event_key, status, code, occurred_at, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    const at = new Date(now).toISOString();
    return this.#db.transaction(() =>
      events.map((e) => insert.run(merchantId, e.shipmentId, e.key, e.status, e.code, e.occurredAt, at).changes === 1),
    )();
  }

  async getLabel(merchantId: string, shipmentId: string): Promise<StoredLabel | null> {
    const row = this.#sql(
      'SELECT shipment_id, carrier, tracking_number, pdf FROM labels WHERE merchant_id = ? AND shipment_id = ?',
    ).get(merchantId, shipmentId) as
      | { shipment_id: string; carrier: string; tracking_number: string; pdf: Buffer }
      | undefined;
    return row
      ? {
          shipmentId: row.shipment_id,
          carrier: row.carrier,
          trackingNumber: row.tracking_number,
          pdf: new Uint8Array(row.pdf),
        }
      : null;
  }

  async findDeliveryJob(merchantId: string, messageId: string): Promise<OutboxJob | null> {
    const row = this.#sql(
      `SELECT * FROM outbox WHERE merchant_id = ? AND type = 'webhook.deliver' AND json_extract(payload, '$.messageId') = ?
       ORDER BY id DESC LIMIT 1`,
    ).get(merchantId, messageId) as OutboxRow | undefined;
    return row ? toJob(row) : null;
  }

  async enqueueOutbox(merchantId: string, messages: readonly OutboxMessage[], now: number): Promise<void> {
    this.#db.transaction(() => this.#outbox(merchantId, messages, new Date(now).toISOString()))();
  }

  async saveWebhookEndpoint(merchantId: string, e: WebhookEndpoint): Promise<void> {
    this.#sql(
      `INSERT INTO webhook_endpoints (merchant_id, id, url, events, description, secret, previous_secret, previous_until, state,
         disabled_reason, failing_since, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (merchant_id, id) DO UPDATE SET url = excluded.url, events = excluded.events, description = excluded.description,
         secret = excluded.secret, previous_secret = excluded.previous_secret, previous_until = excluded.previous_until,
         state = excluded.state, disabled_reason = excluded.disabled_reason, failing_since = excluded.failing_since`,
    ).run(
      merchantId,
      e.id,
      e.url,
      JSON.stringify(e.events),
      e.description,
      e.secret,
      e.previousSecret,
      e.previousUntil,
      e.state,
      e.disabledReason,
      e.failingSince,
      e.createdAt,
    );
  }

  async getWebhookEndpoint(merchantId: string, id: string): Promise<WebhookEndpoint | null> {
    const row = this.#sql('SELECT * FROM webhook_endpoints WHERE merchant_id = ? AND id = ?').get(merchantId, id) as
      | EndpointRow
      | undefined;
    return row ? toEndpoint(row) : null;
  }

  async listWebhookEndpoints(merchantId: string): Promise<WebhookEndpoint[]> {
    return (
      this.#sql('SELECT * FROM webhook_endpoints WHERE merchant_id = ? ORDER BY created_at, id').all(
        merchantId,
      ) as EndpointRow[]
    ).map(toEndpoint);
  }

  async deleteWebhookEndpoint(merchantId: string, id: string): Promise<boolean> {
    return (
      this.#sql('DELETE FROM webhook_endpoints WHERE merchant_id = ? AND id = ?').run(merchantId, id).changes === 1
    );
  }

  async recordWebhookAttempt(merchantId: string, a: WebhookAttempt): Promise<void> {
    this.#sql(
      `INSERT INTO webhook_attempts (merchant_id, endpoint_id, message_id, event_type, attempt, at, status, duration_ms, error, excerpt, outcome)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      merchantId,
      a.endpointId,
      a.messageId,
      a.eventType,
      a.attempt,
      a.at,
      a.status,
      a.durationMs,
      a.error,
      a.excerpt,
      a.outcome,
    );
  }

  async webhookAttempts(merchantId: string, endpointId: string, limit: number): Promise<WebhookAttempt[]> {
    const rows = this.#sql(
      'SELECT * FROM webhook_attempts WHERE merchant_id = ? AND endpoint_id = ? ORDER BY at DESC, attempt DESC LIMIT ?',
    ).all(merchantId, endpointId, limit) as AttemptRow[];
    return rows.map(toAttempt);
  }

  async openException(merchantId: string, e: ShipmentException): Promise<boolean> {
    const { changes } = this.#sql(
      `INSERT INTO shipment_exceptions (merchant_id, id, kind, order_id, shipment_id, reason, next_action, detail, state, note, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ).run(
      merchantId,
      e.id,
      e.kind,
      e.orderId,
      e.shipmentId ?? '',
      e.reason,
      e.nextAction,
      e.detail,
      e.state,
      e.note,
      e.createdAt,
      e.updatedAt,
    );
    return changes === 1;
  }

  async listExceptions(
    merchantId: string,
    state: ShipmentException['state'],
    limit: number,
  ): Promise<ShipmentException[]> {
    const rows = this.#sql(
      'SELECT * FROM shipment_exceptions WHERE merchant_id = ? AND state = ? ORDER BY created_at, id LIMIT ?',
    ).all(merchantId, state, limit) as ExceptionRow[];
    return rows.map(toException);
  }

  async updateException(
    merchantId: string,
    id: string,
    change: { state: ShipmentException['state']; note: string | null; updatedAt: string },
  ): Promise<ShipmentException | null> {
    const row = this.#sql(
      `UPDATE shipment_exceptions SET state = ?, note = coalesce(?, note), updated_at = ? WHERE merchant_id = ? AND id = ? RETURNING *`,
    ).get(change.state, change.note, change.updatedAt, merchantId, id) as ExceptionRow | undefined;
    return row ? toException(row) : null;
  }

  async ordersInFlight({
    after,
    limit,
  }: {
    after: string | null;
    limit: number;
  }): Promise<{ merchantId: string; order: Order }[]> {
    const rows = this.#sql(
      `SELECT merchant_id, document FROM orders WHERE ${IN_FLIGHT_SQL} AND id > ? ORDER BY id LIMIT ?`,
    ).all(after ?? '', limit) as { merchant_id: string; document: string }[];
    return rows.map((row) => ({ merchantId: row.merchant_id, order: JSON.parse(row.document) as Order }));
  }

  async serviceSecret(name: string): Promise<string> {
    this.#sql('INSERT INTO service_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(
      name,
      randomBytes(32).toString('base64url'),
      this.#now(),
    );
    return (this.#sql('SELECT value FROM service_secrets WHERE name = ?').get(name) as { value: string }).value;
  }

  async onStockChange(): Promise<() => Promise<void>> {
    // One process per SQLite file: every change already went through this process's own caches.
    return async () => {};
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
