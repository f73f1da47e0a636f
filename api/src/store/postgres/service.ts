/**
 * The PostgreSQL store as a whole: migrations under an advisory lock, service secrets, the LISTEN connection
 * that hears other processes' stock changes (reconnecting with backoff), closing.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ServiceStore } from '../ports/service.ts';
import { LISTENER_NAME, type PostgresDatabase, STOCK_CHANNEL } from './database.ts';
import { POSTGRES_MIGRATIONS } from './migrations.ts';

/** How often the listening connection is asked whether it is still there, and how long it has to answer. */
const HEARTBEAT_EVERY_MS = 30_000;
const HEARTBEAT_TIMEOUT_MS = 10_000;

export class PostgresService implements ServiceStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async migrate(): Promise<void> {
    if (this.#db.options.schema) {
      const admin = new pg.Client({ connectionString: this.#db.options.connectionString });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(this.#db.options.schema)}`);
      } finally {
        await admin.end();
      }
    }
    await this.#db.tx(async (client) => {
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

  async pendingMigrations(): Promise<number> {
    const { rows } = await this.#db.pool.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    return POSTGRES_MIGRATIONS.filter((m) => !applied.has(m.version)).length;
  }

  async serviceSecret(name: string): Promise<string> {
    await this.#db.pool.query(
      'INSERT INTO service_secrets (name, value, created_at) VALUES ($1, $2, now()) ON CONFLICT DO NOTHING',
      [name, randomBytes(32).toString('base64url')],
    );
    const { rows } = await this.#db.pool.query<{ value: string }>('SELECT value FROM service_secrets WHERE name = $1', [
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
      this.#db.options.listenerClient ??
      (() =>
        new pg.Client({
          connectionString: this.#db.options.connectionString,
          application_name: LISTENER_NAME,
          keepAlive: true,
        }));
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
        this.#db.listeners.delete(next);
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
      this.#db.listeners.add(next);
    };
    // A connection cut silently (an idle NAT or load balancer, a failover) says nothing: ask it something now
    // and then, and treat no answer within the timeout as a lost connection.
    const heartbeat = setInterval(() => {
      const current = client;
      if (!current) return;
      const silent = setTimeout(() => {
        if (client !== current) return;
        client = null;
        this.#db.listeners.delete(current);
        current.end().catch(() => {});
        onLost();
      }, HEARTBEAT_TIMEOUT_MS);
      current.query('SELECT 1').then(
        () => clearTimeout(silent),
        () => {}, // the connection's own error event reports it
      );
    }, HEARTBEAT_EVERY_MS);
    heartbeat.unref();
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
      clearInterval(heartbeat);
      const current = client;
      client = null;
      if (current) {
        this.#db.listeners.delete(current);
        await current.end().catch(() => {});
      }
    };
  }

  async close(): Promise<void> {
    for (const client of this.#db.listeners) await client.end().catch(() => {});
    this.#db.listeners.clear();
    await this.#db.pool.end();
  }

  /** Drops the schema of this store (tests). */
  async dropSchema(): Promise<void> {
    if (!this.#db.options.schema) return;
    await this.#db.pool.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(this.#db.options.schema)} CASCADE`);
  }
}
