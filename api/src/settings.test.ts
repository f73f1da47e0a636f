import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG_PATH } from './config/load-config.ts';
import { DEFAULT_PIPELINE } from './pipeline/settings.ts';
import { SettingsError, settingsFromEnv } from './settings.ts';

describe('settingsFromEnv', () => {
  it('gives every setting its default when nothing is set', () => {
    const settings = settingsFromEnv({});
    expect(settings).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      configPath: DEMO_CONFIG_PATH,
      databaseUrl: undefined,
      secret: undefined,
      logLevel: 'info',
      demo: true,
      trustProxy: false,
      metricsToken: undefined,
      pipeline: DEFAULT_PIPELINE,
    });
    expect(settings.dataDir).toMatch(/\/data$/);
  });

  it('reads each variable into its unit', () => {
    const settings = settingsFromEnv({
      PORT: '9000',
      PROMESSE_NO_SCAN_HOURS: '24',
      PROMESSE_TRACKING_GIVE_UP_DAYS: '10',
      PROMESSE_SANDBOX_SPEED: '1',
      PROMESSE_SANDBOX_LOSS_RATE: '0',
      PROMESSE_ALLOW_PRIVATE_WEBHOOKS: 'true',
      PROMESSE_TRUST_PROXY: '1',
    });
    expect(settings.port).toBe(9000);
    expect(settings.trustProxy).toBe(1);
    expect(settings.pipeline).toMatchObject({
      noScanMs: 24 * 3_600_000,
      giveUpMs: 10 * 86_400_000,
      allowPrivateWebhooks: true,
      sandbox: { speed: 1, lossRate: 0, delayRate: 0.1 },
    });
  });

  it('serves the demo by default only with the bundled demo merchant', () => {
    expect(settingsFromEnv({}).demo).toBe(true);
    expect(settingsFromEnv({ PROMESSE_DEMO: 'false' }).demo).toBe(false);
    expect(settingsFromEnv({ PROMESSE_CONFIG: '/etc/promesse/shop.yaml' }).demo).toBe(false);
    expect(settingsFromEnv({ PROMESSE_CONFIG: '/etc/promesse/shop.yaml', PROMESSE_DEMO: 'true' }).demo).toBe(true);
  });

  it('takes the default for a variable set but blank', () => {
    const settings = settingsFromEnv({ PORT: '', PROMESSE_NO_SCAN_HOURS: ' ', PROMESSE_DEMO: '', LOG_LEVEL: '' });
    expect(settings).toMatchObject({ port: 8787, demo: true, logLevel: 'info' });
    expect(settings.pipeline.noScanMs).toBe(DEFAULT_PIPELINE.noScanMs);
  });

  it('still accepts the short silences, fast rounds and empty rounds a test setup may use', () => {
    const settings = settingsFromEnv({
      PROMESSE_NO_SCAN_HOURS: '0.5',
      PROMESSE_TRACKING_GIVE_UP_DAYS: '0.25',
      PROMESSE_EXCEPTION_SCAN_MS: '200',
      PROMESSE_TRACKING_POLL_MS: '50',
      PROMESSE_TRACKING_POLL_AFTER_MS: '0',
      PROMESSE_TRACKING_POLLS_PER_CARRIER: '0',
      PROMESSE_SANDBOX_SPEED: '0.5',
      PORT: '0',
    });
    expect(settings.port).toBe(0);
    expect(settings.pipeline).toMatchObject({
      noScanMs: 1_800_000,
      giveUpMs: 21_600_000,
      exceptionScanMs: 200,
      pollEveryMs: 50,
      pollAfterMs: 0,
      pollsPerCarrier: 0,
      sandbox: { speed: 0.5 },
    });
  });

  it.each([
    ['PORT', '70000', 'PORT must be a whole number from 0 to 65535, got "70000"'],
    ['PORT', '80.5', 'PORT must be a whole number from 0 to 65535, got "80.5"'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    ['PROMESSE_DEMO', 'yes', 'PROMESSE_DEMO must be true or false, got "yes"'],
    [
      'PROMESSE_TRUST_PROXY',
      'lb.internal',
      'PROMESSE_TRUST_PROXY must be true, false, a hop count or addresses/CIDRs, got "lb.internal"',
    ],
    ['PROMESSE_ALLOW_PRIVATE_WEBHOOKS', '1', 'PROMESSE_ALLOW_PRIVATE_WEBHOOKS must be true or false, got "1"'],
    ['PROMESSE_NO_SCAN_HOURS', 'abc', 'PROMESSE_NO_SCAN_HOURS must be a positive number, got "abc"'],
    ['PROMESSE_NO_SCAN_HOURS', 'Infinity', 'PROMESSE_NO_SCAN_HOURS must be a positive number, got "Infinity"'],
    ['PROMESSE_TRACKING_GIVE_UP_DAYS', '0', 'PROMESSE_TRACKING_GIVE_UP_DAYS must be a positive number, got "0"'],
    ['PROMESSE_EXCEPTION_SCAN_MS', '0', 'PROMESSE_EXCEPTION_SCAN_MS must be a positive whole number, got "0"'],
    ['PROMESSE_TRACKING_POLL_MS', '1.5', 'PROMESSE_TRACKING_POLL_MS must be a positive whole number, got "1.5"'],
    [
      'PROMESSE_TRACKING_POLL_AFTER_MS',
      '-1',
      'PROMESSE_TRACKING_POLL_AFTER_MS must be a whole number, 0 or more, got "-1"',
    ],
    [
      'PROMESSE_TRACKING_POLLS_PER_CARRIER',
      'many',
      'PROMESSE_TRACKING_POLLS_PER_CARRIER must be a whole number, 0 or more, got "many"',
    ],
    ['PROMESSE_SANDBOX_SPEED', '0', 'PROMESSE_SANDBOX_SPEED must be a positive number, got "0"'],
    ['PROMESSE_SANDBOX_DELAY_RATE', '2', 'PROMESSE_SANDBOX_DELAY_RATE must be a number from 0 to 1, got "2"'],
    [
      'PROMESSE_SANDBOX_FAILED_ATTEMPT_RATE',
      '10%',
      'PROMESSE_SANDBOX_FAILED_ATTEMPT_RATE must be a number from 0 to 1, got "10%"',
    ],
    ['PROMESSE_SANDBOX_LOSS_RATE', '-0.1', 'PROMESSE_SANDBOX_LOSS_RATE must be a number from 0 to 1, got "-0.1"'],
  ])('stops on a bad %s (%s), naming it and what it got', (name, value, message) => {
    const read = () => settingsFromEnv({ [name]: value });
    expect(read).toThrow(SettingsError);
    expect(read).toThrow(message);
  });
});
