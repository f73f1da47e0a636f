/**
 * Platform bodies parsed without losing digits: Shopify's ids exceed 2^53, which `JSON.parse` would round.
 * Safe integers become numbers; larger integers and every decimal stay strings, exactly as sent (amounts are
 * then read digit by digit, see money.ts).
 */
import { isSafeNumber, parse } from 'lossless-json';

const INTEGER = /^-?\d+$/;

/** The JSON object of `text`, or null when it is not one. */
export function parsePlatformJson(text: string): Record<string, unknown> | null {
  try {
    const value = parse(text, null, (digits) =>
      INTEGER.test(digits) && isSafeNumber(digits) ? Number(digits) : digits,
    );
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
