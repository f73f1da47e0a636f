import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isPublicAddress, type Resolver, UrlRefused } from './ssrf-guard.ts';

/** A resolver that answers from a table and never touches DNS. */
const table =
  (entries: Record<string, string[]>): Resolver =>
  async (hostname) => {
    const found = entries[hostname];
    if (!found) throw new Error('NXDOMAIN');
    return found;
  };

const resolve = table({
  'hooks.example.com': ['93.184.216.34'],
  'sneaky.example.com': ['93.184.216.34', '127.0.0.1'],
  'localhost.example.com': ['127.0.0.1'],
  'metadata.example.com': ['169.254.169.254'],
});

async function refusal(url: string): Promise<string> {
  try {
    await checkWebhookUrl(url, { resolve, allowPrivate: false });
    return 'accepted';
  } catch (error) {
    return error instanceof UrlRefused ? error.code : 'threw';
  }
}

describe('the webhook SSRF guard', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data', 'private_address'],
    ['http://10.0.0.7/hook', 'private_address'],
    ['http://192.168.1.10/hook', 'private_address'],
    ['http://172.16.0.1/hook', 'private_address'],
    ['http://100.64.0.1/hook', 'private_address'],
    ['http://[::1]/hook', 'private_address'],
    ['http://[fd00::1]/hook', 'private_address'],
    ['http://[::ffff:127.0.0.1]/hook', 'private_address'],
    ['http://0.0.0.0/hook', 'private_address'],
    ['https://localhost.example.com/hook', 'private_address'],
    ['https://sneaky.example.com/hook', 'private_address'],
    ['https://metadata.example.com/hook', 'private_address'],
    ['ftp://hooks.example.com/hook', 'unsupported_scheme'],
    ['https://user:pass@hooks.example.com/hook', 'credentials_in_url'],
    ['https://nowhere.example.com/hook', 'unresolvable_host'],
    ['not a url', 'invalid_url'],
  ])('refuses %s (%s)', async (url, code) => {
    expect(await refusal(url)).toBe(code);
  });

  it('accepts a public host and gives the checked address to connect to', async () => {
    await expect(
      checkWebhookUrl('https://hooks.example.com/promesse', { resolve, allowPrivate: false }),
    ).resolves.toMatchObject({
      address: '93.184.216.34',
    });
  });

  it('lets loopback through only when private webhooks are allowed (development, tests)', async () => {
    await expect(checkWebhookUrl('http://127.0.0.1:9/hook', { resolve, allowPrivate: true })).resolves.toMatchObject({
      address: '127.0.0.1',
    });
  });

  it('classifies addresses', () => {
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2001:4860:4860::8888')).toBe(true);
    expect(isPublicAddress('127.0.0.1')).toBe(false);
    expect(isPublicAddress('fe80::1')).toBe(false);
    expect(isPublicAddress('nonsense')).toBe(false);
  });
});
