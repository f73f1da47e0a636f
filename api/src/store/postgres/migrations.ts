/** The PostgreSQL schema, one entry per version, applied in order under an advisory lock at start. */
export const POSTGRES_MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'inventory levels and service secrets',
    sql: `
      CREATE TABLE inventory_levels (
        merchant_id   text    NOT NULL,
        warehouse_id  text    NOT NULL,
        sku           text    NOT NULL,
        on_hand       integer NOT NULL CHECK (on_hand >= 0),
        reserved      integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        safety_stock  integer NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
        incoming      jsonb   NOT NULL DEFAULT '[]',
        updated_at    timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, sku, warehouse_id)
      );
      CREATE TABLE service_secrets (name text PRIMARY KEY, value text NOT NULL, created_at timestamptz NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'orders, idempotency keys, stock ledger and outbox',
    sql: `
      ALTER TABLE inventory_levels ADD COLUMN incoming_total integer NOT NULL DEFAULT 0;
      CREATE TABLE orders (
        merchant_id text NOT NULL,
        id          text NOT NULL,
        reference   text NOT NULL,
        channel     text NOT NULL DEFAULT '',
        status      text NOT NULL,
        document    jsonb NOT NULL,
        created_at  timestamptz NOT NULL,
        updated_at  timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, id)
      );
      CREATE UNIQUE INDEX orders_reference ON orders (merchant_id, channel, reference);
      CREATE TABLE idempotency_keys (
        merchant_id   text NOT NULL,
        key           text NOT NULL,
        request_hash  text NOT NULL,
        state         text NOT NULL CHECK (state IN ('in_progress', 'done')),
        status_code   integer,
        response_body text,
        locked_at     bigint NOT NULL,
        expires_at    bigint NOT NULL,
        PRIMARY KEY (merchant_id, key)
      );
      CREATE TABLE stock_movements (
        id             bigserial PRIMARY KEY,
        merchant_id    text NOT NULL,
        warehouse_id   text NOT NULL,
        sku            text NOT NULL,
        on_hand_delta  integer NOT NULL,
        reserved_delta integer NOT NULL,
        reason         text NOT NULL,
        order_id       text,
        at             timestamptz NOT NULL
      );
      CREATE INDEX stock_movements_sku ON stock_movements (merchant_id, sku, id);
      CREATE TABLE outbox (
        id           bigserial PRIMARY KEY,
        merchant_id  text NOT NULL,
        order_id     text NOT NULL,
        type         text NOT NULL,
        payload      jsonb NOT NULL,
        state        text NOT NULL DEFAULT 'pending',
        attempts     integer NOT NULL DEFAULT 0,
        available_at timestamptz NOT NULL,
        created_at   timestamptz NOT NULL
      );
      CREATE INDEX outbox_pending ON outbox (state, available_at, id);
    `,
  },
  {
    version: 3,
    name: 'outbox leases and carrier labels',
    sql: `
      ALTER TABLE outbox ADD COLUMN locked_by text;
      ALTER TABLE outbox ADD COLUMN locked_until bigint;
      ALTER TABLE outbox ADD COLUMN last_error text;
      CREATE INDEX outbox_order ON outbox (merchant_id, order_id, id);
      CREATE TABLE labels (
        merchant_id     text NOT NULL,
        shipment_id     text NOT NULL,
        carrier         text NOT NULL,
        tracking_number text NOT NULL,
        pdf             bytea NOT NULL,
        created_at      timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, shipment_id)
      );
    `,
  },
  {
    version: 4,
    name: 'webhook endpoints and delivery attempts',
    sql: `
      CREATE TABLE webhook_endpoints (
        merchant_id      text NOT NULL,
        id               text NOT NULL,
        url              text NOT NULL,
        events           text NOT NULL,
        description      text,
        secret           text NOT NULL,
        previous_secret  text,
        previous_until   bigint,
        state            text NOT NULL DEFAULT 'enabled',
        disabled_reason  text,
        failing_since    bigint,
        created_at       text NOT NULL,
        PRIMARY KEY (merchant_id, id)
      );
      CREATE TABLE webhook_attempts (
        merchant_id  text NOT NULL,
        endpoint_id  text NOT NULL,
        message_id   text NOT NULL,
        event_type   text NOT NULL,
        attempt      integer NOT NULL,
        at           text NOT NULL,
        status       integer,
        duration_ms  integer NOT NULL,
        error        text,
        excerpt      text
      );
      CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (merchant_id, endpoint_id, at);
    `,
  },
  {
    version: 5,
    name: 'tracking events',
    sql: `
      ALTER TABLE labels ADD COLUMN order_id text;
      CREATE INDEX labels_tracking ON labels (merchant_id, tracking_number);
      CREATE TABLE tracking_events (
        merchant_id  text NOT NULL,
        shipment_id  text NOT NULL,
        event_key    text NOT NULL,
        status       text NOT NULL,
        code         text NOT NULL,
        occurred_at  text NOT NULL,
        received_at  text NOT NULL,
        PRIMARY KEY (merchant_id, shipment_id, event_key)
      );
    `,
  },
  {
    version: 6,
    name: 'shipment exceptions',
    sql: `
      CREATE TABLE shipment_exceptions (
        merchant_id  text NOT NULL,
        id           text NOT NULL,
        order_id     text NOT NULL,
        shipment_id  text NOT NULL,
        reason       text NOT NULL,
        next_action  text NOT NULL,
        detail       text,
        state        text NOT NULL DEFAULT 'open',
        note         text,
        created_at   text NOT NULL,
        updated_at   text NOT NULL,
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
      ALTER TABLE stock_movements ADD COLUMN note text;
      ALTER TABLE outbox ADD COLUMN lane_key text;
      ALTER TABLE webhook_attempts ADD COLUMN outcome text;
      ALTER TABLE shipment_exceptions ADD COLUMN kind text NOT NULL DEFAULT 'shipment';
      CREATE TABLE tracking_watch (
        merchant_id    text NOT NULL,
        shipment_id    text NOT NULL,
        order_id       text NOT NULL,
        next_check_at  bigint NOT NULL,
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
        id            bigserial PRIMARY KEY,
        merchant_id   text   NOT NULL,
        service       text   NOT NULL,
        warehouse     text   NOT NULL,
        country       text   NOT NULL,
        postal_code   text   NOT NULL,
        dispatched_at bigint NOT NULL,
        delivered_at  bigint NOT NULL,
        source        text   NOT NULL,
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
        merchant_id  text NOT NULL,
        channel_id   text NOT NULL,
        cursor       text,
        updated_at   timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, channel_id)
      );
      CREATE TABLE channel_settled (
        merchant_id  text NOT NULL,
        channel_id   text NOT NULL,
        external_id  text NOT NULL,
        settled_at   timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, channel_id, external_id)
      );
    `,
  },
  {
    version: 10,
    name: 'shipments by id',
    sql: `
      CREATE TABLE order_shipments (
        merchant_id  text NOT NULL,
        shipment_id  text NOT NULL,
        order_id     text NOT NULL,
        PRIMARY KEY (merchant_id, shipment_id)
      );
      INSERT INTO order_shipments (merchant_id, shipment_id, order_id)
        SELECT o.merchant_id, s->>'id', o.id FROM orders o, jsonb_array_elements(o.document->'shipments') s;
    `,
  },
  {
    version: 11,
    name: 'console sessions',
    sql: `
      CREATE TABLE console_sessions (
        id          text PRIMARY KEY,
        data        text NOT NULL,
        expires_at  bigint NOT NULL
      );
      CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
    `,
  },
];
