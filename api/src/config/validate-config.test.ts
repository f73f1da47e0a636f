import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseConfig, WAREHOUSE_ADDRESS } from '../../../test/fixtures/merchant.ts';
import { hashKey } from './key-hash.ts';
import { ConfigError, DEMO_CONFIG_PATH, loadMerchantConfigs } from './load-config.ts';
import { pathFromPointer, validateMerchantConfig } from './validate-config.ts';

describe('validateMerchantConfig', () => {
  it('accepts the test fixture and the bundled demo merchant', () => {
    expect(validateMerchantConfig(baseConfig())).toEqual([]);
    expect(loadMerchantConfigs(DEMO_CONFIG_PATH).map((m) => m.config.merchant.id)).toEqual(['demo']);
  });

  it('lists every problem of a broken file at once, each as path: problem', () => {
    const config = baseConfig() as unknown as Record<string, any>;
    config.warehouses[0].timeZone = 'Europe/Pariss';
    config.warehouses[0].holidays = { country: 'FR', region: '99' };
    config.warehouses[0].cutoffs = { default: '2pm', ups: '10:00' };
    config.carriers[0].services[0].lanes[0].rates = [
      { upToGrams: 2000, amount: 100 },
      { upToGrams: 1000, amount: 200 },
    ];
    config.carriers[0].services[0].lanes.push({ from: ['FR'], to: ['BE'], transitDays: [3, 2], rates: [] });
    config.products.push({ sku: 'MUG-01', name: 'Again', weightGrams: 1, dimensionsCm: [1] });
    config.inventory.push({ warehouse: 'paris', sku: 'GHOST', onHand: 1 });
    config.inventory.push({ warehouse: 'nowhere', sku: 'MUG-01', onHand: 1 });
    expect(validateMerchantConfig(config).sort()).toEqual(
      [
        'warehouses[0].timeZone: unknown time zone "Europe/Pariss"',
        'warehouses[0].holidays: unknown holiday region "99" for FR',
        'warehouses[0].cutoffs.default: cut-off must be HH:mm, got "2pm"',
        'warehouses[0].cutoffs.ups: unknown carrier "ups"',
        'carriers[0].services[0].lanes[0].rates[1].upToGrams: rate table must increase (1000 after 2000)',
        'carriers[0].services[0].lanes[1].transitDays: minimum is above maximum',
        'carriers[0].services[0].lanes[1].rates: a lane needs at least one rate',
        'products[3].sku: duplicate sku "MUG-01"',
        'inventory[2].sku: unknown sku "GHOST"',
        'inventory[3].warehouse: unknown warehouse "nowhere"',
      ].sort(),
    );
  });

  it('reports schema problems with their path', () => {
    const config = baseConfig() as unknown as Record<string, any>;
    config.warehouses[0].workingDays = [1, 8];
    config.merchant.colour = 'blue';
    delete config.carriers[0].pickupDays;
    expect(validateMerchantConfig(config)).toEqual(
      expect.arrayContaining([
        'warehouses[0].workingDays[1]: must be <= 7',
        'merchant: unknown property "colour"',
        'carriers[0]: missing required property "pickupDays"',
      ]),
    );
  });

  it('reports unknown holiday countries, countries and currencies, and duplicate ids', () => {
    const config = baseConfig() as unknown as Record<string, any>;
    config.merchant.currency = 'EUX';
    config.warehouses.push({ ...structuredClone(config.warehouses[0]), holidays: { country: 'XX' } });
    config.carriers[0].services[0].lanes[0].to = ['FR', 'QQ'];
    expect(validateMerchantConfig(config)).toEqual(
      expect.arrayContaining([
        'merchant.currency: unknown currency "EUX"',
        'warehouses[1].holidays: unknown holiday country "XX"',
        'warehouses[1].id: duplicate warehouse id "paris"',
        'carriers[0].services[0].lanes[0].to[1]: unknown country "QQ"',
      ]),
    );
  });

  it('refuses keys whose prefix does not match their type, and bundles that nest or are stocked', () => {
    const config = baseConfig() as unknown as Record<string, any>;
    config.keys[0].key = 'sk_test_wrongtype';
    config.products.push({ sku: 'BIG', name: 'Big', components: [{ sku: 'GIFT-01', quantity: 1 }] });
    config.inventory.push({ warehouse: 'paris', sku: 'GIFT-01', onHand: 3 });
    expect(validateMerchantConfig(config)).toEqual(
      expect.arrayContaining([
        'keys[0].key: a publishable key starts with "pk_"',
        'products[3].components[0].sku: "GIFT-01" is a bundle; bundles do not nest',
        'inventory[2].sku: "GIFT-01" is a bundle; it is stocked through its components',
      ]),
    );
  });

  it.each(['constructor', 'toString', 'hasOwnProperty'])('refuses a holiday region named %s', (region) => {
    const config = baseConfig();
    config.warehouses[0]!.holidays = { country: 'FR', region };
    expect(validateMerchantConfig(config)).toEqual([
      `warehouses[0].holidays: unknown holiday region "${region}" for FR`,
    ]);
  });

  it('refuses __proto__ as a carrier, warehouse, service or sku id, each with its path', () => {
    const config = baseConfig();
    config.carriers[0]!.id = '__proto__';
    config.carriers[0]!.services[0]!.id = '__proto__';
    config.warehouses[0]!.id = '__proto__';
    config.products[0]!.sku = '__proto__';
    const mustMatch = 'must match pattern "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"';
    expect(validateMerchantConfig(config)).toEqual(
      expect.arrayContaining([
        `carriers[0].id: ${mustMatch}`,
        `carriers[0].services[0].id: ${mustMatch}`,
        `warehouses[0].id: ${mustMatch}`,
        `products[0].sku: ${mustMatch}`,
      ]),
    );
  });

  it('refuses __proto__ as a cut-off, component or inventory reference, each with its path', () => {
    const config = baseConfig();
    // JSON.parse, like the loader's JSON and YAML parsers, makes __proto__ an own key rather than the prototype.
    config.warehouses[0]!.cutoffs = JSON.parse('{"default": "14:00", "__proto__": "10:00"}');
    config.products[2]!.components![0]!.sku = '__proto__';
    config.inventory![0]!.sku = '__proto__';
    config.inventory![1]!.warehouse = '__proto__';
    expect(validateMerchantConfig(config)).toEqual([
      'warehouses[0].cutoffs.__proto__: unknown carrier "__proto__"',
      'products[2].components[0].sku: unknown sku "__proto__"',
      'inventory[0].sku: unknown sku "__proto__"',
      'inventory[1].warehouse: unknown warehouse "__proto__"',
    ]);
  });

  it('refuses a cut-off for a carrier named after an Object.prototype member that the config does not have', () => {
    const config = baseConfig();
    config.warehouses[0]!.cutoffs = { default: '14:00', constructor: '10:00' };
    expect(validateMerchantConfig(config)).toEqual([
      'warehouses[0].cutoffs.constructor: unknown carrier "constructor"',
    ]);
  });

  it('refuses a key given twice in one file, once plain and once as its hash, naming both places', () => {
    const config = baseConfig();
    config.keys.push({ keyHash: hashKey('sk_test_fixture'), type: 'secret' });
    config.keys.push({
      keyHash: hashKey('pk_test_fixture').toUpperCase().replace('SHA256:', 'sha256:'),
      type: 'publishable',
    });
    expect(validateMerchantConfig(config)).toEqual([
      'keys[2]: the same key as keys[1]',
      'keys[3]: the same key as keys[0]',
    ]);
  });

  it('converts JSON pointers to config paths', () => {
    expect(pathFromPointer('/warehouses/0/timeZone')).toBe('warehouses[0].timeZone');
    expect(pathFromPointer('')).toBe('');
  });
});

describe('loadMerchantConfigs', () => {
  it('loads a folder of JSON and YAML files, one merchant each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'promesse-config-'));
    const a = baseConfig();
    const b = baseConfig();
    b.merchant.id = 'other';
    b.keys = [{ key: 'pk_test_other', type: 'publishable' }];
    writeFileSync(join(dir, 'a.json'), JSON.stringify(a));
    writeFileSync(join(dir, 'b.yaml'), JSON.stringify(b)); // JSON is YAML
    expect(loadMerchantConfigs(dir).map((m) => m.config.merchant.id)).toEqual(['test', 'other']);
  });

  it('stops with every problem of every file, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'promesse-config-'));
    const a = baseConfig();
    a.warehouses[0]!.timeZone = 'Mars/Olympus';
    writeFileSync(join(dir, 'a.json'), JSON.stringify(a));
    writeFileSync(join(dir, 'b.json'), '{ not json');
    try {
      loadMerchantConfigs(dir);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'a.json: warehouses[0].timeZone: unknown time zone "Mars/Olympus"',
        expect.stringMatching(/^b\.json: \(file\): cannot parse/),
      ]);
    }
  });

  it.each([
    ['lower', (hash: string) => hash],
    ['upper', (hash: string) => `sha256:${hash.slice(7).toUpperCase()}`],
  ])('refuses a key in one file whose %s-case sha256 keyHash is in another, naming both places', (_case, spell) => {
    const dir = mkdtempSync(join(tmpdir(), 'promesse-config-'));
    const a = baseConfig();
    a.keys.push({ key: 'sk_test_shared', type: 'secret' });
    const b = baseConfig();
    b.merchant.id = 'other';
    b.keys = [
      { key: 'pk_test_other', type: 'publishable' },
      { keyHash: spell(hashKey('sk_test_shared')), type: 'secret' },
    ];
    writeFileSync(join(dir, 'a.json'), JSON.stringify(a));
    writeFileSync(join(dir, 'b.yaml'), JSON.stringify(b));
    expect(() => loadMerchantConfigs(dir)).toThrow(ConfigError);
    try {
      loadMerchantConfigs(dir);
    } catch (error) {
      expect((error as ConfigError).problems).toEqual(['b.yaml: keys[1]: the same key as a.json keys[2]']);
    }
  });

  it('refuses two merchants with the same id or key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'promesse-config-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(baseConfig()));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(baseConfig()));
    expect(() => loadMerchantConfigs(dir)).toThrow(/"test" is also used by a\.json/);
  });

  it('reads "$NAME" references from the environment anywhere in the file, and stops naming a variable that is not set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'promesse-config-'));
    const reference = (name: string) => `\${${name}}`; // the config's "${NAME}"
    const config = baseConfig() as unknown as Record<string, unknown> & { carriers: Record<string, unknown>[] };
    config.carriers[0] = {
      ...config.carriers[0],
      adapter: 'sandbox',
      settings: { apiKey: reference('PROMESSE_TEST_API_KEY'), note: `not ${reference('A')} reference` },
      trackingSecret: reference('PROMESSE_TEST_TRACKING_SECRET'),
    };
    writeFileSync(join(dir, 'a.json'), JSON.stringify(config));
    const env = { PROMESSE_TEST_API_KEY: 'k-123', PROMESSE_TEST_TRACKING_SECRET: 's3cr3t-0123456789abcdef' };
    const [loaded] = loadMerchantConfigs(dir, env);
    expect(loaded?.config.carriers[0]).toMatchObject({
      settings: { apiKey: 'k-123', note: `not ${reference('A')} reference` },
      trackingSecret: 's3cr3t-0123456789abcdef',
    });
    try {
      loadMerchantConfigs(dir, { PROMESSE_TEST_API_KEY: 'k-123' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'carriers[0].trackingSecret: the environment variable PROMESSE_TEST_TRACKING_SECRET is not set',
      ]);
    }
    // A secret read from the environment that fails validation is named by its place, never shown.
    try {
      loadMerchantConfigs(dir, { ...env, PROMESSE_TEST_TRACKING_SECRET: 'tooShort-0xA1' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^carriers\[0\]\.trackingSecret: /)]);
      expect((error as Error).message).not.toContain('tooShort-0xA1');
    }
  });

  it('stops at an adapter this build does not have, naming the ones it has', () => {
    const config = baseConfig();
    config.carriers[0]!.adapter = 'easypost';
    expect(validateMerchantConfig(config)).toEqual([
      'carriers[0].adapter: unknown adapter "easypost" (this build has: sandbox, karrio)',
    ]);
  });

  it('asks a Karrio carrier for its settings, a service code per service and a sender address', () => {
    const config = baseConfig();
    const carrier = config.carriers[0]!;
    carrier.adapter = 'karrio';
    expect(validateMerchantConfig(config)).toEqual([
      'carriers[0].settings: the karrio adapter needs settings {baseUrl, apiKey, serviceCodes}',
    ]);
    carrier.settings = { baseUrl: 'ftp://karrio', apiKey: '', serviceCodes: {}, extra: 1 };
    expect(validateMerchantConfig(config)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^carriers\[0\]\.settings\.baseUrl: /),
        expect.stringMatching(/^carriers\[0\]\.settings\.apiKey: /),
        'carriers[0].settings: unknown property "extra"',
      ]),
    );
    carrier.settings = { baseUrl: 'http://127.0.0.1:5002', apiKey: 'key_123', serviceCodes: {} };
    expect(validateMerchantConfig(config)).toEqual([
      ...carrier.services.map((s) => `carriers[0].settings.serviceCodes: missing the Karrio service code of "${s.id}"`),
      ...config.warehouses.map(
        (_, i) => `warehouses[${i}].address: needed to ship with "${carrier.id}" (karrio): the label's sender`,
      ),
    ]);
    carrier.settings.serviceCodes = Object.fromEntries(carrier.services.map((s) => [s.id, 'colissimo_home']));
    for (const w of config.warehouses) {
      w.address = { ...WAREHOUSE_ADDRESS };
    }
    expect(validateMerchantConfig(config)).toEqual([]);
  });

  it('holds the returns policy to warehouses, products, carriers and services the file has', () => {
    const config = baseConfig();
    config.returns = { warehouse: 'lille', nonReturnableSkus: ['MUG-01', 'NOPE'], carrier: 'ups' };
    expect(validateMerchantConfig(config)).toEqual([
      'returns.warehouse: unknown warehouse "lille"',
      'returns.nonReturnableSkus[1]: unknown product "NOPE"',
      'returns.carrier: unknown carrier "ups"',
      'returns.carrier: name its service too ("returns.service")',
    ]);
    config.returns = { service: 'colissimo-home' };
    expect(validateMerchantConfig(config)).toEqual(['returns.service: name the carrier too ("returns.carrier")']);
    config.returns = { carrier: 'colissimo', service: 'express' };
    expect(validateMerchantConfig(config)).toEqual(['returns.service: carrier "colissimo" has no service "express"']);
    config.returns = { warehouse: 'paris', carrier: 'colissimo', service: 'colissimo-home', windowDays: 14 };
    expect(validateMerchantConfig(config)).toEqual([]);
  });

  it('asks a channel for what its platform needs, and its shipping codes for options that exist', () => {
    const config = baseConfig();
    config.channels = [
      { id: 'shop', type: 'shopify', shippingOptions: { standard: 'colissimo-home', express: 'dhl-express' } },
      { id: 'presta', type: 'prestashop' },
      { id: 'shop', type: 'woocommerce', secret: 'wc_secret_0123456789abcdef' },
    ];
    config.sinks = [
      { type: 'amqp', url: 'amqp://127.0.0.1' },
      { type: 'amqp', url: 'amqp://other', exchange: 'promesse.events' },
    ];
    expect(validateMerchantConfig(config)).toEqual([
      'channels[0]: a shopify channel needs "secret": its webhooks are refused without it',
      'channels[0].shippingOptions.express: unknown option "dhl-express"',
      'channels[1]: a prestashop channel needs "baseUrl"',
      'channels[1]: a prestashop channel needs "apiKey" (a webservice key)',
      'channels[2].id: duplicate channel id "shop"',
      'sinks[1]: duplicate sink "promesse.events": give each an id of its own',
    ]);
    config.sinks = [{ type: 'amqp', url: 'http://broker' }];
    expect(validateMerchantConfig(config)).toContainEqual(expect.stringMatching(/^sinks\[0\]\.url: /));
    // An address the URL parser refuses is named by its place, never echoed: it holds a password.
    config.sinks = [{ type: 'amqp', url: 'amqp://guest:s3cret@broker:99999' }];
    config.channels = [{ id: 'c'.repeat(51), type: 'shopify', secret: 'shpss_0123456789abcdef' }];
    const problems = validateMerchantConfig(config);
    expect(problems).toEqual([
      "channels[0].id: at most 50 characters (it becomes the orders' channel)",
      'sinks[0].url: not a valid amqp:// or amqps:// address',
    ]);
    expect(problems.join('\n')).not.toContain('s3cret');
  });
});
