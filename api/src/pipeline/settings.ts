/** What the pipeline can be tuned by (from the environment, see api/src/settings.ts), and its defaults. */
import type { JourneySettings } from './carriers/sandbox-journey.ts';
import type { PublisherOptions } from './streams/amqp-publisher.ts';

export interface PipelineSettings {
  /** lift the SSRF guard's address check: development and tests on loopback */
  allowPrivateWebhooks: boolean;
  noScanMs: number;
  giveUpMs: number;
  exceptionScanMs: number;
  pollEveryMs: number;
  pollAfterMs: number;
  pollsPerCarrier: number;
  sandbox: JourneySettings;
  /** time-outs and heartbeat of the connections to event brokers (tests shorten them) */
  amqp?: PublisherOptions;
}

/** The pipeline's settings when nobody sets any (tests, benchmarks). */
export const DEFAULT_PIPELINE: PipelineSettings = {
  allowPrivateWebhooks: false,
  noScanMs: 48 * 3_600_000,
  giveUpMs: 30 * 86_400_000,
  exceptionScanMs: 600_000,
  pollEveryMs: 5000,
  pollAfterMs: 10_000,
  pollsPerCarrier: 50,
  sandbox: { speed: 3600, delayRate: 0.1, failedAttemptRate: 0.1, lossRate: 0.01 },
};
