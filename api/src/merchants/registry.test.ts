import { describe, expect, it } from 'vitest';
import { baseConfig } from '../../../test/fixtures/merchant.ts';
import { hashKey, MerchantRegistry } from './registry.ts';

describe('MerchantRegistry', () => {
  it('authenticates a key whose configured keyHash is written in upper-case hex', () => {
    const config = baseConfig();
    config.keys = [{ keyHash: `sha256:${hashKey('sk_live_uppercase').slice(7).toUpperCase()}`, type: 'secret' }];
    const registry = new MerchantRegistry([config]);
    expect(registry.authenticate('sk_live_uppercase')?.merchant.merchant.id).toBe('test');
    expect(registry.authenticate('sk_live_lowercase')).toBeUndefined();
  });
});
