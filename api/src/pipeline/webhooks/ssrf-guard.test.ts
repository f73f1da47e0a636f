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
  'compatible-loopback.example.com': ['::127.0.0.1'],
  'compatible-metadata.example.com': ['::a9fe:a9fe'],
  'compatible-public.example.com': ['::8.8.8.8'],
  'nat64-metadata.example.com': ['64:ff9b::169.254.169.254'],
  'nat64-local-use.example.com': ['64:ff9b:1::a00:1'],
  'sixtofour-private.example.com': ['2002:a00:1::1'],
  'teredo-loopback.example.com': ['2001:0:a00:1::80ff:fffe'],
  'translated-private.example.com': ['::ffff:0:a00:1'],
  'intranet.example.com': ['10.1.2.3'],
});

async function refusedWith(url: string): Promise<UrlRefused | 'accepted'> {
  try {
    await checkWebhookUrl(url, { resolve, allowPrivate: false });
    return 'accepted';
  } catch (error) {
    if (error instanceof UrlRefused) return error;
    throw error;
  }
}

async function refusal(url: string): Promise<string> {
  const outcome = await refusedWith(url);
  return outcome === 'accepted' ? outcome : outcome.code;
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

  it.each([
    ['IPv4-compatible loopback', 'http://[::127.0.0.1]/hook'],
    ['IPv4-compatible metadata, dotted', 'http://[::169.254.169.254]/latest/meta-data'],
    ['IPv4-compatible metadata, in hex', 'http://[::a9fe:a9fe]/latest/meta-data'],
    ['IPv4-compatible public (a deprecated form no webhook needs)', 'http://[::8.8.8.8]/hook'],
    ['NAT64 metadata', 'http://[64:ff9b::169.254.169.254]/latest/meta-data'],
    ['NAT64 loopback, in hex', 'http://[64:ff9b::7f00:1]/hook'],
    ['NAT64 local-use prefix', 'http://[64:ff9b:1::a00:1]/hook'],
    ['6to4 private', 'http://[2002:a00:1::1]/hook'],
    ['6to4 loopback', 'http://[2002:7f00:1::1]/hook'],
    ['Teredo with a loopback client', 'http://[2001:0:a00:1::80ff:fffe]/hook'],
    ['IPv4-translated private', 'http://[::ffff:0:a00:1]/hook'],
  ])('refuses an IPv6 literal embedding an IPv4: %s', async (_form, url) => {
    expect(await refusal(url)).toBe('private_address');
  });

  it.each([
    'compatible-loopback.example.com',
    'compatible-metadata.example.com',
    'compatible-public.example.com',
    'nat64-metadata.example.com',
    'nat64-local-use.example.com',
    'sixtofour-private.example.com',
    'teredo-loopback.example.com',
    'translated-private.example.com',
  ])('refuses a host the resolver answers with an IPv6 embedding an IPv4: %s', async (host) => {
    expect(await refusal(`https://${host}/hook`)).toBe('private_address');
  });

  it.each([
    ['intranet.example.com', '10.1.2.3'],
    ['sneaky.example.com', '127.0.0.1'],
    ['metadata.example.com', '169.254.169.254'],
    ['compatible-metadata.example.com', '::a9fe:a9fe'],
    ['nat64-metadata.example.com', '64:ff9b::169.254.169.254'],
  ])('never tells what %s resolves to (%s) in the refusal', async (host, address) => {
    const refused = await refusedWith(`https://${host}/hook`);
    expect(refused).toBeInstanceOf(UrlRefused);
    const { code, message } = refused as UrlRefused;
    expect(code).toBe('private_address');
    expect(message).toBe(`The host ${host} resolves to a non-public address.`);
    expect(message).not.toContain(address);
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
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
    expect(isPublicAddress('::ffff:10.0.0.1')).toBe(false);
    expect(isPublicAddress('fe80::1%eth0')).toBe(false);
  });

  it('refuses IPv6 addresses that embed an IPv4 or lie outside global unicast', () => {
    for (const address of [
      '::127.0.0.1',
      '::8.8.8.8', // ipaddr.js reads it as ::ffff:8.8.8.8; a socket reads ::808:808
      '::a9fe:a9fe',
      '::8.8.8.8',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b::808:808',
      '2002:a00:1::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      '2001:db8::1',
      '100::1',
      'fec0::1',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });
});
