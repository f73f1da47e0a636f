/**
 * The SSRF guard for webhook URLs: only http(s), no credentials in the URL, and every address the host resolves
 * to must be public unicast — never loopback, private, link-local (cloud metadata at 169.254.169.254),
 * carrier-grade NAT, unique-local, multicast or reserved. Checked before any connection is opened, at
 * registration and again at each delivery; the delivery then connects to the address that was checked, so a
 * DNS answer that changes in between cannot redirect it. `PROMESSE_ALLOW_PRIVATE_WEBHOOKS=true` lifts the range
 * check for development and tests on loopback.
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** Resolves a hostname to its addresses; injected in tests so that nothing is ever looked up or reached. */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export class UrlRefused extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'UrlRefused';
    this.code = code;
  }
}

/** Whether an address is public unicast, the only kind a webhook may reach. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

export interface CheckedUrl {
  url: URL;
  /** the address to connect to, checked */
  address: string;
}

export async function checkWebhookUrl(
  text: string,
  { resolve, allowPrivate }: { resolve: Resolver; allowPrivate: boolean },
): Promise<CheckedUrl> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UrlRefused('invalid_url', 'Not a URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UrlRefused('unsupported_scheme', 'Only http and https URLs.');
  if (url.username || url.password)
    throw new UrlRefused('credentials_in_url', 'Put no credentials in the URL; verify our signature instead.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new UrlRefused('unresolvable_host', `The host ${host} does not resolve.`);
    }
  }
  if (addresses.length === 0) throw new UrlRefused('unresolvable_host', `The host ${host} does not resolve.`);
  if (!allowPrivate) {
    const blocked = addresses.find((address) => !isPublicAddress(address));
    if (blocked !== undefined) {
      throw new UrlRefused('private_address', `${host} resolves to ${blocked}, which is not a public address.`);
    }
  }
  return { url, address: addresses[0] as string };
}
