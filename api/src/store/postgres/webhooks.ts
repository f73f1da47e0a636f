/** Webhook endpoints and delivery attempts on PostgreSQL. */
import type { WebhookAttempt, WebhookEndpoint, WebhookStore } from '../ports/webhooks.ts';
import { type AttemptRow, attemptValues, type EndpointRow, endpointValues, toAttempt, toEndpoint } from '../rows.ts';
import type { PostgresDatabase } from './database.ts';

export class PostgresWebhooks implements WebhookStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async saveWebhookEndpoint(merchantId: string, e: WebhookEndpoint): Promise<void> {
    await this.#db.pool.query(
      `INSERT INTO webhook_endpoints (merchant_id, id, url, events, description, secret, previous_secret, previous_until, state,
         disabled_reason, failing_since, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (merchant_id, id) DO UPDATE SET url = excluded.url, events = excluded.events, description = excluded.description,
         secret = excluded.secret, previous_secret = excluded.previous_secret, previous_until = excluded.previous_until,
         state = excluded.state, disabled_reason = excluded.disabled_reason, failing_since = excluded.failing_since`,
      endpointValues(merchantId, e),
    );
  }

  async getWebhookEndpoint(merchantId: string, id: string): Promise<WebhookEndpoint | null> {
    const { rows } = await this.#db.pool.query<EndpointRow>(
      'SELECT * FROM webhook_endpoints WHERE merchant_id = $1 AND id = $2',
      [merchantId, id],
    );
    return rows[0] ? toEndpoint(rows[0]) : null;
  }

  async listWebhookEndpoints(merchantId: string): Promise<WebhookEndpoint[]> {
    const { rows } = await this.#db.pool.query<EndpointRow>(
      'SELECT * FROM webhook_endpoints WHERE merchant_id = $1 ORDER BY created_at, id',
      [merchantId],
    );
    return rows.map(toEndpoint);
  }

  async deleteWebhookEndpoint(merchantId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.#db.pool.query('DELETE FROM webhook_endpoints WHERE merchant_id = $1 AND id = $2', [
      merchantId,
      id,
    ]);
    return rowCount === 1;
  }

  async updateEndpointHealth(
    merchantId: string,
    id: string,
    health: { failingSince: number | null; disabledReason?: string },
  ): Promise<void> {
    await this.#db.pool.query(
      `UPDATE webhook_endpoints SET failing_since = $3, state = CASE WHEN $4::text IS NULL THEN state ELSE 'disabled' END,
         disabled_reason = coalesce($4, disabled_reason) WHERE merchant_id = $1 AND id = $2 AND state = 'enabled'`,
      [merchantId, id, health.failingSince, health.disabledReason ?? null],
    );
  }

  async recordWebhookAttempt(merchantId: string, a: WebhookAttempt): Promise<void> {
    await this.#db.pool.query(
      `INSERT INTO webhook_attempts (merchant_id, endpoint_id, message_id, event_type, attempt, at, status, duration_ms, error, excerpt, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      attemptValues(merchantId, a),
    );
  }

  async webhookAttempts(merchantId: string, endpointId: string, limit: number): Promise<WebhookAttempt[]> {
    const { rows } = await this.#db.pool.query<AttemptRow>(
      'SELECT * FROM webhook_attempts WHERE merchant_id = $1 AND endpoint_id = $2 ORDER BY at DESC, attempt DESC LIMIT $3',
      [merchantId, endpointId, limit],
    );
    return rows.map(toAttempt);
  }
}
