/** Returns (CONTRACT §9): the request, the inspection, and the return as the API answers it. */
import { type Static, Type } from 'typebox';
import { Quantity, Sku } from './primitives.ts';

export const RETURN_REASONS = ['changed_mind', 'damaged', 'wrong_item', 'not_as_described', 'late', 'other'] as const;
export const RETURN_METHODS = ['label', 'drop_off'] as const;
/** In the order a return moves forward; `rejected` ends it instead. `drop_off` skips the label's two. */
export const RETURN_STATUSES = [
  'requested',
  'approved',
  'label_created',
  'in_transit',
  'received',
  'inspected',
  'refunded',
  'rejected',
] as const;
export const ITEM_CONDITIONS = ['resellable', 'damaged'] as const;

export const ReturnReason = Type.Enum(RETURN_REASONS);
export const ReturnMethod = Type.Enum(RETURN_METHODS);
export const ReturnStatus = Type.Enum(RETURN_STATUSES);
export const ItemCondition = Type.Enum(ITEM_CONDITIONS);

const At = Type.Optional(Type.String({ maxLength: 40, description: 'test keys only: the instant it happens at' }));

export const ReturnRequest = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          sku: Sku,
          quantity: Quantity,
          reason: ReturnReason,
          comment: Type.Optional(Type.String({ maxLength: 1000, description: "the shopper's own words" })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    method: ReturnMethod,
    at: At,
  },
  { additionalProperties: false },
);

export const InspectRequest = Type.Object(
  {
    items: Type.Array(
      Type.Object({ sku: Sku, quantity: Quantity, condition: ItemCondition }, { additionalProperties: false }),
      { minItems: 1, maxItems: 200, description: 'every unit the return holds, each resellable or damaged' },
    ),
    at: At,
  },
  { additionalProperties: false },
);

/** The body of approve, reject, receive and refund: all optional. */
export const ReturnActionRequest = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 500, description: 'why, for the timeline' })), at: At },
  { additionalProperties: false },
);

export const ReturnLine = Type.Object({
  sku: Type.String(),
  quantity: Type.Integer(),
  reason: ReturnReason,
  comment: Type.Optional(Type.String()),
  shipmentId: Type.String({ description: 'the delivered shipment the units came in' }),
});

export const ReturnTimelineEntry = Type.Object({
  at: Type.String({ description: 'ISO instant' }),
  type: Type.String({ description: 'return.requested, return.approved, return.tracking …' }),
  actor: Type.String(),
  message: Type.String(),
});

/** What the merchant owes the shopper, in the order's currency and minor units; Promesse moves no money. */
export const Refund = Type.Object({
  items: Type.Integer({ description: 'Σ unit price × quantity of the units refunded' }),
  shipping: Type.Integer({ description: "the order's shipping, when returns.refundShipping says so" }),
  fee: Type.Integer({ description: "the return label's cost charged to the shopper (returns.labelFee), subtracted" }),
  total: Type.Integer(),
  currency: Type.String(),
  lines: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer(), amount: Type.Integer() })),
});

export const Return = Type.Object(
  {
    id: Type.String({ description: 'ret_…' }),
    orderId: Type.String(),
    status: ReturnStatus,
    method: ReturnMethod,
    items: Type.Array(ReturnLine),
    warehouse: Type.String({ description: 'where the units go back to' }),
    label: Type.Union([
      Type.Null(),
      Type.Object({ trackingNumber: Type.String(), carrier: Type.String(), service: Type.String() }),
    ]),
    inspection: Type.Union([
      Type.Null(),
      Type.Object({
        at: Type.String(),
        items: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer(), condition: ItemCondition })),
      }),
    ]),
    refund: Type.Union([Type.Null(), Refund], { description: 'computed at inspection; paid out of Promesse' }),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    timeline: Type.Array(ReturnTimelineEntry),
  },
  { description: 'a return (RMA): what comes back, its label, its inspection and the refund it is owed' },
);

export type ReturnReason = Static<typeof ReturnReason>;
export type ReturnMethod = Static<typeof ReturnMethod>;
export type ReturnStatus = Static<typeof ReturnStatus>;
export type ItemCondition = Static<typeof ItemCondition>;
export type ReturnRequest = Static<typeof ReturnRequest>;
export type InspectRequest = Static<typeof InspectRequest>;
export type ReturnActionRequest = Static<typeof ReturnActionRequest>;
export type ReturnLine = Static<typeof ReturnLine>;
export type Refund = Static<typeof Refund>;
export type Return = Static<typeof Return>;
