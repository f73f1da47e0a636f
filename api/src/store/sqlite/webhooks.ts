/** Webhook endpoints and delivery attempts on SQLite. */
import type { WebhookAttempt, WebhookEndpoint, WebhookStore } from '../ports/webhooks.ts';
import { type AttemptRow, attemptValues, type EndpointRow, endpointValues, toAttempt, toEndpoint } from '../rows.ts';
import type { SqliteDatabase } from './database.ts';

export class SqliteWebhooks implements WebhookStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async saveWebhookEndpoint(merchantId: string, e: WebhookEndpoint): Promise<void> {
    this.#db
      .sql(
        `INSERT INTO webhook_endpoints (merchant_id, id, url, events, description, secret, previous_secret, previous_until, state,
         disabled_reason, failing_since, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (merchant_id, id) DO UPDATE SET url = excluded.url, events = excluded.events, description = excluded.description,
         secret = excluded.secret, previous_secret = excluded.previous_secret, previous_until = excluded.previous_until,
         state = excluded.state, disabled_reason = excluded.disabled_reason, failing_since = excluded.failing_since`,
      )
      .run(...endpointValues(merchantId, e));
  }

  async getWebhookEndpoint(merchantId: string, id: string): Promise<WebhookEndpoint | null> {
    const row = this.#db.sql('SELECT * FROM webhook_endpoints WHERE merchant_id = ? AND id = ?').get(merchantId, id) as
      | EndpointRow
      | undefined;
    return row ? toEndpoint(row) : null;
  }

  async listWebhookEndpoints(merchantId: string): Promise<WebhookEndpoint[]> {
    return (
      this.#db
        .sql('SELECT * FROM webhook_endpoints WHERE merchant_id = ? ORDER BY created_at, id')
        .all(merchantId) as EndpointRow[]
    ).map(toEndpoint);
  }

  async deleteWebhookEndpoint(merchantId: string, id: string): Promise<boolean> {
    return (
      this.#db.sql('DELETE FROM webhook_endpoints WHERE merchant_id = ? AND id = ?').run(merchantId, id).changes === 1
    );
  }

  async updateEndpointHealth(
    merchantId: string,
    id: string,
    health: { failingSince: number | null; disabledReason?: string },
  ): Promise<void> {
    this.#db
      .sql(
        `UPDATE webhook_endpoints SET failing_since = ?, state = CASE WHEN ? IS NULL THEN state ELSE 'disabled' END,
           disabled_reason = coalesce(?, disabled_reason) WHERE merchant_id = ? AND id = ? AND state = 'enabled'`,
      )
      .run(health.failingSince, health.disabledReason ?? null, health.disabledReason ?? null, merchantId, id);
  }

  async recordWebhookAttempt(merchantId: string, a: WebhookAttempt): Promise<void> {
    this.#db
      .sql(
        `INSERT INTO webhook_attempts (merchant_id, endpoint_id, message_id, event_type, attempt, at, status, duration_ms, error, excerpt, outcome)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...attemptValues(merchantId, a));
  }

  async webhookAttempts(merchantId: string, endpointId: string, limit: number): Promise<WebhookAttempt[]> {
    const rows = this.#db
      .sql(
        'SELECT * FROM webhook_attempts WHERE merchant_id = ? AND endpoint_id = ? ORDER BY at DESC, attempt DESC LIMIT ?',
      )
      .all(merchantId, endpointId, limit) as AttemptRow[];
    return rows.map(toAttempt);
  }
}
