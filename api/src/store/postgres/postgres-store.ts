/**
 * The scale-out store: PostgreSQL through `pg`, for any number of API processes sharing one database.
 * Reservations are conditional updates inside one transaction (taken in a fixed order, so two bookings never
 * deadlock); stock changes are announced with NOTIFY so every process's promise caches hear them.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
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
import { POSTGRES_MIGRATIONS } from './migrations.ts';

const STOCK_CHANNEL = 'promesse_stock';
/** The listening connection's application_name, so operators (and tests) can find it in pg_stat_activity. */
export const LISTENER_NAME = 'promesse-stock-listener';
const LEVEL_COLUMNS = 'warehouse_id, sku, on_hand, reserved, safety_stock, incoming';

interface LevelRow {
  warehouse_id: string;
  sku: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  incoming: StockLevel['incoming'];
}

const toLevel = (row: LevelRow): StockLevel => ({
  warehouse: row.warehouse_id,
  sku: row.sku,
  onHand: row.on_hand,
  reserved: row.reserved,
  safetyStock: row.safety_stock,
  incoming: row.incoming,
});

/** Reservations in one global order (warehouse, then sku), so concurrent transactions lock rows alike. */
const inLockOrder = (reservations: readonly Reservation[]) =>
  [...reservations].sort((a, b) => a.warehouse.localeCompare(b.warehouse) || a.sku.localeCompare(b.sku));

class Rollback extends Error {}

export interface PostgresStoreOptions {
  connectionString: string;
  /** a schema of its own (created when missing): tests use one per run */
  schema?: string;
  poolSize?: number;
  clock?: () => number;
  /** makes the connection that LISTENs for stock changes (tests inject failing ones) */
  listenerClient?: () => pg.Client;
}

export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #options: PostgresStoreOptions;
  readonly #clock: () => number;
  readonly #listeners = new Set<pg.Client>();

  constructor(options: PostgresStoreOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    this.#pool.on('error', () => {});
  }

  #now(): Date {
    return new Date(this.#clock());
  }

  async #tx<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async migrate(): Promise<void> {
    if (this.#options.schema) {
      const admin = new pg.Client({ connectionString: this.#options.connectionString });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(this.#options.schema)}`);
      } finally {
        await admin.end();
      }
    }
    await this.#tx(async (client) => {
      // One process migrates at a time; the others wait here, then find nothing left to do.
      await client.query('SELECT pg_advisory_xact_lock(7426550011)');
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)',
      );
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((r) => r.version));
      for (const migration of POSTGRES_MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [
          migration.version,
          migration.name,
        ]);
      }
    });
  }

  async #notify(client: pg.PoolClient, merchantId: string, skus: Iterable<string>): Promise<void> {
    const payloads = [...new Set(skus)].map((sku) => `${merchantId}|${sku}`);
    if (payloads.length > 0)
      await client.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [STOCK_CHANNEL, payloads]);
  }

  async #movements(
    client: pg.PoolClient,
    merchantId: string,
    rows: readonly (Omit<StockMovement, 'at' | 'orderId' | 'note'> & {
      orderId?: string | null;
      note?: string | null;
    })[],
    at: Date,
  ): Promise<void> {
    const moved = rows.filter((m) => m.onHandDelta !== 0 || m.reservedDelta !== 0);
    if (moved.length === 0) return;
    await client.query(
      `INSERT INTO stock_movements (merchant_id, warehouse_id, sku, on_hand_delta, reserved_delta, reason, order_id, note, at)
       SELECT $1, m->>'warehouse', m->>'sku', (m->>'onHandDelta')::int, (m->>'reservedDelta')::int, m->>'reason', m->>'orderId',
         m->>'note', $2
       FROM jsonb_array_elements($3::jsonb) AS m`,
      [merchantId, at, JSON.stringify(moved.map((m) => ({ ...m, orderId: m.orderId ?? null, note: m.note ?? null })))],
    );
  }

  async seedInventory(merchantId: string, levels: readonly StockLevel[]): Promise<number> {
    if (levels.length === 0) return 0;
    const at = this.#now();
    return this.#tx(async (client) => {
      const { rows } = await client.query<{ warehouse_id: string; sku: string; on_hand: number }>(
        `INSERT INTO inventory_levels (merchant_id, warehouse_id, sku, on_hand, reserved, safety_stock, incoming, incoming_total, updated_at)
         SELECT $1, l->>'warehouse', l->>'sku', (l->>'onHand')::int, 0, (l->>'safetyStock')::int, l->'incoming', (l->>'incomingTotal')::int, $2
         FROM jsonb_array_elements($3::jsonb) AS l
         ON CONFLICT DO NOTHING RETURNING warehouse_id, sku, on_hand`,
        [merchantId, at, JSON.stringify(levels.map((l) => ({ ...l, incomingTotal: incomingTotal(l.incoming) })))],
      );
      await this.#movements(
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
    const { rows } = await this.#pool.query<LevelRow>(
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
    const at = this.#now();
    return this.#tx(async (client) => {
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
      await this.#movements(client, merchantId, [{ warehouse, sku, onHandDelta, reservedDelta: 0, reason }], at);
      await this.#notify(client, merchantId, [sku]);
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
    return this.#tx(async (client): Promise<AdjustmentResult> => {
      const { rows } = await client.query<LevelRow>(
        `UPDATE inventory_levels SET on_hand = on_hand + $4, reserved = reserved + $5, updated_at = $6
         WHERE merchant_id = $1 AND warehouse_id = $2 AND sku = $3 AND on_hand + $4 >= 0 AND reserved + $5 >= 0
         RETURNING ${LEVEL_COLUMNS}`,
        [merchantId, warehouse, sku, adjustment.onHandDelta, adjustment.reservedDelta, at],
      );
      const row = rows[0];
      if (!row) {
        const exists = await client.query(
          'SELECT 1 FROM inventory_levels WHERE merchant_id = $1 AND warehouse_id = $2 AND sku = $3',
          [merchantId, warehouse, sku],
        );
        return { ok: false, reason: exists.rowCount ? 'below_zero' : 'not_found' };
      }
      await this.#movements(client, merchantId, [{ warehouse, sku, ...adjustment, reason: 'adjust' }], at);
      await this.#notify(client, merchantId, [sku]);
      return { ok: true, level: toLevel(row) };
    });
  }

  async stockMovements(merchantId: string, sku: string, limit: number): Promise<StockMovement[]> {
    const { rows } = await this.#pool.query<MovementRow>(
      `SELECT at, warehouse_id, sku, on_hand_delta, reserved_delta, reason, order_id, note FROM stock_movements
       WHERE merchant_id = $1 AND sku = $2 ORDER BY id DESC LIMIT $3`,
      [merchantId, sku, limit],
    );
    return rows.map(toMovement);
  }

  async claimIdempotencyKey(
    merchantId: string,
    key: string,
    requestHash: string,
    now: number,
  ): Promise<IdempotencyClaim> {
    // The common case, a new key, is one statement; only a key seen before needs the locking read below.
    const inserted = await this.#pool.query(
      `INSERT INTO idempotency_keys (merchant_id, key, request_hash, state, locked_at, expires_at)
       VALUES ($1, $2, $3, 'in_progress', $4, $5) ON CONFLICT DO NOTHING`,
      [merchantId, key, requestHash, now, now + IDEMPOTENCY_TTL_MS],
    );
    if (inserted.rowCount === 1) return { state: 'new' };
    return this.#tx(async (client): Promise<IdempotencyClaim> => {
      const { rows } = await client.query<{
        request_hash: string;
        state: string;
        status_code: number | null;
        response_body: string | null;
        locked_at: string;
        expires_at: string;
      }>(
        `SELECT request_hash, state, status_code, response_body, locked_at, expires_at FROM idempotency_keys
         WHERE merchant_id = $1 AND key = $2 FOR UPDATE`,
        [merchantId, key],
      );
      const row = rows[0];
      const takeOver = async (): Promise<IdempotencyClaim> => {
        await client.query(
          `UPDATE idempotency_keys SET request_hash = $3, state = 'in_progress', status_code = NULL, response_body = NULL,
             locked_at = $4, expires_at = $5 WHERE merchant_id = $1 AND key = $2`,
          [merchantId, key, requestHash, now, now + IDEMPOTENCY_TTL_MS],
        );
        return { state: 'new' };
      };
      if (!row || Number(row.expires_at) <= now) return takeOver();
      if (row.request_hash !== requestHash) return { state: 'mismatch' };
      if (row.state === 'in_progress') {
        return Number(row.locked_at) + IDEMPOTENCY_LOCK_MS < now ? takeOver() : { state: 'in_progress' };
      }
      return { state: 'replay', statusCode: row.status_code ?? 500, body: row.response_body ?? '' };
    });
  }

  async completeIdempotencyKey(
    merchantId: string,
    key: string,
    statusCode: number,
    body: string,
    now: number,
  ): Promise<void> {
    await this.#completeKey(this.#pool, merchantId, { key, statusCode, body, now });
  }

  async #completeKey(
    client: pg.Pool | pg.PoolClient,
    merchantId: string,
    { key, statusCode, body, now }: IdempotentResponse,
  ): Promise<void> {
    await client.query(
      `UPDATE idempotency_keys SET state = 'done', status_code = $3, response_body = $4, expires_at = $5
       WHERE merchant_id = $1 AND key = $2`,
      [merchantId, key, statusCode, body, now + IDEMPOTENCY_TTL_MS],
    );
  }

  async releaseIdempotencyKey(merchantId: string, key: string): Promise<void> {
    await this.#pool.query(
      `DELETE FROM idempotency_keys WHERE merchant_id = $1 AND key = $2 AND state = 'in_progress'`,
      [merchantId, key],
    );
  }

  async #outbox(
    client: pg.PoolClient,
    merchantId: string,
    messages: readonly OutboxMessage[],
    at: Date,
  ): Promise<void> {
    if (messages.length === 0) return;
    await client.query(
      `INSERT INTO outbox (merchant_id, order_id, type, payload, lane_key, available_at, created_at)
       SELECT $1, m->>'orderId', m->>'type', m->'payload', m->>'laneKey', $2, $2 FROM jsonb_array_elements($3::jsonb) AS m`,
      [merchantId, at, JSON.stringify(messages)],
    );
  }

  async placeOrder(
    merchantId: string,
    order: Order,
    reservations: readonly Reservation[],
    outbox: readonly OutboxMessage[],
    idempotency?: IdempotentResponse,
  ): Promise<PlaceOrderResult> {
    const at = new Date(order.createdAt);
    let result: PlaceOrderResult = { ok: true };
    try {
      await this.#tx(async (client) => {
        const failed: Reservation[] = [];
        for (const r of inLockOrder(reservations)) {
          // Conditional update and its ledger line in one statement: the check and the write cannot be split.
          const { rowCount } = await client.query(
            `WITH reserved AS (
               UPDATE inventory_levels SET reserved = reserved + $4, updated_at = $6
               WHERE merchant_id = $1 AND warehouse_id = $2 AND sku = $3
                 AND on_hand - reserved - safety_stock + (CASE WHEN $5 THEN incoming_total ELSE 0 END) >= $4
               RETURNING warehouse_id, sku)
             INSERT INTO stock_movements (merchant_id, warehouse_id, sku, on_hand_delta, reserved_delta, reason, order_id, at)
             SELECT $1, warehouse_id, sku, 0, $4, 'reserve', $7, $6 FROM reserved`,
            [merchantId, r.warehouse, r.sku, r.quantity, r.backorder, at, order.id],
          );
          if (rowCount !== 1) failed.push(r);
        }
        if (failed.length > 0) {
          result = { ok: false, reason: 'out_of_stock', failed };
          throw new Rollback();
        }
        const inserted = await client.query(
          `INSERT INTO orders (merchant_id, id, reference, channel, status, document, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (merchant_id, channel, reference) DO NOTHING`,
          [merchantId, order.id, order.reference, order.channel ?? '', order.status, JSON.stringify(order), at],
        );
        if (inserted.rowCount !== 1) {
          const { rows } = await client.query<{ id: string }>(
            'SELECT id FROM orders WHERE merchant_id = $1 AND channel = $2 AND reference = $3',
            [merchantId, order.channel ?? '', order.reference],
          );
          result = { ok: false, reason: 'duplicate_reference', orderId: rows[0]?.id ?? '' };
          throw new Rollback();
        }
        // The outbox rows, the stored response and the stock notification in one round trip.
        await client.query(
          `WITH messages AS (
             INSERT INTO outbox (merchant_id, order_id, type, payload, available_at, created_at)
             SELECT $1, m->>'orderId', m->>'type', m->'payload', $2, $2 FROM jsonb_array_elements($3::jsonb) AS m),
           answered AS (
             UPDATE idempotency_keys SET state = 'done', status_code = $5, response_body = $6, expires_at = $7
             WHERE merchant_id = $1 AND key = $4)
           SELECT pg_notify($8, p) FROM unnest($9::text[]) AS p`,
          [
            merchantId,
            at,
            JSON.stringify(outbox),
            idempotency?.key ?? null,
            idempotency?.statusCode ?? null,
            idempotency?.body ?? null,
            idempotency ? idempotency.now + IDEMPOTENCY_TTL_MS : null,
            STOCK_CHANNEL,
            [...new Set(reservations.map((r) => `${merchantId}|${r.sku}`))],
          ],
        );
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    return result;
  }

  async getOrder(merchantId: string, id: string): Promise<Order | null> {
    const { rows } = await this.#pool.query<{ document: Order }>(
      'SELECT document FROM orders WHERE merchant_id = $1 AND id = $2',
      [merchantId, id],
    );
    return rows[0]?.document ?? null;
  }

  async findOrders(merchantId: string, query: { reference: string; channel?: string | null }): Promise<Order[]> {
    const { rows } =
      query.channel === undefined
        ? await this.#pool.query<{ document: Order }>(
            'SELECT document FROM orders WHERE merchant_id = $1 AND reference = $2 ORDER BY created_at',
            [merchantId, query.reference],
          )
        : await this.#pool.query<{ document: Order }>(
            'SELECT document FROM orders WHERE merchant_id = $1 AND reference = $2 AND channel = $3 ORDER BY created_at',
            [merchantId, query.reference, query.channel ?? ''],
          );
    return rows.map((r) => r.document);
  }

  async changeOrder<E>(
    merchantId: string,
    id: string,
    change: (order: Order) => OrderChange<E>,
  ): Promise<OrderChange<E> | null> {
    return this.#tx(async (client) => {
      const { rows } = await client.query<{ document: Order }>(
        'SELECT document FROM orders WHERE merchant_id = $1 AND id = $2 FOR UPDATE',
        [merchantId, id],
      );
      const stored = rows[0];
      if (!stored) return null;
      const decision = change(stored.document);
      if (!decision.ok) return decision;
      const at = new Date(decision.order.updatedAt);
      const moves = [
        ...(decision.releases ?? []).map((r) => ({ r, onHand: 0, reason: 'release' as const })),
        ...(decision.consumes ?? []).map((r) => ({ r, onHand: r.quantity, reason: 'ship' as const })),
      ];
      for (const { r, onHand, reason } of moves.sort(
        (a, b) => a.r.warehouse.localeCompare(b.r.warehouse) || a.r.sku.localeCompare(b.r.sku),
      )) {
        // Never clamped: taking more than a level holds would eat other orders' reservations, so it is a fault.
        const { rowCount } = await client.query(
          `UPDATE inventory_levels SET reserved = reserved - $4, on_hand = on_hand - $5, updated_at = $6
           WHERE merchant_id = $1 AND warehouse_id = $2 AND sku = $3 AND reserved >= $4 AND on_hand >= $5`,
          [merchantId, r.warehouse, r.sku, r.quantity, onHand, at],
        );
        if (rowCount !== 1)
          throw new StockInvariantError(
            `${reason} of ${r.quantity} ${r.sku} at ${r.warehouse} exceeds the level (${id})`,
          );
      }
      await this.#movements(
        client,
        merchantId,
        moves.map(({ r, onHand, reason }) => ({
          warehouse: r.warehouse,
          sku: r.sku,
          onHandDelta: -onHand,
          reservedDelta: -r.quantity,
          reason,
          orderId: id,
        })),
        at,
      );
      await client.query(
        'UPDATE orders SET status = $3, document = $4, updated_at = $5 WHERE merchant_id = $1 AND id = $2',
        [merchantId, id, decision.order.status, JSON.stringify(decision.order), at],
      );
      await this.#outbox(client, merchantId, decision.outbox ?? [], at);
      await this.#notify(
        client,
        merchantId,
        moves.map(({ r }) => r.sku),
      );
      return decision;
    });
  }

  async claimOutboxJobs(
    workerId: string,
    limit: number,
    now: number,
    leaseMs: number,
    filter: OutboxClaimFilter = {},
  ): Promise<OutboxJob[]> {
    // Turns: each merchant's (and lane key's) due jobs are numbered, and the claim takes every first job before
    // any second one, so a merchant with a backlog cannot crowd the others out. SKIP LOCKED: concurrent workers
    // each take different rows, none waits for another's.
    const { rows } = await this.#pool.query<OutboxRow>(
      `UPDATE outbox SET state = 'running', locked_by = $1, locked_until = $2
       WHERE id IN (SELECT id FROM outbox WHERE id IN (
         SELECT id FROM (
           SELECT o.id,
             row_number() OVER (PARTITION BY o.merchant_id ORDER BY o.id) AS merchant_turn,
             row_number() OVER (PARTITION BY coalesce(o.lane_key, o.id::text) ORDER BY o.id) AS key_turn
           FROM outbox o
           WHERE ((o.state = 'pending' AND o.available_at <= $3) OR (o.state = 'running' AND o.locked_until < $4))
             AND ($6::text[] IS NULL OR o.type = ANY($6))
             AND ($7::text[] IS NULL OR NOT (o.type = ANY($7)))
             AND NOT (o.merchant_id = ANY($8::text[]))
             AND NOT (coalesce(o.lane_key, '') = ANY($9::text[]))
             AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.merchant_id = o.merchant_id AND e.order_id = o.order_id
                             AND e.id < o.id AND e.state IN ('pending', 'running'))) AS due
         WHERE merchant_turn <= $10 AND key_turn <= $11
         ORDER BY greatest(merchant_turn, key_turn), id LIMIT $5) FOR UPDATE SKIP LOCKED)
         -- checked again on the row as locked: another worker may have claimed it since this one looked
         AND ((state = 'pending' AND available_at <= $3) OR (state = 'running' AND locked_until < $4))
       RETURNING *`,
      [
        workerId,
        now + leaseMs,
        new Date(now),
        now,
        limit,
        filter.types ?? null,
        filter.exceptTypes ?? null,
        filter.busyMerchants ?? [],
        filter.busyLaneKeys ?? [],
        filter.perMerchant ?? limit,
        filter.perLaneKey ?? limit,
      ],
    );
    return rows.map(toJob).sort((a, b) => a.id - b.id);
  }

  async completeOutboxJob(id: number, workerId: string): Promise<void> {
    await this.#pool.query(
      `UPDATE outbox SET state = 'done', locked_by = NULL, locked_until = NULL WHERE id = $1 AND locked_by = $2`,
      [id, workerId],
    );
  }

  async failOutboxJob(id: number, workerId: string, error: string, retryAt: number | null): Promise<void> {
    await this.#pool.query(
      `UPDATE outbox SET state = $3, attempts = attempts + 1, last_error = $4, available_at = coalesce($5, available_at),
         locked_by = NULL, locked_until = NULL WHERE id = $1 AND locked_by = $2`,
      [
        id,
        workerId,
        retryAt === null ? 'dead' : 'pending',
        error.slice(0, 1000),
        retryAt === null ? null : new Date(retryAt),
      ],
    );
  }

  async releaseOutboxJobs(workerId: string, ids?: readonly number[]): Promise<void> {
    await this.#pool.query(
      `UPDATE outbox SET state = 'pending', locked_by = NULL, locked_until = NULL
       WHERE state = 'running' AND locked_by = $1 AND ($2::bigint[] IS NULL OR id = ANY($2))`,
      [workerId, ids ?? null],
    );
  }

  async listOutboxJobs(merchantId: string, state: OutboxJob['state'], limit: number): Promise<OutboxJob[]> {
    const { rows } = await this.#pool.query<OutboxRow>(
      'SELECT * FROM outbox WHERE merchant_id = $1 AND state = $2 ORDER BY id DESC LIMIT $3',
      [merchantId, state, limit],
    );
    return rows.map(toJob);
  }

  async outboxStats(): Promise<OutboxStats> {
    const { rows } = await this.#pool.query<{ state: OutboxJob['state']; n: string; oldest: Date | null }>(
      `SELECT state, count(*) AS n, min(CASE WHEN state = 'pending' THEN created_at END) AS oldest
       FROM outbox WHERE state <> 'done' GROUP BY state`,
    );
    const of = (state: OutboxJob['state']) => rows.find((r) => r.state === state);
    return {
      pending: Number(of('pending')?.n ?? 0),
      running: Number(of('running')?.n ?? 0),
      dead: Number(of('dead')?.n ?? 0),
      oldestPendingAt: of('pending')?.oldest?.toISOString() ?? null,
    };
  }

  async replayOutboxJob(merchantId: string, id: number, now: number): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      `UPDATE outbox SET state = 'pending', attempts = 0, last_error = NULL, available_at = $3
       WHERE merchant_id = $1 AND id = $2 AND state = 'dead'`,
      [merchantId, id, new Date(now)],
    );
    return rowCount === 1;
  }

  async saveLabel(merchantId: string, label: StoredLabel, now: number): Promise<StoredLabel> {
    // The label and its place on the tracking poller's watch list in one statement.
    await this.#pool.query(
      `WITH saved AS (
         INSERT INTO labels (merchant_id, shipment_id, order_id, carrier, tracking_number, pdf, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING merchant_id, shipment_id, order_id)
       INSERT INTO tracking_watch (merchant_id, shipment_id, order_id, next_check_at)
       SELECT merchant_id, shipment_id, order_id, $8 FROM saved WHERE order_id IS NOT NULL ON CONFLICT DO NOTHING`,
      [
        merchantId,
        label.shipmentId,
        label.orderId ?? null,
        label.carrier,
        label.trackingNumber,
        Buffer.from(label.pdf),
        new Date(now),
        now,
      ],
    );
    return (await this.getLabel(merchantId, label.shipmentId)) as StoredLabel;
  }

  async findByTrackingNumber(
    merchantId: string,
    trackingNumber: string,
  ): Promise<{ orderId: string; shipmentId: string; carrier: string } | null> {
    const { rows } = await this.#pool.query<{ order_id: string | null; shipment_id: string; carrier: string }>(
      'SELECT order_id, shipment_id, carrier FROM labels WHERE merchant_id = $1 AND tracking_number = $2',
      [merchantId, trackingNumber],
    );
    const row = rows[0];
    return row?.order_id ? { orderId: row.order_id, shipmentId: row.shipment_id, carrier: row.carrier } : null;
  }

  async dueForTracking(now: number, limit: number): Promise<WatchedShipment[]> {
    const { rows } = await this.#pool.query<{ merchant_id: string; order_id: string; shipment_id: string }>(
      'SELECT merchant_id, order_id, shipment_id FROM tracking_watch WHERE next_check_at <= $1 ORDER BY next_check_at LIMIT $2',
      [now, limit],
    );
    return rows.map((r) => ({ merchantId: r.merchant_id, orderId: r.order_id, shipmentId: r.shipment_id }));
  }

  async rescheduleTracking(merchantId: string, shipmentId: string, nextCheckAt: number | null): Promise<void> {
    await (nextCheckAt === null
      ? this.#pool.query('DELETE FROM tracking_watch WHERE merchant_id = $1 AND shipment_id = $2', [
          merchantId,
          shipmentId,
        ])
      : this.#pool.query('UPDATE tracking_watch SET next_check_at = $3 WHERE merchant_id = $1 AND shipment_id = $2', [
          merchantId,
          shipmentId,
          nextCheckAt,
        ]));
  }

  async recordTrackingEvents(
    merchantId: string,
    events: readonly { shipmentId: string; key: string; status: string; code: string; occurredAt: string }[],
    now: number,
  ): Promise<boolean[]> {
    // One statement: the rows it inserted come back; the others were seen before.
    const { rows } = await this.#pool.query<{ event_key: string }>(
      `INSERT INTO tracking_events (merchant_id, shipment_id, event_key, status, code, occurred_at, received_at)
       SELECT $1, e->>'shipmentId', e->>'key', e->>'status', e->>'code', e->>'occurredAt', $2 FROM jsonb_array_elements($3::jsonb) AS e
       ON CONFLICT DO NOTHING RETURNING event_key`,
      [merchantId, new Date(now).toISOString(), JSON.stringify(events)],
    );
    const inserted = new Set(rows.map((r) => r.event_key));
    const seen = new Set<string>();
    return events.map((e) => {
      const fresh = inserted.has(e.key) && !seen.has(e.key);
      seen.add(e.key);
      return fresh;
    });
  }

  async getLabel(merchantId: string, shipmentId: string): Promise<StoredLabel | null> {
    const { rows } = await this.#pool.query<{
      shipment_id: string;
      carrier: string;
      tracking_number: string;
      pdf: Buffer;
    }>('SELECT shipment_id, carrier, tracking_number, pdf FROM labels WHERE merchant_id = $1 AND shipment_id = $2', [
      merchantId,
      shipmentId,
    ]);
    const row = rows[0];
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
    const { rows } = await this.#pool.query<OutboxRow>(
      `SELECT * FROM outbox WHERE merchant_id = $1 AND type = 'webhook.deliver' AND payload->>'messageId' = $2 ORDER BY id DESC LIMIT 1`,
      [merchantId, messageId],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async enqueueOutbox(merchantId: string, messages: readonly OutboxMessage[], now: number): Promise<void> {
    await this.#tx((client) => this.#outbox(client, merchantId, messages, new Date(now)));
  }

  async saveWebhookEndpoint(merchantId: string, e: WebhookEndpoint): Promise<void> {
    await this.#pool.query(
      `INSERT INTO webhook_endpoints (merchant_id, id, url, events, description, secret, previous_secret, previous_until, state,
         disabled_reason, failing_since, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (merchant_id, id) DO UPDATE SET url = excluded.url, events = excluded.events, description = excluded.description,
         secret = excluded.secret, previous_secret = excluded.previous_secret, previous_until = excluded.previous_until,
         state = excluded.state, disabled_reason = excluded.disabled_reason, failing_since = excluded.failing_since`,
      [
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
      ],
    );
  }

  async getWebhookEndpoint(merchantId: string, id: string): Promise<WebhookEndpoint | null> {
    const { rows } = await this.#pool.query<EndpointRow>(
      'SELECT * FROM webhook_endpoints WHERE merchant_id = $1 AND id = $2',
      [merchantId, id],
    );
    return rows[0] ? toEndpoint(rows[0]) : null;
  }

  async listWebhookEndpoints(merchantId: string): Promise<WebhookEndpoint[]> {
    const { rows } = await this.#pool.query<EndpointRow>(
      'SELECT * FROM webhook_endpoints WHERE merchant_id = $1 ORDER BY created_at, id',
      [merchantId],
    );
    return rows.map(toEndpoint);
  }

  async deleteWebhookEndpoint(merchantId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query('DELETE FROM webhook_endpoints WHERE merchant_id = $1 AND id = $2', [
      merchantId,
      id,
    ]);
    return rowCount === 1;
  }

  async recordWebhookAttempt(merchantId: string, a: WebhookAttempt): Promise<void> {
    await this.#pool.query(
      `INSERT INTO webhook_attempts (merchant_id, endpoint_id, message_id, event_type, attempt, at, status, duration_ms, error, excerpt, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
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
      ],
    );
  }

  async webhookAttempts(merchantId: string, endpointId: string, limit: number): Promise<WebhookAttempt[]> {
    const { rows } = await this.#pool.query<AttemptRow>(
      'SELECT * FROM webhook_attempts WHERE merchant_id = $1 AND endpoint_id = $2 ORDER BY at DESC, attempt DESC LIMIT $3',
      [merchantId, endpointId, limit],
    );
    return rows.map(toAttempt);
  }

  async openException(merchantId: string, e: ShipmentException): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      `INSERT INTO shipment_exceptions (merchant_id, id, kind, order_id, shipment_id, reason, next_action, detail, state, note, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
      [
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
      ],
    );
    return rowCount === 1;
  }

  async listExceptions(
    merchantId: string,
    state: ShipmentException['state'],
    limit: number,
  ): Promise<ShipmentException[]> {
    const { rows } = await this.#pool.query<ExceptionRow>(
      'SELECT * FROM shipment_exceptions WHERE merchant_id = $1 AND state = $2 ORDER BY created_at, id LIMIT $3',
      [merchantId, state, limit],
    );
    return rows.map(toException);
  }

  async updateException(
    merchantId: string,
    id: string,
    change: { state: ShipmentException['state']; note: string | null; updatedAt: string },
  ): Promise<ShipmentException | null> {
    const { rows } = await this.#pool.query<ExceptionRow>(
      `UPDATE shipment_exceptions SET state = $3, note = coalesce($4, note), updated_at = $5 WHERE merchant_id = $1 AND id = $2 RETURNING *`,
      [merchantId, id, change.state, change.note, change.updatedAt],
    );
    return rows[0] ? toException(rows[0]) : null;
  }

  async ordersInFlight({
    after,
    limit,
  }: {
    after: string | null;
    limit: number;
  }): Promise<{ merchantId: string; order: Order }[]> {
    const { rows } = await this.#pool.query<{ merchant_id: string; document: Order }>(
      `SELECT merchant_id, document FROM orders WHERE ${IN_FLIGHT_SQL} AND id > $1 ORDER BY id LIMIT $2`,
      [after ?? '', limit],
    );
    return rows.map((row) => ({ merchantId: row.merchant_id, order: row.document }));
  }

  async serviceSecret(name: string): Promise<string> {
    await this.#pool.query(
      'INSERT INTO service_secrets (name, value, created_at) VALUES ($1, $2, now()) ON CONFLICT DO NOTHING',
      [name, randomBytes(32).toString('base64url')],
    );
    const { rows } = await this.#pool.query<{ value: string }>('SELECT value FROM service_secrets WHERE name = $1', [
      name,
    ]);
    return (rows[0] as { value: string }).value;
  }

  async onStockChange(
    listener: (merchantId: string, sku: string) => void,
    onLive: (live: boolean) => void = () => {},
  ): Promise<() => Promise<void>> {
    let client: pg.Client | null = null;
    let stopped = false;
    let failures = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const makeClient =
      this.#options.listenerClient ??
      (() => new pg.Client({ connectionString: this.#options.connectionString, application_name: LISTENER_NAME }));
    const connect = async () => {
      const next = makeClient();
      next.on('notification', (message) => {
        const [merchantId, sku] = (message.payload ?? '').split('|');
        if (merchantId && sku) listener(merchantId, sku);
      });
      // A dropped connection emits error and then end; react once, to whichever comes first.
      const lost = () => {
        if (client !== next) return;
        client = null;
        this.#listeners.delete(next);
        onLost();
      };
      next.on('error', lost);
      next.on('end', lost);
      try {
        await next.connect();
        await next.query(`LISTEN ${STOCK_CHANNEL}`);
      } catch (error) {
        await next.end().catch(() => {});
        throw error;
      }
      if (stopped) return void (await next.end().catch(() => {}));
      client = next;
      this.#listeners.add(next);
    };
    // Reconnects with backoff (0.5 s doubling to 30 s, ±20 %) for as long as it takes; a failed try tries again.
    const reconnect = () => {
      if (stopped) return;
      const delay = Math.min(500 * 2 ** failures, 30_000) * (0.8 + 0.4 * Math.random());
      retry = setTimeout(() => {
        connect().then(
          () => {
            failures = 0;
            // Changes made while nobody listened were missed: every cache starts over, and is live again.
            listener('*', '*');
            onLive(true);
          },
          () => {
            failures++;
            reconnect();
          },
        );
      }, delay);
      retry.unref();
    };
    const onLost = () => {
      // Notifications may be missed until the next connection: caches start over and expire on their own.
      listener('*', '*');
      onLive(false);
      reconnect();
    };
    await connect();
    onLive(true);
    return async () => {
      stopped = true;
      clearTimeout(retry);
      const current = client;
      client = null;
      if (current) {
        this.#listeners.delete(current);
        await current.end().catch(() => {});
      }
    };
  }

  async close(): Promise<void> {
    for (const client of this.#listeners) await client.end().catch(() => {});
    this.#listeners.clear();
    await this.#pool.end();
  }

  /** Drops the schema of this store (tests). */
  async dropSchema(): Promise<void> {
    if (!this.#options.schema) return;
    await this.#pool.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(this.#options.schema)} CASCADE`);
  }
}
