/**
 * The primitives every shape is made of, each written once: schemas for validation, serialization and the
 * OpenAPI document, and their types. Limits that requests and the config share live here too.
 */
import { type Static, Type } from 'typebox';

/** A line's quantity: at least one, at most this many (promises, orders, cancellations). */
export const MAX_QUANTITY = 9999;

/** The pattern of ids a merchant chooses (warehouses, carriers, services, skus). */
export const CONFIG_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';
/** The shape of a local date; whether it is a real calendar date is checked where it is read. */
export const ISO_DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

export const Sku = Type.String({ minLength: 1, maxLength: 64, description: "the merchant's product code" });
/** Ids the merchant chooses in its config: warehouses, carriers, services, skus of the catalogue. */
export const ConfigId = Type.String({
  pattern: CONFIG_ID_PATTERN,
  description: 'letters, digits, _ . -',
});
/** An id Promesse gave (ord_…, shp_…, we_…), or a merchant's id in a path. */
export const ObjectId = Type.String({ minLength: 1, maxLength: 64 });
export const IsoDate = Type.String({ pattern: ISO_DATE_PATTERN, description: 'a local date, YYYY-MM-DD' });
export const Instant = Type.String({ description: 'an ISO 8601 instant in UTC' });
/** A country as the config writes it: ISO 3166-1 alpha-2, upper case. */
export const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2, upper case' });
/** A country as clients send it: either case. */
export const CountryInput = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' });
export const Quantity = Type.Integer({ minimum: 1, maximum: MAX_QUANTITY });
/** A stock level's count: zero or more. */
export const StockCount = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });
export const Amount = Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'minor units' });
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' });
export const PostalCode = Type.String({ minLength: 1, maxLength: 16 });

/** A value or null (the API writes null, never omits the field). */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export type Sku = Static<typeof Sku>;
export type IsoDate = Static<typeof IsoDate>;
export type Instant = Static<typeof Instant>;
export type Country = Static<typeof Country>;
export type Quantity = Static<typeof Quantity>;
export type Amount = Static<typeof Amount>;
