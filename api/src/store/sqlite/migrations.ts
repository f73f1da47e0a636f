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
  {
    version: 2,
    name: 'orders, idempotency keys, stock ledger and outbox',
    sql: `
      ALTER TABLE inventory_levels ADD COLUMN incoming_total INTEGER NOT NULL DEFAULT 0;
      UPDATE inventory_levels SET incoming_total = coalesce((SELECT sum(json_extract(value, '$.quantity')) FROM json_each(incoming)), 0);
      CREATE TABLE orders (
        merchant_id TEXT NOT NULL,
        id          TEXT NOT NULL,
        reference   TEXT NOT NULL,
        channel     TEXT NOT NULL DEFAULT '',
        status      TEXT NOT NULL,
        document    TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        PRIMARY KEY (merchant_id, id)
      );
      CREATE UNIQUE INDEX orders_reference ON orders (merchant_id, channel, reference);
      CREATE TABLE idempotency_keys (
        merchant_id   TEXT NOT NULL,
        key           TEXT NOT NULL,
        request_hash  TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
        status_code   INTEGER,
        response_body TEXT,
        locked_at     INTEGER NOT NULL,
        expires_at    INTEGER NOT NULL,
        PRIMARY KEY (merchant_id, key)
      );
      CREATE TABLE stock_movements (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        merchant_id    TEXT NOT NULL,
        warehouse_id   TEXT NOT NULL,
        sku            TEXT NOT NULL,
        on_hand_delta  INTEGER NOT NULL,
        reserved_delta INTEGER NOT NULL,
        reason         TEXT NOT NULL,
        order_id       TEXT,
        at             TEXT NOT NULL
      );
      CREATE INDEX stock_movements_sku ON stock_movements (merchant_id, sku, id);
      CREATE TABLE outbox (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        merchant_id  TEXT NOT NULL,
        order_id     TEXT NOT NULL,
        type         TEXT NOT NULL,
        payload      TEXT NOT NULL,
        state        TEXT NOT NULL DEFAULT 'pending',
        attempts     INTEGER NOT NULL DEFAULT 0,
        available_at TEXT NOT NULL,
        created_at   TEXT NOT NULL
      );
      CREATE INDEX outbox_pending ON outbox (state, available_at, id);
    `,
  },
  {
    version: 3,
    name: 'outbox leases and carrier labels',
    sql: `
      ALTER TABLE outbox ADD COLUMN locked_by TEXT;
      ALTER TABLE outbox ADD COLUMN locked_until INTEGER;
      ALTER TABLE outbox ADD COLUMN last_error TEXT;
      CREATE INDEX outbox_order ON outbox (merchant_id, order_id, id);
      CREATE TABLE labels (
        merchant_id     TEXT NOT NULL,
        shipment_id     TEXT NOT NULL,
        carrier         TEXT NOT NULL,
        tracking_number TEXT NOT NULL,
        pdf             BLOB NOT NULL,
        created_at      TEXT NOT NULL,
        PRIMARY KEY (merchant_id, shipment_id)
      );
    `,
  },
  {
    version: 4,
    name: 'webhook endpoints and delivery attempts',
    sql: `
      CREATE TABLE webhook_endpoints (
        merchant_id      TEXT NOT NULL,
        id               TEXT NOT NULL,
        url              TEXT NOT NULL,
        events           TEXT NOT NULL,
        description      TEXT,
        secret           TEXT NOT NULL,
        previous_secret  TEXT,
        previous_until   INTEGER,
        state            TEXT NOT NULL DEFAULT 'enabled',
        disabled_reason  TEXT,
        failing_since    INTEGER,
        created_at       TEXT NOT NULL,
        PRIMARY KEY (merchant_id, id)
      );
      CREATE TABLE webhook_attempts (
        merchant_id  TEXT NOT NULL,
        endpoint_id  TEXT NOT NULL,
        message_id   TEXT NOT NULL,
        event_type   TEXT NOT NULL,
        attempt      integer NOT NULL,
        at           TEXT NOT NULL,
        status       integer,
        duration_ms  integer NOT NULL,
        error        TEXT,
        excerpt      TEXT
      );
      CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (merchant_id, endpoint_id, at);
    `,
  },
  {
    version: 5,
    name: 'tracking events',
    sql: `
      ALTER TABLE labels ADD COLUMN order_id TEXT;
      CREATE INDEX labels_tracking ON labels (merchant_id, tracking_number);
      CREATE TABLE tracking_events (
        merchant_id  TEXT NOT NULL,
        shipment_id  TEXT NOT NULL,
        event_key    TEXT NOT NULL,
        status       TEXT NOT NULL,
        code         TEXT NOT NULL,
        occurred_at  TEXT NOT NULL,
        received_at  TEXT NOT NULL,
        PRIMARY KEY (merchant_id, shipment_id, event_key)
      );
    `,
  },
  {
    version: 6,
    name: 'shipment exceptions',
    sql: `
      CREATE TABLE shipment_exceptions (
        merchant_id  TEXT NOT NULL,
        id           TEXT NOT NULL,
        order_id     TEXT NOT NULL,
        shipment_id  TEXT NOT NULL,
        reason       TEXT NOT NULL,
        next_action  TEXT NOT NULL,
        detail       TEXT,
        state        TEXT NOT NULL DEFAULT 'open',
        note         TEXT,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        PRIMARY KEY (merchant_id, id)
      );
      CREATE INDEX shipment_exceptions_state ON shipment_exceptions (merchant_id, state, created_at);
      CREATE INDEX orders_status ON orders (status);
    `,
  },
  {
    version: 7,
    name: 'adjustments, lanes, attempt outcomes, exception kinds, tracking watch',
    sql: `
      ALTER TABLE stock_movements ADD COLUMN note TEXT;
      ALTER TABLE outbox ADD COLUMN lane_key TEXT;
      ALTER TABLE webhook_attempts ADD COLUMN outcome TEXT;
      ALTER TABLE shipment_exceptions ADD COLUMN kind TEXT NOT NULL DEFAULT 'shipment';
      CREATE TABLE tracking_watch (
        merchant_id    TEXT NOT NULL,
        shipment_id    TEXT NOT NULL,
        order_id       TEXT NOT NULL,
        next_check_at  INTEGER NOT NULL,
        PRIMARY KEY (merchant_id, shipment_id)
      );
      CREATE INDEX tracking_watch_due ON tracking_watch (next_check_at);
      INSERT INTO tracking_watch (merchant_id, shipment_id, order_id, next_check_at)
        SELECT l.merchant_id, l.shipment_id, l.order_id, 0 FROM labels l
        JOIN orders o ON o.merchant_id = l.merchant_id AND o.id = l.order_id
        WHERE o.status IN ('accepted', 'in_preparation', 'partially_shipped', 'shipped');
      CREATE INDEX orders_in_flight ON orders (id) WHERE status IN ('accepted', 'in_preparation', 'partially_shipped', 'shipped');
    `,
  },
  {
    version: 8,
    name: 'transit history',
    sql: `
      CREATE TABLE transit_history (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        merchant_id   TEXT    NOT NULL,
        service       TEXT    NOT NULL,
        warehouse     TEXT    NOT NULL,
        country       TEXT    NOT NULL,
        postal_code   TEXT    NOT NULL,
        dispatched_at INTEGER NOT NULL,
        delivered_at  INTEGER NOT NULL,
        source        TEXT    NOT NULL,
        UNIQUE (merchant_id, service, warehouse, country, postal_code, dispatched_at, delivered_at)
      );
      CREATE INDEX transit_history_merchant ON transit_history (merchant_id, id);
      CREATE INDEX orders_created ON orders (merchant_id, created_at);
    `,
  },
  {
    version: 9,
    name: 'channel cursors and settled platform orders',
    sql: `
      CREATE TABLE channel_cursors (
        merchant_id  TEXT NOT NULL,
        channel_id   TEXT NOT NULL,
        cursor       TEXT,
        updated_at   TEXT NOT NULL,
        PRIMARY KEY (merchant_id, channel_id)
      );
      CREATE TABLE channel_settled (
        merchant_id  TEXT NOT NULL,
        channel_id   TEXT NOT NULL,
        external_id  TEXT NOT NULL,
        settled_at   TEXT NOT NULL,
        PRIMARY KEY (merchant_id, channel_id, external_id)
      );
    `,
  },
  {
    version: 10,
    name: 'shipments by id',
    sql: `
      CREATE TABLE order_shipments (
        merchant_id  TEXT NOT NULL,
        shipment_id  TEXT NOT NULL,
        order_id     TEXT NOT NULL,
        PRIMARY KEY (merchant_id, shipment_id)
      );
      INSERT INTO order_shipments (merchant_id, shipment_id, order_id)
        SELECT o.merchant_id, json_extract(s.value, '$.id'), o.id FROM orders o, json_each(o.document, '$.shipments') s;
    `,
  },
  {
    version: 11,
    name: 'console sessions',
    sql: `
      CREATE TABLE console_sessions (
        id          TEXT PRIMARY KEY,
        data        TEXT NOT NULL,
        expires_at  INTEGER NOT NULL
      );
      CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
    `,
  },
];
