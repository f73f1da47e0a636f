/** Inventory levels and their update (CONTRACT §4 "Inventory"). */
import { type Static, Type } from 'typebox';
import { Instant, IsoDate, Nullable, StockCount } from './primitives.ts';

export const Incoming = Type.Object(
  {
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
    expectedAt: { ...IsoDate, description: 'arrival date, local to the warehouse' },
  },
  { additionalProperties: false },
);

export const InventoryUpdate = Type.Object(
  {
    onHand: Type.Optional(StockCount),
    safetyStock: Type.Optional(StockCount),
    incoming: Type.Optional(Type.Array(Incoming, { maxItems: 100, description: 'replaces the whole list' })),
  },
  { additionalProperties: false },
);

export const WarehouseLevel = Type.Object({
  warehouse: Type.String(),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  safetyStock: Type.Integer(),
  available: Type.Integer({ description: 'onHand − reserved − safetyStock' }),
  incoming: Type.Array(Incoming),
});

/** One sku in one warehouse: the answer to an update. */
export const SkuLevel = Type.Object({ sku: Type.String(), ...WarehouseLevel.properties });

export const SkuInventory = Type.Object({ sku: Type.String(), warehouses: Type.Array(WarehouseLevel) });

export const MOVEMENT_REASONS = ['seed', 'set', 'import', 'reserve', 'release', 'ship', 'adjust', 'return'] as const;

/** One line of the stock ledger: why a level moved. */
export const StockMovement = Type.Object({
  at: Instant,
  warehouse: Type.String(),
  sku: Type.String(),
  onHandDelta: Type.Integer(),
  reservedDelta: Type.Integer(),
  reason: Type.Enum(MOVEMENT_REASONS),
  orderId: Nullable(Type.String()),
  note: Nullable(Type.String({ description: 'why someone adjusted the level by hand (adjust)' })),
});

export type StockMovement = Static<typeof StockMovement>;
export type Incoming = Static<typeof Incoming>;
export type InventoryUpdate = Static<typeof InventoryUpdate>;
export type WarehouseLevel = Static<typeof WarehouseLevel>;
export type SkuInventory = Static<typeof SkuInventory>;

/** One line of the bulk import's JSON-lines answer (`POST /v1/inventory/import`). */
export const InventoryImportLine = Type.Union([
  Type.Object({
    type: Type.Literal('progress'),
    processed: Type.Integer(),
    applied: Type.Integer(),
    failed: Type.Integer(),
  }),
  Type.Object({
    type: Type.Literal('error'),
    line: Type.Optional(Type.Integer({ description: 'the line number, the header being line 1' })),
    code: Type.String(),
    message: Type.String(),
  }),
  Type.Object({
    type: Type.Literal('summary'),
    processed: Type.Integer(),
    applied: Type.Integer(),
    failed: Type.Integer(),
    aborted: Type.Optional(Type.Boolean()),
    message: Type.Optional(Type.String()),
  }),
]);
