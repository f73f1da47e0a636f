/**
 * Publishing events to the merchant's sinks (CONTRACT §8): one `stream.publish` job per event and sink, from
 * the same outbox as webhooks. A job is done only once the broker has confirmed the message (at least once);
 * while the broker is down or refuses, it is retried with backoff (1 s doubling to 5 min, with jitter) for up to
 * five days, then dead, listed and replayable like any job. Jobs of one order and sink run in order.
 */
import { DEFAULT_EXCHANGE, sinkId } from '../../../../shared/src/config.ts';
import type { MerchantRegistry } from '../../merchants/registry.ts';
import type { OutboxJob } from '../../store/store.ts';
import { type JobHandler, RetryAt } from '../outbox-relay.ts';
import type { AmqpPublishers } from './amqp-publisher.ts';

export const STREAM_PUBLISH = 'stream.publish';
export const GIVE_UP_AFTER_MS = 5 * 24 * 3_600_000;

export interface StreamDependencies {
  merchants: MerchantRegistry;
  publishers: AmqpPublishers;
  clock: () => number;
  random?: () => number;
  /** each attempt's outcome, for metrics */
  onOutcome?: (sinkId: string, outcome: 'confirmed' | 'failed') => void;
}

/** Backoff before attempt `attempt + 1`: 1 s doubling to at most 5 minutes, ±20 %. */
export function publishDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.round(Math.min(1000 * 2 ** attempt, 300_000) * (0.8 + 0.4 * random()));
}

export function streamJobs(deps: StreamDependencies): Record<string, JobHandler> {
  const publish: JobHandler = async (job: OutboxJob) => {
    const id = String(job.payload.sinkId);
    const sink = deps.merchants.byId(job.merchantId)?.sinks.find((s) => sinkId(s) === id);
    if (!sink) return; // the sink was removed from the config: nowhere to publish, as for a deleted endpoint
    const eventType = String(job.payload.eventType);
    try {
      await deps.publishers.for(`${job.merchantId}/${id}`, sink.url).publish({
        exchange: sink.exchange ?? DEFAULT_EXCHANGE,
        routingKey: eventType,
        messageId: String(job.payload.eventId),
        type: eventType,
        timestamp: Date.parse(String(job.payload.occurredAt)),
        body: String(job.payload.body),
      });
      deps.onOutcome?.(id, 'confirmed');
    } catch (error) {
      deps.onOutcome?.(id, 'failed');
      const now = deps.clock();
      const message = `sink ${id}: ${error instanceof Error ? error.message : String(error)}`;
      const givingUp = now - Date.parse(job.createdAt) >= GIVE_UP_AFTER_MS;
      // The message only, not the client's error: it may carry the broker's address, and the password in it.
      throw new RetryAt(givingUp ? null : now + publishDelayMs(job.attempts, deps.random), message);
    }
  };
  return { [STREAM_PUBLISH]: publish };
}
