/**
 * Reads GET /v1/promise's query into a core request: cart lines, destination, locale and the instant. The
 * schema has checked types and lengths; this checks what needs knowledge (countries, postal formats, locales).
 */
import { postcodeValidator, postcodeValidatorExistsForCountry } from 'postcode-validator';
import { CONFIG_ID_PATTERN } from '../../../../shared/src/primitives.ts';
import { PROMISE_LIMITS, type PromiseQuery } from '../../../../shared/src/promise.ts';
import { isKnownCountry } from '../../config/validate-config.ts';
import { invalidField } from '../../http-error.ts';
import type { PromiseRequest } from '../../promise/compute-promise.ts';
import { fixedInstant } from '../../promise/instant.ts';

const SKU = new RegExp(CONFIG_ID_PATTERN);
const POSTAL_CHARACTERS = /^[A-Za-z0-9][A-Za-z0-9 -]{0,15}$/;

function parseQuantity(text: string, field: string): number {
  if (!/^\d{1,9}$/.test(text))
    throw invalidField(field, 'invalid_quantity', `${field}: quantity must be a whole number.`);
  const quantity = Number(text);
  if (quantity < 1) throw invalidField(field, 'too_small', `${field}: quantity must be at least 1.`);
  if (quantity > PROMISE_LIMITS.maxQuantity) {
    throw invalidField(field, 'too_large', `${field}: quantity must be at most ${PROMISE_LIMITS.maxQuantity}.`);
  }
  return quantity;
}

/** `MUG-01:1,TEE-02:2` → lines; a line without `:quantity` counts one. */
export function parseItems(items: string): { sku: string; quantity: number }[] {
  const parts = items.split(',');
  if (parts.length > PROMISE_LIMITS.maxLines) {
    throw invalidField('items', 'too_many', `items: at most ${PROMISE_LIMITS.maxLines} lines per promise.`);
  }
  return parts.map((part, index) => {
    const [sku = '', quantity, extra] = part.trim().split(':');
    const field = `items[${index}]`;
    if (!SKU.test(sku) || extra !== undefined) {
      throw invalidField(field, 'invalid_format', `${field}: expected SKU:QUANTITY, got "${part.slice(0, 80)}".`);
    }
    return { sku, quantity: quantity === undefined ? 1 : parseQuantity(quantity, field) };
  });
}

/** A promise query read: the core's request, the answer's locale, and the instant `at` fixed. */
export interface ParsedPromiseQuery {
  request: PromiseRequest;
  locale: string | null;
  /** the instant from `at`, or null to use the clock */
  at: number | null;
}

export function parsePromiseQuery(query: PromiseQuery, { presentedKey }: { presentedKey: string }): ParsedPromiseQuery {
  let lines: PromiseRequest['lines'];
  if (query.items !== undefined && query.sku !== undefined) {
    throw invalidField('sku', 'conflicts_with_items', 'Give either items or sku (with quantity), not both.');
  } else if (query.items !== undefined) {
    lines = parseItems(query.items);
  } else if (query.sku !== undefined) {
    if (!SKU.test(query.sku)) throw invalidField('sku', 'invalid_format', 'sku: letters, digits, "_", "." and "-".');
    lines = [{ sku: query.sku, quantity: query.quantity ?? 1 }];
  } else {
    throw invalidField('items', 'required', 'Give items (SKU:QUANTITY,…) or sku and quantity.');
  }
  if (query.quantity !== undefined && query.sku === undefined) {
    throw invalidField('quantity', 'requires_sku', 'quantity goes with sku; in items, write SKU:QUANTITY.');
  }

  const country = query.country.toUpperCase();
  if (!isKnownCountry(country)) throw invalidField('country', 'unknown_country', `Unknown country "${query.country}".`);

  let postalCode: string | null = null;
  if (query.postalCode !== undefined) {
    const code = query.postalCode.trim();
    const valid =
      POSTAL_CHARACTERS.test(code) && (!postcodeValidatorExistsForCountry(country) || postcodeValidator(code, country));
    if (!valid) {
      throw invalidField(
        'postalCode',
        'invalid_for_country',
        `"${code.slice(0, 16)}" is not a postal code of ${country}.`,
      );
    }
    postalCode = code;
  }

  let locale: string | null = null;
  if (query.locale !== undefined) {
    try {
      locale = Intl.getCanonicalLocales(query.locale)[0] ?? null;
    } catch {
      throw invalidField('locale', 'invalid_locale', `"${query.locale.slice(0, 35)}" is not a BCP 47 language tag.`);
    }
  }

  let at: number | null = null;
  if (query.at !== undefined) {
    const found = fixedInstant(presentedKey, query.at);
    if (!found.ok) throw invalidField(found.field, found.code, found.message);
    at = found.instant;
  }
  return { request: { lines, country, postalCode }, locale, at };
}
