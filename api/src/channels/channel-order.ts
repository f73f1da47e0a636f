/**
 * What a shop platform's order becomes before it is booked (CONTRACT §8): the booking request `POST /v1/orders`
 * would take, the platform's exact order id (the idempotency key's), its order name (the reference), and what
 * could not be read. Readers of each platform (shopify-order, woocommerce-order, prestashop-order) are pure.
 */
import countries from 'i18n-iso-countries';
import { Value } from 'typebox/value';
import type { ChannelConfig } from '../../../shared/src/config.ts';
import { OrderRequest, type ShippingAddress } from '../../../shared/src/orders.ts';
import { toMinorUnits } from '../booking/money.ts';

/** A platform's JSON object, read defensively: platforms send what they send. */
export type Json = Record<string, unknown>;

export const jsonObjects = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter((v): v is Json => v !== null && typeof v === 'object') : [];
export const jsonObject = (value: unknown): Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
/** A string or a number as text; anything else is empty. */
export const jsonText = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

export interface FieldProblem {
  field: string;
  code: string;
}

export type ChannelAction = 'book' | 'cancel' | 'ignore';

export interface ChannelOrder {
  /** the platform's own order id, digit for digit */
  externalId: string;
  /** the order's name on the platform (Shopify `#1001`, WooCommerce `number`, PrestaShop `reference`) */
  name: string;
  action: ChannelAction;
  request: OrderRequest;
  /** why the order cannot be booked as it stands (no option, an amount that is not a number …) */
  problems: FieldProblem[];
}

/** The parts of an address as platforms give them; one shape for all (CONTRACT §8). */
export interface PlatformAddress {
  name?: unknown;
  firstName?: unknown;
  lastName?: unknown;
  company?: unknown;
  line1?: unknown;
  line2?: unknown;
  postalCode?: unknown;
  city?: unknown;
  country?: unknown;
  phone?: unknown;
  email?: unknown;
}

const text = (value: unknown, max: number): string => jsonText(value).replace(/\s+/g, ' ').trim().slice(0, max);

/** An ISO 3166-1 alpha-2 code from a two- or three-letter code or an English name; '' when none fits. */
export function countryCode(value: unknown): string {
  const given = text(value, 100);
  if (/^[A-Za-z]{2}$/.test(given)) return given.toUpperCase();
  if (/^[A-Za-z]{3}$/.test(given)) return countries.alpha3ToAlpha2(given.toUpperCase()) ?? '';
  return (given && countries.getAlpha2Code(given, 'en')) || '';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The normalized shipping address: a name (the full name, else first and last, else the company), the company
 * on the second line when there is a name, the country as an alpha-2 code, the postal code upper case with
 * single spaces, and the phone and e-mail kept (an e-mail that is not one is left out rather than refused).
 */
export function normalizeAddress(address: PlatformAddress): ShippingAddress {
  const company = text(address.company, 200);
  const person = text(address.name, 200) || text(`${text(address.firstName, 100)} ${text(address.lastName, 100)}`, 200);
  const line2 = [person ? company : '', text(address.line2, 200)].filter(Boolean).join(', ').slice(0, 200);
  const phone = text(address.phone, 40);
  const email = text(address.email, 254);
  return {
    name: person || company,
    line1: text(address.line1, 200),
    ...(line2 ? { line2 } : {}),
    postalCode: text(address.postalCode, 16).toUpperCase(),
    city: text(address.city, 100),
    country: countryCode(address.country),
    ...(phone ? { phone } : {}),
    ...(email && EMAIL.test(email) ? { email } : {}),
  };
}

/**
 * The option the shopper chose: the element's saved `dp-select` (`promesse_promise_id`, `promesse_option_id`
 * among the order's attributes), else the channel's `shippingOptions` for the first platform shipping code that
 * has one.
 */
export function chooseOption(
  channel: ChannelConfig,
  attributes: ReadonlyMap<string, string>,
  shippingCodes: readonly string[],
): { optionId: string; promiseId?: string } | null {
  const optionId = attributes.get('promesse_option_id');
  const promiseId = attributes.get('promesse_promise_id');
  if (optionId) return { optionId, ...(promiseId ? { promiseId } : {}) };
  for (const code of shippingCodes) {
    const mapped = channel.shippingOptions?.[code];
    if (mapped) return { optionId: mapped };
  }
  return null;
}

/** A platform's order line: its sku, quantity, and what the shopper pays for all its units (minor units). */
export interface PlatformLine {
  sku: string;
  quantity: number;
  amount: number;
}

/**
 * The booking's lines: one per sku (platforms may list a sku twice, say with two engravings), each at the unit
 * price its amount divides into. An amount that does not divide by its quantity (a coupon of 10.00 over three
 * units) is a problem rather than a rounded price: the totals would no longer add up.
 */
export function orderLines(lines: readonly PlatformLine[]): { items: OrderRequest['items']; problems: FieldProblem[] } {
  const bySku = new Map<string, { quantity: number; amount: number }>();
  for (const line of lines) {
    const merged = bySku.get(line.sku) ?? { quantity: 0, amount: 0 };
    merged.quantity += line.quantity;
    merged.amount += line.amount;
    bySku.set(line.sku, merged);
  }
  const problems: FieldProblem[] = [];
  const items = [...bySku].map(([sku, { quantity, amount }], i) => {
    const unitPrice = quantity > 0 ? Math.round(amount / quantity) : amount;
    if (unitPrice * quantity !== amount) problems.push({ field: `items[${i}].unitPrice`, code: 'not_divisible' });
    return { sku, quantity, unitPrice };
  });
  return { items, problems };
}

/**
 * Reads a platform's amounts into minor units, noting each that is not one (or is negative) among `problems`
 * under its field, and counting it as 0 so the reading goes on.
 */
export function amountReader(currency: string, problems: FieldProblem[]): (value: unknown, field: string) => number {
  return (value, field) => {
    const minor = toMinorUnits(value, currency);
    if (minor === null || minor < 0) {
      problems.push({ field, code: 'not_an_amount' });
      return 0;
    }
    return minor;
  };
}

/** The order a reader returns: what stands in the way of booking is checked only when it is to be booked. */
export function channelOrder(
  externalId: string,
  action: ChannelAction,
  request: OrderRequest,
  problems: readonly FieldProblem[],
): ChannelOrder {
  return {
    externalId,
    name: request.reference,
    action,
    request,
    problems: action === 'book' ? [...problems, ...requestProblems(request)] : [],
  };
}

/** The schema's complaints about a mapped request, as field problems (too long a name, a missing city …). */
export function requestProblems(request: OrderRequest): FieldProblem[] {
  return [...Value.Errors(OrderRequest, request)].map((error) => ({
    field: error.instancePath.split('/').filter(Boolean).join('.') || 'order',
    code: 'invalid',
  }));
}

/** `name → value` of attributes given as a list of pairs (Shopify's note_attributes, WooCommerce's meta_data). */
export function attributeMap(pairs: unknown, nameKey: string): Map<string, string> {
  const found = new Map<string, string>();
  if (!Array.isArray(pairs)) return found;
  for (const pair of pairs) {
    if (pair === null || typeof pair !== 'object') continue;
    const name = (pair as Record<string, unknown>)[nameKey];
    const value = (pair as Record<string, unknown>).value;
    if (typeof name === 'string' && (typeof value === 'string' || typeof value === 'number'))
      found.set(name, String(value));
  }
  return found;
}
