/**
 * GET /v1/promise: its query and its answer (CONTRACT §4). The widget imports these types with `import type`,
 * the API validates and serializes with the schemas, and the OpenAPI document is generated from them.
 */
import { type Static, Type } from 'typebox';
import { DeliveryType } from './config.ts';
import { CountryInput, Instant, IsoDate, MAX_QUANTITY, PostalCode, Sku } from './primitives.ts';

/** Hard limits of one promise request; over them the answer is 400 invalid_request. */
export const PROMISE_LIMITS = { maxLines: 100, maxQuantity: MAX_QUANTITY, maxItemsLength: 4000 } as const;

export const PromiseQuery = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 200, description: 'a publishable key (pk_…)' }),
  items: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: PROMISE_LIMITS.maxItemsLength,
      description: `cart lines as SKU:QUANTITY separated by commas, at most ${PROMISE_LIMITS.maxLines}`,
      examples: ['MUG-01:1,TEE-02:2'],
    }),
  ),
  sku: Type.Optional({ ...Sku, description: 'one product (instead of items)' }),
  quantity: Type.Optional(
    Type.Integer({ minimum: 1, maximum: PROMISE_LIMITS.maxQuantity, description: 'with sku; default 1' }),
  ),
  country: { ...CountryInput, description: 'destination, ISO 3166-1 alpha-2' },
  postalCode: Type.Optional({ ...PostalCode, description: 'destination postal code' }),
  locale: Type.Optional(Type.String({ minLength: 2, maxLength: 35, description: 'BCP 47 tag, e.g. fr-FR' })),
  at: Type.Optional(Type.String({ maxLength: 40, description: 'test keys only: the instant to promise at' })),
});

export const PromiseLine = Type.Object({
  sku: Type.String(),
  quantity: Type.Integer(),
  available: Type.Boolean(),
  availableFrom: Type.Union([IsoDate, Type.Null()], { description: 'set when the line waits for incoming stock' }),
  reason: Type.Union([
    Type.Literal('out_of_stock'),
    Type.Literal('no_service'),
    Type.Literal('unknown_sku'),
    Type.Null(),
  ]),
});

export const DeliveryWindow = Type.Object({ earliest: IsoDate, latest: IsoDate });

/** Where a delivery window came from (CONTRACT §6): learned from past deliveries, or the configured transit. */
export const Estimate = Type.Object({
  basis: Type.Enum(['history', 'configured']),
  samples: Type.Integer({ minimum: 0, description: 'comparable deliveries used; 0 when configured' }),
  onTimeTarget: Type.Number({ description: 'the share of parcels meant to arrive by delivery.latest' }),
});

export const ShipmentPromise = Type.Object({
  warehouse: Type.String(),
  items: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() })),
  dispatchDate: IsoDate,
  cutoffAt: Type.Union([Instant, Type.Null()]),
  delivery: DeliveryWindow,
  estimate: Estimate,
});

export const OptionTag = Type.Union([Type.Literal('fastest'), Type.Literal('cheapest')]);

export const DeliveryOption = Type.Object({
  id: Type.String(),
  carrier: Type.String(),
  service: Type.String(),
  name: Type.String(),
  deliveryType: DeliveryType,
  price: Type.Object({ amount: Type.Integer(), currency: Type.String() }),
  cutoffAt: Type.Union([Instant, Type.Null()]),
  dispatchDate: IsoDate,
  delivery: DeliveryWindow,
  shipments: Type.Array(ShipmentPromise),
  tags: Type.Array(OptionTag),
  estimate: { ...Estimate, description: 'history only when every shipment is; samples: the fewest of any shipment' },
});

export const PromiseStatus = Type.Union([
  Type.Literal('available'),
  Type.Literal('partial'),
  Type.Literal('unavailable'),
]);

export const DeliveryPromise = Type.Object(
  {
    promiseId: Type.String({ description: 'signed token binding lines, destination, options and expiry' }),
    generatedAt: Instant,
    expiresAt: Instant,
    status: PromiseStatus,
    reason: Type.Union([
      Type.Literal('out_of_stock'),
      Type.Literal('no_service'),
      Type.Literal('unknown_sku'),
      Type.Null(),
    ]),
    items: Type.Array(PromiseLine),
    options: Type.Array(DeliveryOption),
  },
  { $id: 'DeliveryPromise' },
);

export type PromiseQuery = Static<typeof PromiseQuery>;
export type PromiseLine = Static<typeof PromiseLine>;
export type LineReason = NonNullable<PromiseLine['reason']>;
export type DeliveryWindow = Static<typeof DeliveryWindow>;
export type Estimate = Static<typeof Estimate>;
export type ShipmentPromise = Static<typeof ShipmentPromise>;
export type DeliveryOption = Static<typeof DeliveryOption>;
export type OptionTag = Static<typeof OptionTag>;
export type PromiseStatus = Static<typeof PromiseStatus>;
export type DeliveryPromise = Static<typeof DeliveryPromise>;
