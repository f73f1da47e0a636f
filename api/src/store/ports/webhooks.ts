/** Webhook endpoints and the log of every delivery attempt. */

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

export interface WebhookStore {
  saveWebhookEndpoint(merchantId: string, endpoint: WebhookEndpoint): Promise<void>;
  getWebhookEndpoint(merchantId: string, id: string): Promise<WebhookEndpoint | null>;
  listWebhookEndpoints(merchantId: string): Promise<WebhookEndpoint[]>;
  deleteWebhookEndpoint(merchantId: string, id: string): Promise<boolean>;
  /**
   * Records an enabled endpoint's health after a delivery: when its failures began (null: it answers again),
   * and with `disabledReason`, that it is disabled. Writes nothing else, and nothing to a disabled or deleted one.
   */
  updateEndpointHealth(
    merchantId: string,
    id: string,
    health: { failingSince: number | null; disabledReason?: string },
  ): Promise<void>;
  recordWebhookAttempt(merchantId: string, attempt: WebhookAttempt): Promise<void>;
  webhookAttempts(merchantId: string, endpointId: string, limit: number): Promise<WebhookAttempt[]>;
}
