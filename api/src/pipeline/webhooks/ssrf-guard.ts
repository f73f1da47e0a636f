/**
 * The SSRF guard for webhook URLs: only http(s), no credentials in the URL, and every address the host resolves
 * to must be public unicast — never loopback, private, link-local (cloud metadata at 169.254.169.254),
 * carrier-grade NAT, unique-local, multicast or reserved, nor an IPv6 form that carries an IPv4 (IPv4-compatible,
 * NAT64, 6to4, Teredo) unless it is IPv4-mapped and that IPv4 is public. Checked before any connection is opened, at
 * registration and again at each delivery; the delivery then connects to the address that was checked, so a
 * DNS answer that changes in between cannot redirect it. `PROMESSE_ALLOW_PRIVATE_WEBHOOKS=true` lifts the range
 * check for development and tests on loopback.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
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

/**
 * An IPv6 address in canonical hex, as the URL parser and the socket read it; null when it has a zone.
 * ipaddr.js reads `::a.b.c.d` as IPv4-mapped, where sockets read IPv4-compatible, so its text is not trusted.
 */
function canonicalIPv6(address: string): string | null {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}

/** Whether an address is public unicast, the only kind a webhook may reach. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return ipaddr.IPv4.parse(address).range() === 'unicast';
  const canonical = family === 6 ? canonicalIPv6(address) : null;
  if (canonical === null) return false;
  const ipv6 = ipaddr.IPv6.parse(canonical);
  // An IPv4-mapped address is how an IPv6 socket reaches an IPv4 host: that IPv4 decides.
  if (ipv6.isIPv4MappedAddress()) return ipv6.toIPv4Address().range() === 'unicast';
  // ipaddr.js calls ::/96 (IPv4-compatible, deprecated by RFC 4291) unicast, yet it carries an IPv4: never a webhook.
  if (ipv6.parts.slice(0, 6).every((part) => part === 0)) return false;
  // NAT64, 6to4 and Teredo, which tunnel to an IPv4, have ranges of their own, so this refuses them too.
  return ipv6.range() === 'unicast';
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
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new UrlRefused('unresolvable_host', `The host ${host} does not resolve.`);
    }
  }
  if (addresses.length === 0) throw new UrlRefused('unresolvable_host', `The host ${host} does not resolve.`);
  if (!allowPrivate) {
    // The message names no address: it would tell a caller how our internal DNS maps names.
    if (!addresses.every(isPublicAddress))
      throw new UrlRefused('private_address', `The host ${host} resolves to a non-public address.`);
  }
  return { url, address: addresses[0] as string };
}
