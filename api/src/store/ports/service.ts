/** The store as a whole: its schema, service-wide secrets, stock notifications between processes, closing. */

export interface ServiceStore {
  /** Creates or upgrades the schema. Safe to call on every start. */
  migrate(): Promise<void>;
  /**
   * How many migrations this build knows that the store has not applied; a query on the store, so it fails when
   * the store cannot be reached (GET /ready).
   */
  pendingMigrations(): Promise<number>;
  /** A service-wide secret by name, generated once and kept, so every process sharing the store agrees on it. */
  serviceSecret(name: string): Promise<string>;
  /**
   * Calls `listener` when another process changes a merchant's stock (for caches), and `('*', '*')` when changes
   * may have been missed; `onLive` says whether changes are being heard at all (false while reconnecting).
   * Returns an unsubscribe.
   */
  onStockChange(
    listener: (merchantId: string, sku: string) => void,
    onLive?: (live: boolean) => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
