/**
 * The shop platforms' webhook signatures (CONTRACT §8). Shopify (`X-Shopify-Hmac-Sha256`) and WooCommerce
 * (`X-WC-Webhook-Signature`) both send the base64 HMAC-SHA256 of the raw body, keyed with the app's or the
 * webhook's secret. It is checked on the bytes received, before anything of the body is read, and compared in
 * constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/** Whether `given` is the base64 HMAC-SHA256 of `raw` under `secret`. */
export function hasValidSignature(raw: Buffer, given: string | undefined, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(raw).digest();
  // A SHA-256 digest is 32 bytes, 44 characters of base64: anything else is wrong without comparing.
  if (given === undefined || !BASE64.test(given.trim())) return false;
  return timingSafeEqual(expected, Buffer.from(given.trim(), 'base64'));
}
