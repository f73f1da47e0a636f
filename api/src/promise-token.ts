/**
 * The promiseId (CONTRACT §4): a signed, self-contained token binding the merchant, the lines, the destination,
 * each option's price and dates, and the expiry. HMAC-SHA256 with the service secret; verified without a lookup.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface PromiseClaims {
  merchant: string;
  lines: [sku: string, quantity: number][];
  destination: [country: string, postalCode: string | null];
  options: [id: string, amount: number, earliest: string, latest: string][];
  /** expiry, ms since the epoch */
  expiresAt: number;
}

const PREFIX = 'prm_';

export class PromiseTokens {
  readonly #secret: Buffer;

  constructor(secret: string) {
    this.#secret = Buffer.from(secret, 'utf8');
  }

  #mac(payload: string): Buffer {
    return createHmac('sha256', this.#secret).update(payload).digest();
  }

  sign(claims: PromiseClaims): string {
    const payload = Buffer.from(
      JSON.stringify([claims.merchant, claims.lines, claims.destination, claims.options, claims.expiresAt]),
    ).toString('base64url');
    return `${PREFIX}${payload}.${this.#mac(payload).toString('base64url')}`;
  }

  /** The claims of an authentic token, or null for anything forged, altered or malformed (expiry is not checked). */
  verify(token: string): PromiseClaims | null {
    if (!token.startsWith(PREFIX)) return null;
    const [payload, signature, extra] = token.slice(PREFIX.length).split('.');
    if (!payload || !signature || extra !== undefined) return null;
    const expected = this.#mac(payload);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const [merchant, lines, destination, options, expiresAt] = JSON.parse(
        Buffer.from(payload, 'base64url').toString(),
      );
      return { merchant, lines, destination, options, expiresAt };
    } catch {
      return null;
    }
  }
}
