/** Webhook endpoints and the log of every delivery attempt. */
import type { WebhookAttempt } from '../../../../shared/src/pipeline.ts';

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

/** One delivery attempt, for the endpoint's message log; the schema is in shared/. */
export type { WebhookAttempt };

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
