import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG_PATH } from './config/load-config.ts';
import { DEFAULT_PIPELINE } from './pipeline/settings.ts';
import { settingsFromEnv } from './settings.ts';

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
    expect(settingsFromEnv({ PROMESSE_CONFIG: '/etc/promesse/shop.yaml' }).demo).toBe(false);
    expect(settingsFromEnv({ PROMESSE_CONFIG: '/etc/promesse/shop.yaml', PROMESSE_DEMO: 'true' }).demo).toBe(true);
  });

  it.each([
    ['PORT', '70000', /PORT must be a whole number from 0 to 65535, got "70000"/],
    ['PORT', '80.5', /PORT must be a whole number/],
    ['PROMESSE_NO_SCAN_HOURS', 'abc', /PROMESSE_NO_SCAN_HOURS must be a number from 1 to .*, got "abc"/],
    ['PROMESSE_SANDBOX_DELAY_RATE', '2', /PROMESSE_SANDBOX_DELAY_RATE must be a number from 0 to 1, got "2"/],
    ['PROMESSE_DEMO', 'yes', /PROMESSE_DEMO must be true or false, got "yes"/],
    ['PROMESSE_ALLOW_PRIVATE_WEBHOOKS', '1', /PROMESSE_ALLOW_PRIVATE_WEBHOOKS must be true or false/],
    ['PROMESSE_TRUST_PROXY', 'lb.internal', /PROMESSE_TRUST_PROXY must be .*, got "lb.internal"/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"/],
    ['PROMESSE_TRACKING_POLL_MS', '5', /PROMESSE_TRACKING_POLL_MS must be a whole number from 100/],
  ])('stops on a bad %s, naming it and what it got', (name, value, message) => {
    expect(() => settingsFromEnv({ [name]: value })).toThrow(message);
  });
});
