/** Orders (CONTRACT §4 "Orders"): the booking request, the order, and cancellation. */
import { type Static, Type } from 'typebox';
import { Amount, CountryInput, Currency, IsoDate, ObjectId, PostalCode, Quantity, Sku } from './primitives.ts';
import { Return } from './returns.ts';

export const OrderLineInput = Type.Object(
  { sku: Sku, quantity: Quantity, unitPrice: Amount },
  { additionalProperties: false },
);

export const ShippingAddress = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    postalCode: PostalCode,
    city: Type.String({ minLength: 1, maxLength: 100 }),
    country: CountryInput,
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    email: Type.Optional(Type.String({ maxLength: 254, format: 'email' })),
  },
  { additionalProperties: false },
);

export const OrderTotals = Type.Object(
  { items: Amount, shipping: Amount, tax: Amount, total: Amount, currency: Currency },
  { additionalProperties: false },
);

export const OrderRequest = Type.Object(
  {
    reference: Type.String({ minLength: 1, maxLength: 100, description: "the merchant's own order number" }),
    channel: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'e.g. web, app, marketplace' })),
    promiseId: Type.Optional(Type.String({ minLength: 1, maxLength: 8192 })),
    optionId: ObjectId,
    items: Type.Array(OrderLineInput, { minItems: 1, maxItems: 100 }),
    shippingAddress: ShippingAddress,
    totals: OrderTotals,
    at: Type.Optional(Type.String({ maxLength: 40, description: 'test keys only: the instant to book at' })),
  },
  { additionalProperties: false },
);

/** Order statuses (CONTRACT §4), in the order they move forward; `cancelled` only before anything shipped. */
export const ORDER_STATUSES = [
  'accepted',
  'in_preparation',
  'partially_shipped',
  'shipped',
  'delivered',
  'closed',
  'cancelled',
] as const;

/**
 * Shipment statuses: `pending` before a label, then the normalized tracking statuses (CONTRACT §4). From
 * `picked_up` on, every status but `cancelled` means the parcel has left the warehouse.
 */
export const SHIPMENT_STATUSES = [
  'pending',
  'label_created',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'available_for_pickup',
  'delivered',
  'failed_attempt',
  'exception',
  'returned_to_sender',
  'cancelled',
] as const;

export const OrderStatus = Type.Enum(ORDER_STATUSES);
export const ShipmentStatus = Type.Enum(SHIPMENT_STATUSES);

export const TimelineEntry = Type.Object({
  at: Type.String({ description: 'ISO instant' }),
  type: Type.String({ description: 'order.accepted, order.cancelled, shipment.status_changed …' }),
  actor: Type.String({ description: 'api_key:<fingerprint>, system, carrier:<id>' }),
  message: Type.String(),
  shipmentId: Type.Optional(Type.String()),
  returnId: Type.Optional(Type.String()),
});

export const ShipmentLine = Type.Object({ sku: Type.String(), quantity: Type.Integer() });

export const Shipment = Type.Object({
  id: Type.String(),
  warehouse: Type.String(),
  carrier: Type.String(),
  service: Type.String(),
  items: Type.Array(ShipmentLine),
  /** the stock each item takes (a bundle's components), and whether it waits for incoming stock */
  reservations: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer(), backorder: Type.Boolean() })),
  dispatchDate: IsoDate,
  promisedDelivery: Type.Object({ earliest: IsoDate, latest: IsoDate }),
  status: ShipmentStatus,
  trackingNumber: Type.Union([Type.String(), Type.Null()]),
  lastEventAt: Type.Optional(
    Type.Union([Type.String(), Type.Null()], { description: 'when the latest tracking event happened' }),
  ),
  dispatchedAt: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description:
        'when the carrier first had the parcel (its first picked_up or in_transit scan): transit counts from it',
    }),
  ),
  deliveredAt: Type.Optional(
    Type.Union([Type.String(), Type.Null()], { description: 'when the carrier delivered the parcel' }),
  ),
  leftAt: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description: 'when the parcel left the warehouse (its first departure scan): its stock left on hand then',
    }),
  ),
});

export const Order = Type.Object(
  {
    id: Type.String(),
    reference: Type.String(),
    channel: Type.Union([Type.String(), Type.Null()]),
    status: OrderStatus,
    createdAt: Type.String(),
    updatedAt: Type.String(),
    promiseId: Type.Union([Type.String(), Type.Null()]),
    optionId: Type.String(),
    items: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer(), unitPrice: Type.Integer() })),
    shippingAddress: ShippingAddress,
    totals: OrderTotals,
    shipments: Type.Array(Shipment),
    returns: Type.Optional(Type.Array(Return, { description: 'its returns (CONTRACT §9), oldest first' })),
    timeline: Type.Array(TimelineEntry),
  },
  { $id: 'Order' },
);

/** `PATCH /v1/orders/{id}` (CONTRACT §9): a new address, and/or the new full list of lines (only lowered or removed). */
export const EditOrderRequest = Type.Object(
  {
    shippingAddress: Type.Optional(ShippingAddress),
    items: Type.Optional(
      Type.Array(Type.Object({ sku: Sku, quantity: Quantity }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: 100,
        description: "the order's lines after the edit: each at most its booked quantity; a line left out is removed",
      }),
    ),
    at: Type.Optional(Type.String({ maxLength: 40, description: 'test keys only: the instant to edit at' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CancelRequest = Type.Object(
  {
    items: Type.Optional(
      Type.Array(Type.Object({ sku: Sku, quantity: Quantity }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: 100,
      }),
    ),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export type OrderRequest = Static<typeof OrderRequest>;
export type ShippingAddress = Static<typeof ShippingAddress>;
export type OrderStatus = Static<typeof OrderStatus>;
export type ShipmentStatus = Static<typeof ShipmentStatus>;
export type TimelineEntry = Static<typeof TimelineEntry>;
export type Shipment = Static<typeof Shipment>;
export type Order = Static<typeof Order>;
export type CancelRequest = Static<typeof CancelRequest>;
export type EditOrderRequest = Static<typeof EditOrderRequest>;
