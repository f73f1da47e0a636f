/**
 * Available-to-promise: what a warehouse can give a line now (on hand − reserved − safety stock) or from the day
 * its incoming stock covers it.
 */
import { type Day, dayFromIso } from './local-date.ts';

/** One warehouse's position in one sku, as the store keeps it. */
export interface StockLevel {
  warehouse: string;
  sku: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  incoming: readonly { quantity: number; expectedAt: string }[];
}

/** The levels a config's `inventory` section seeds: nothing reserved yet. */
export function seedLevels(
  inventory: readonly {
    warehouse: string;
    sku: string;
    onHand: number;
    safetyStock?: number;
    incoming?: StockLevel['incoming'];
  }[],
): StockLevel[] {
  return inventory.map((level) => ({
    warehouse: level.warehouse,
    sku: level.sku,
    onHand: level.onHand,
    reserved: 0,
    safetyStock: level.safetyStock ?? 0,
    incoming: level.incoming ?? [],
  }));
}

/** A stock level prepared for the core: the available quantity and incoming stock in date order. */
export interface StockPosition {
  available: number;
  incoming: readonly { quantity: number; day: Day }[];
}

/** Looks up positions by sku, then warehouse id. Missing entries mean no stock. */
export type StockView = (sku: string) => ReadonlyMap<string, StockPosition> | undefined;

/** Coverage of a demand: in stock now. Compares below every date, so `Math.max` picks the binding arrival. */
export const IN_STOCK = Number.NEGATIVE_INFINITY;

/** Builds a position from a stored level. */
export function stockPosition(level: StockLevel): StockPosition {
  return {
    available: level.onHand - level.reserved - level.safetyStock,
    incoming: level.incoming
      .map((entry) => ({ quantity: entry.quantity, day: dayFromIso(entry.expectedAt) ?? Number.POSITIVE_INFINITY }))
      .filter((entry) => Number.isFinite(entry.day))
      .sort((a, b) => a.day - b.day),
  };
}

/** Builds the core's stock view from stored levels. */
export function stockViewOf(levels: readonly StockLevel[]): StockView {
  const bySku = new Map<string, Map<string, StockPosition>>();
  for (const level of levels) {
    const byWarehouse = bySku.get(level.sku) ?? new Map<string, StockPosition>();
    bySku.set(level.sku, byWarehouse);
    byWarehouse.set(level.warehouse, stockPosition(level));
  }
  return (sku) => bySku.get(sku);
}

/**
 * When a position covers `quantity` units: IN_STOCK, the day incoming stock makes it enough, or null.
 * @example coverage({ available: 2, incoming: [{ quantity: 5, day: 20430 }] }, 4) // 20430
 */
export function coverage(position: StockPosition | undefined, quantity: number): number | null {
  if (quantity <= 0) return IN_STOCK;
  if (!position) return null;
  let total = position.available;
  if (total >= quantity) return IN_STOCK;
  for (const entry of position.incoming) {
    total += entry.quantity;
    if (total >= quantity) return entry.day;
  }
  return null;
}
