/**
 * The merchants this process serves, compiled for the core, and their API keys. Keys are kept only as SHA-256
 * hashes; a presented key is hashed and looked up, so no plain key stays in memory or reaches a log.
 */
import type { ChannelConfig, MerchantConfig, SinkConfig, UserConfig } from '../../../shared/src/config.ts';
import { configuredKeyHash, hashKey } from '../config/key-hash.ts';
import { type StockLevel, seedLevels } from '../promise/availability.ts';
import { type MerchantCaches, merchantCaches } from '../promise/compute-promise.ts';
import { compileMerchant, type Merchant } from '../promise/merchant.ts';

/** Defaults of CONTRACT §2 `limits`. */
export const DEFAULT_LIMITS = { promisePerMinutePerIp: 600, writesPerMinutePerKey: 6000 } as const;

export interface MerchantRuntime {
  merchant: Merchant;
  caches: MerchantCaches;
  limits: { promisePerMinutePerIp: number; writesPerMinutePerKey: number };
  /** the config's inventory section, as levels to seed */
  seed: StockLevel[];
  /** the shops whose orders come in (CONTRACT §8), by channel id */
  channels: ReadonlyMap<string, ChannelConfig>;
  /** where events stream besides webhooks (CONTRACT §8) */
  sinks: readonly SinkConfig[];
  /** the console (CONTRACT §10): idle minutes before sign-out, and a publishable key for its promise simulator */
  console: { sessionMinutes: number; publishableKey: string | null };
}

export interface ApiKey {
  merchant: MerchantRuntime;
  type: 'publishable' | 'secret';
  allowedOrigins: readonly string[];
  /** the fingerprint that rate limits and logs use instead of the key */
  id: string;
}

export { isTestKey } from '../promise/instant.ts';
export { hashKey };

export class MerchantRegistry {
  readonly #byId = new Map<string, MerchantRuntime>();
  readonly #keys = new Map<string, ApiKey>();
  /** console users by e-mail, lower case: an e-mail signs in to one merchant */
  readonly #users = new Map<string, { merchant: MerchantRuntime; user: UserConfig }>();

  constructor(configs: readonly MerchantConfig[]) {
    for (const config of configs) {
      const merchant = compileMerchant(config);
      const runtime: MerchantRuntime = {
        merchant,
        caches: merchantCaches(merchant),
        limits: { ...DEFAULT_LIMITS, ...config.limits },
        seed: seedLevels(config.inventory ?? []),
        channels: new Map((config.channels ?? []).map((channel) => [channel.id, channel])),
        sinks: config.sinks ?? [],
        console: {
          sessionMinutes: config.console?.sessionMinutes ?? 30,
          // Publishable keys are public (every storefront page shows one); only a plain one can be handed out.
          publishableKey: config.keys.find((k) => k.type === 'publishable' && k.key !== undefined)?.key ?? null,
        },
      };
      for (const user of config.users ?? []) {
        const email = user.email.toLowerCase();
        if (this.#users.has(email))
          throw new Error(`console user ${user.email} is in two merchant configs: an e-mail signs in to one merchant`);
        this.#users.set(email, { merchant: runtime, user });
      }
      this.#byId.set(merchant.id, runtime);
      for (const key of config.keys) {
        const hash = configuredKeyHash(key);
        this.#keys.set(hash, {
          merchant: runtime,
          type: key.type,
          allowedOrigins: key.allowedOrigins ?? [],
          id: hash.slice(7, 23),
        });
      }
    }
  }

  get all(): MerchantRuntime[] {
    return [...this.#byId.values()];
  }

  byId(id: string): MerchantRuntime | undefined {
    return this.#byId.get(id);
  }

  /** Whether a secret key with this fingerprint (`ApiKey.id`) is still configured for the merchant. */
  hasSecretKey(merchantId: string, id: string): boolean {
    for (const key of this.#keys.values())
      if (key.id === id && key.type === 'secret' && key.merchant.merchant.id === merchantId) return true;
    return false;
  }

  /** The console user with this e-mail (any case), and the merchant it signs in to. */
  user(email: string): { merchant: MerchantRuntime; user: UserConfig } | undefined {
    return this.#users.get(email.toLowerCase());
  }

  /** The key record for a presented key, or undefined. A key's prefix must match its declared type. */
  authenticate(key: string): ApiKey | undefined {
    if (key.length > 200) return undefined;
    const found = this.#keys.get(hashKey(key));
    if (!found) return undefined;
    const prefix = found.type === 'publishable' ? 'pk_' : 'sk_';
    return key.startsWith(prefix) ? found : undefined;
  }
}
