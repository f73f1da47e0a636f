/** Stock levels and their ledger: what is on hand, reserved and incoming per warehouse and sku. */
import type { InventoryUpdate, StockMovement } from '../../../../shared/src/inventory.ts';
import type { StockLevel } from '../../promise/availability.ts';

export type { StockMovement };

/**
 * A correction of on hand by hand (a stocktake, breakage), with the reason for the ledger. Reservations belong to
 * orders: they are released by hand through the order (`OrderChange.releases` with a note), never here.
 */
export interface StockAdjustment {
  onHandDelta: number;
  note: string;
}

/** Why an adjustment was refused: the level does not exist, or it would go below zero. */
export type AdjustmentResult = { ok: true; level: StockLevel } | { ok: false; reason: 'not_found' | 'below_zero' };

/** Raised inside a store transaction when stock would leave more than a level holds: a bug, never input. */
export class StockInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StockInvariantError';
  }
}

export interface InventoryStore {
  /** Inserts the levels a merchant's config seeds, only where the store has none for that warehouse and sku. */
  seedInventory(merchantId: string, levels: readonly StockLevel[]): Promise<number>;
  /** The levels of some skus, every warehouse; a sku with no level has no row. */
  inventoryLevels(merchantId: string, skus: readonly string[]): Promise<StockLevel[]>;
  /**
   * Replaces the given fields of one level (creating it at zero when absent) and returns the new level.
   * `reserved` is never written here, so a concurrent reservation is never lost.
   */
  updateInventory(
    merchantId: string,
    warehouse: string,
    sku: string,
    update: InventoryUpdate,
    reason?: 'set' | 'import',
  ): Promise<StockLevel>;
  /**
   * Corrects on hand by hand with a reason kept in the ledger. Conditional: refused (nothing written) when the
   * level does not exist or on hand would go below zero.
   */
  adjustInventory(
    merchantId: string,
    warehouse: string,
    sku: string,
    adjustment: StockAdjustment,
    now: number,
  ): Promise<AdjustmentResult>;
  /** The ledger of a sku, newest first. */
  stockMovements(merchantId: string, sku: string, limit: number): Promise<StockMovement[]>;
}
