/**
 * Outbound webhooks (Standard Webhooks): the deliveries the event fan-out (../events.ts) enqueues, one outbox job
 * per endpoint, ordered per endpoint and order. Every attempt is signed afresh with the `standardwebhooks`
 * library; the retry schedule is immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (±10 % jitter). A 410
 * disables the endpoint, and so do 5 days of failures.
 */
import { Webhook } from 'standardwebhooks';
import type { OutboxJob, Store, WebhookAttempt, WebhookEndpoint } from '../../store/store.ts';
import { type JobHandler, RetryAt } from '../outbox-relay.ts';
import { DeliveryFailure, type Sender } from './send.ts';
import { checkWebhookUrl, type Resolver, UrlRefused } from './ssrf-guard.ts';

/** Delays before attempts 2 … 8 (the first is immediate). */
export const RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;
export const DISABLE_AFTER_MS = 5 * 24 * 3_600_000;
export const WEBHOOK_DELIVER = 'webhook.deliver';

export interface WebhookDependencies {
  store: Store;
  clock: () => number;
  resolve: Resolver;
  send: Sender;
  allowPrivate: boolean;
  random?: () => number;
}

export function subscribes(endpoint: WebhookEndpoint, type: string): boolean {
  return endpoint.state === 'enabled' && (endpoint.events.includes('*') || endpoint.events.includes(type));
}

/** The signature header: the current secret, and the previous one while a rotation is fresh. */
export function sign(endpoint: WebhookEndpoint, messageId: string, at: Date, body: string, now: number): string {
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousUntil !== null && endpoint.previousUntil > now)
    secrets.push(endpoint.previousSecret);
  return secrets.map((secret) => new Webhook(secret).sign(messageId, at, body)).join(' ');
}

export function webhookJobs(deps: WebhookDependencies): Record<string, JobHandler> {
  const { store, clock } = deps;
  const random = deps.random ?? Math.random;

  const deliver: JobHandler = async (job: OutboxJob) => {
    const endpointId = String(job.payload.endpointId);
    const messageId = String(job.payload.messageId);
    const eventType = String(job.payload.eventType);
    const body = String(job.payload.body);
    const endpoint = await store.getWebhookEndpoint(job.merchantId, endpointId);
    if (endpoint?.state !== 'enabled') return; // deleted or disabled: nothing to deliver to
    const attempt = job.attempts + 1;
    const started = clock();
    let status: number | null = null;
    let error: string | null = null;
    let excerpt: string | null = null;
    let outcome: WebhookAttempt['outcome'] = 'answered';
    try {
      const target = await checkWebhookUrl(endpoint.url, { resolve: deps.resolve, allowPrivate: deps.allowPrivate });
      const at = new Date(clock());
      const headers = {
        'webhook-id': messageId,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': sign(endpoint, messageId, at, body, at.getTime()),
      };
      const result = await deps.send(target, { headers, body });
      status = result.status;
      excerpt = result.excerpt || null;
    } catch (failure) {
      error = failure instanceof UrlRefused ? `${failure.code}: ${failure.message}` : (failure as Error).message;
      outcome =
        failure instanceof UrlRefused
          ? 'refused_url'
          : failure instanceof DeliveryFailure
            ? failure.outcome
            : 'no_connection';
    }
    const now = clock();
    await store.recordWebhookAttempt(job.merchantId, {
      endpointId,
      messageId,
      eventType,
      attempt,
      at: new Date(started).toISOString(),
      status,
      durationMs: Math.max(0, now - started),
      error,
      excerpt,
      outcome,
    });
    if (status !== null && status >= 200 && status < 300) {
      if (endpoint.failingSince !== null)
        await store.updateEndpointHealth(job.merchantId, endpointId, { failingSince: null });
      return;
    }
    // Only the endpoint's health is written, never the row read before the send: a rotation, an edit or a
    // deletion made meanwhile stands.
    if (status === 410) {
      await store.updateEndpointHealth(job.merchantId, endpointId, {
        failingSince: endpoint.failingSince,
        disabledReason: 'The endpoint answered 410 Gone.',
      });
      return;
    }
    const failingSince = endpoint.failingSince ?? started;
    if (now - failingSince >= DISABLE_AFTER_MS) {
      await store.updateEndpointHealth(job.merchantId, endpointId, {
        failingSince,
        disabledReason: 'Every delivery failed for 5 days.',
      });
      throw new RetryAt(null, 'endpoint disabled after 5 days of failures');
    }
    if (endpoint.failingSince === null) await store.updateEndpointHealth(job.merchantId, endpointId, { failingSince });
    const delay = RETRY_SCHEDULE_MS[attempt - 1];
    const reason = error ?? `answered ${status}`;
    throw new RetryAt(delay === undefined ? null : now + Math.round(delay * (0.9 + 0.2 * random())), reason);
  };

  return { [WEBHOOK_DELIVER]: deliver };
}
