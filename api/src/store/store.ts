/**
 * The store port: everything Promesse keeps. One interface, one adapter per database (SQLite embedded,
 * PostgreSQL at scale), held to the same contract test suite. Every record belongs to one merchant, and every
 * call names the merchant it acts for.
 */
import type { InventoryUpdate } from '../../../shared/src/inventory.ts';
import type { StockLevel } from '../promise/availability.ts';

export interface Store {
  /** Creates or upgrades the schema. Safe to call on every start. */
  migrate(): Promise<void>;
  /** Inserts the levels a merchant's config seeds, only where the store has none for that warehouse and sku. */
  seedInventory(merchantId: string, levels: readonly StockLevel[]): Promise<number>;
  /** The levels of some skus, every warehouse; a sku with no level has no row. */
  inventoryLevels(merchantId: string, skus: readonly string[]): Promise<StockLevel[]>;
  /** Replaces the given fields of one level (creating it at zero when absent) and returns the new level. */
  updateInventory(merchantId: string, warehouse: string, sku: string, update: InventoryUpdate): Promise<StockLevel>;
  /** A service-wide secret by name, generated once and kept, so every process sharing the store agrees on it. */
  serviceSecret(name: string): Promise<string>;
  close(): Promise<void>;
}
