/**
 * Every setting Promesse takes from the environment, read once at start into one validated object that is passed
 * down (nothing below server.ts and cli.ts reads the environment). A bad value stops the start with a message
 * naming the variable and what it got. Hours, days, the speed and the two round intervals must be positive;
 * the poll delay and the parcels per round whole numbers, 0 or more; rates from 0 to 1.
 *
 * | variable | default | meaning |
 * | PORT, HOST | 8787, 127.0.0.1 | where the API listens |
 * | PROMESSE_CONFIG | the bundled demo merchant | a merchant config file, or a folder of them |
 * | PROMESSE_DATA_DIR | ./data | the SQLite store's folder |
 * | DATABASE_URL | unset | PostgreSQL instead of SQLite |
 * | PROMESSE_SECRET | kept in the store | the promiseId signing secret |
 * | LOG_LEVEL | info | pino level |
 * | PROMESSE_DEMO | true with the demo merchant | serve /demo/ |
 * | PROMESSE_TRUST_PROXY | false | proxies whose X-Forwarded-For is believed |
 * | PROMESSE_METRICS_TOKEN | unset | the bearer token of GET /metrics |
 * | PROMESSE_ALLOW_PRIVATE_WEBHOOKS | false | lift the SSRF guard's address check (development) |
 * | PROMESSE_NO_SCAN_HOURS | 48 | silence before a no_scan exception |
 * | PROMESSE_TRACKING_GIVE_UP_DAYS | 30 | silence before a parcel counts as lost |
 * | PROMESSE_EXCEPTION_SCAN_MS | 600000 | how often the silence and lateness scan runs |
 * | PROMESSE_TRACKING_POLL_MS | 5000 | how often the tracking poller runs a round |
 * | PROMESSE_TRACKING_POLL_AFTER_MS | 10000 | how long a parcel waits between two polls |
 * | PROMESSE_TRACKING_POLLS_PER_CARRIER | 50 | parcels per carrier per round |
 * | PROMESSE_SANDBOX_SPEED | 3600 | the sandbox carrier's clock factor |
 * | PROMESSE_SANDBOX_DELAY_RATE, …_FAILED_ATTEMPT_RATE, …_LOSS_RATE | 0.1, 0.1, 0.01 | its journeys going wrong |
 */
import { resolve } from 'node:path';
import type { Environment } from './config/environment.ts';
import { DEMO_CONFIG_PATH } from './config/load-config.ts';
import { DEFAULT_PIPELINE, type PipelineSettings } from './pipeline/settings.ts';

export interface Settings {
  port: number;
  host: string;
  configPath: string;
  dataDir: string;
  /** PostgreSQL instead of SQLite when set */
  databaseUrl: string | undefined;
  /** never logged */
  secret: string | undefined;
  logLevel: string;
  demo: boolean;
  trustProxy: boolean | number | string[];
  /** never logged */
  metricsToken: string | undefined;
  pipeline: PipelineSettings;
  /** where merchant configs' `"${NAME}"` secrets are read (the environment); never logged */
  configSecrets: Environment;
}

/** A setting that cannot be used: the start stops, and the CLI prints this message alone. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** What a number variable accepts: only values that never made sense are refused, so old settings still start. */
interface Rule {
  says: string;
  accepts: (value: number) => boolean;
}
const POSITIVE: Rule = { says: 'a positive number', accepts: (n) => n > 0 };
const POSITIVE_WHOLE: Rule = { says: 'a positive whole number', accepts: (n) => Number.isSafeInteger(n) && n > 0 };
const WHOLE: Rule = { says: 'a whole number, 0 or more', accepts: (n) => Number.isSafeInteger(n) && n >= 0 };
const RATE: Rule = { says: 'a number from 0 to 1', accepts: (n) => n >= 0 && n <= 1 };
const PORT: Rule = {
  says: 'a whole number from 0 to 65535',
  accepts: (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
};

/** A number variable; unset (or blank) takes the default. */
function number(env: Environment, name: string, fallback: number, rule: Rule): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || !rule.accepts(value))
    throw new SettingsError(`${name} must be ${rule.says}, got "${text}"`);
  return value;
}

/** A true/false variable; unset takes the default. */
function flag(env: Environment, name: string, fallback: boolean): boolean {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  if (text !== 'true' && text !== 'false') throw new SettingsError(`${name} must be true or false, got "${text}"`);
  return text === 'true';
}

/**
 * PROMESSE_TRUST_PROXY: unset or `false` trusts no proxy; `true` any; a number the count of proxy hops in front
 * of the API; else a comma-separated list of addresses and CIDR ranges (`10.0.0.0/8,192.168.1.4`).
 */
export function parseTrustProxy(text: string | undefined): boolean | number | string[] {
  const value = (text ?? '').trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry));
  if (bad !== undefined)
    throw new SettingsError(`PROMESSE_TRUST_PROXY must be true, false, a hop count or addresses/CIDRs, got "${bad}"`);
  return entries;
}

/** Reads and checks every setting; throws a SettingsError naming the first bad variable and its value. */
export function settingsFromEnv(env: Environment): Settings {
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel))
    throw new SettingsError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const d = DEFAULT_PIPELINE;
  return {
    port: number(env, 'PORT', 8787, PORT),
    host: env.HOST || '127.0.0.1',
    configPath: env.PROMESSE_CONFIG || DEMO_CONFIG_PATH,
    dataDir: resolve(env.PROMESSE_DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    secret: env.PROMESSE_SECRET || undefined,
    logLevel,
    demo: flag(env, 'PROMESSE_DEMO', !env.PROMESSE_CONFIG),
    trustProxy: parseTrustProxy(env.PROMESSE_TRUST_PROXY),
    metricsToken: env.PROMESSE_METRICS_TOKEN || undefined,
    configSecrets: env,
    pipeline: {
      allowPrivateWebhooks: flag(env, 'PROMESSE_ALLOW_PRIVATE_WEBHOOKS', d.allowPrivateWebhooks),
      noScanMs: number(env, 'PROMESSE_NO_SCAN_HOURS', d.noScanMs / HOUR, POSITIVE) * HOUR,
      giveUpMs: number(env, 'PROMESSE_TRACKING_GIVE_UP_DAYS', d.giveUpMs / DAY, POSITIVE) * DAY,
      exceptionScanMs: number(env, 'PROMESSE_EXCEPTION_SCAN_MS', d.exceptionScanMs, POSITIVE_WHOLE),
      pollEveryMs: number(env, 'PROMESSE_TRACKING_POLL_MS', d.pollEveryMs, POSITIVE_WHOLE),
      pollAfterMs: number(env, 'PROMESSE_TRACKING_POLL_AFTER_MS', d.pollAfterMs, WHOLE),
      pollsPerCarrier: number(env, 'PROMESSE_TRACKING_POLLS_PER_CARRIER', d.pollsPerCarrier, WHOLE),
      sandbox: {
        speed: number(env, 'PROMESSE_SANDBOX_SPEED', d.sandbox.speed, POSITIVE),
        delayRate: number(env, 'PROMESSE_SANDBOX_DELAY_RATE', d.sandbox.delayRate, RATE),
        failedAttemptRate: number(env, 'PROMESSE_SANDBOX_FAILED_ATTEMPT_RATE', d.sandbox.failedAttemptRate, RATE),
        lossRate: number(env, 'PROMESSE_SANDBOX_LOSS_RATE', d.sandbox.lossRate, RATE),
      },
    },
  };
}
