/**
 * The scale-out database: PostgreSQL through a `pg` pool, for any number of API processes sharing one database.
 * The ports (inventory.ts, orders.ts …) share one of these; the writers of the ledger and the outbox and the
 * stock notification live here because several ports use them inside their own transactions.
 */
import pg from 'pg';
import type { StockMovement } from '../ports/inventory.ts';
import type { OutboxMessage } from '../ports/outbox.ts';

/** The channel stock changes are announced on (NOTIFY), so every process's promise caches hear them. */
export const STOCK_CHANNEL = 'promesse_stock';
/** The listening connection's application_name, so operators (and tests) can find it in pg_stat_activity. */
export const LISTENER_NAME = 'promesse-stock-listener';

export interface PostgresStoreOptions {
  connectionString: string;
  /** a schema of its own (created when missing): tests use one per run */
  schema?: string;
  poolSize?: number;
  clock?: () => number;
  /** makes the connection that LISTENs for stock changes (tests inject failing ones) */
  listenerClient?: () => pg.Client;
}

export class PostgresDatabase {
  readonly pool: pg.Pool;
  readonly options: PostgresStoreOptions;
  /** the LISTEN connections, closed with the store */
  readonly listeners = new Set<pg.Client>();
  readonly #clock: () => number;

  constructor(options: PostgresStoreOptions) {
    this.options = options;
    this.#clock = options.clock ?? Date.now;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    this.pool.on('error', () => {});
  }

  now(): Date {
    return new Date(this.#clock());
  }

  /** Runs `work` in one transaction on one connection: committed when it returns, rolled back when it throws. */
  async tx<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
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
}

/** Tells every process that these skus' stock changed (delivered at commit). */
export async function notify(client: pg.PoolClient, merchantId: string, skus: Iterable<string>): Promise<void> {
  const payloads = [...new Set(skus)].map((sku) => `${merchantId}|${sku}`);
  if (payloads.length > 0)
    await client.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [STOCK_CHANNEL, payloads]);
}

export async function writeMovements(
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

/** A message's `available_at` in SQL: the write's instant `$2`, plus the message's `delayMs` if it has one. */
export const AVAILABLE_AT = `$2::timestamptz + coalesce((m->>'delayMs')::bigint, 0) * interval '1 millisecond'`;

export async function writeOutbox(
  client: pg.PoolClient,
  merchantId: string,
  messages: readonly OutboxMessage[],
  at: Date,
): Promise<void> {
  if (messages.length === 0) return;
  await client.query(
    `INSERT INTO outbox (merchant_id, order_id, type, payload, lane_key, available_at, created_at)
     SELECT $1, m->>'orderId', m->>'type', m->'payload', m->>'laneKey', ${AVAILABLE_AT}, $2 FROM jsonb_array_elements($3::jsonb) AS m`,
    [merchantId, at, JSON.stringify(messages)],
  );
}
