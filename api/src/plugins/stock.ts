/**
 * Stock as the promise route reads it: levels per merchant and sku from the store, cached in an LRU and
 * invalidated by every change that goes through this process, so the next promise sees it.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import type { InventoryUpdate } from '../../../shared/src/inventory.ts';
import { type StockLevel, type StockView, stockViewOf } from '../promise/availability.ts';
import type { Store } from '../store/store.ts';

export class StockCache {
  readonly #store: Store;
  readonly #levels = new LRUCache<string, readonly StockLevel[]>({ max: 100_000 });
  /** bumped on every change of a sku's stock, so that answers computed from older stock are never reused */
  readonly #versions = new Map<string, number>();
  /** bumped when notifications may have been missed: every cached answer is then stale */
  #epoch = 0;

  constructor(store: Store) {
    this.#store = store;
  }

  /** The levels of the given skus, every warehouse, from the cache where it has them. */
  async levels(merchantId: string, skus: readonly string[]): Promise<StockLevel[]> {
    const found: StockLevel[] = [];
    const missing: string[] = [];
    for (const sku of new Set(skus)) {
      const cached = this.#levels.get(`${merchantId}|${sku}`);
      if (cached) found.push(...cached);
      else missing.push(sku);
    }
    if (missing.length > 0) {
      const loaded = await this.#store.inventoryLevels(merchantId, missing);
      for (const sku of missing) {
        const levels = loaded.filter((level) => level.sku === sku);
        this.#levels.set(`${merchantId}|${sku}`, levels);
        found.push(...levels);
      }
    }
    return found;
  }

  async view(merchantId: string, skus: readonly string[]): Promise<StockView> {
    return stockViewOf(await this.levels(merchantId, skus));
  }

  async update(merchantId: string, warehouse: string, sku: string, update: InventoryUpdate): Promise<StockLevel> {
    try {
      return await this.#store.updateInventory(merchantId, warehouse, sku, update);
    } finally {
      this.invalidate(merchantId, sku);
    }
  }

  /** Forgets what the cache holds for a sku, after any change to its stock; `*` forgets everything. */
  invalidate(merchantId: string, sku: string): void {
    if (merchantId === '*') {
      this.#levels.clear();
      this.#epoch++;
      return;
    }
    const key = `${merchantId}|${sku}`;
    this.#levels.delete(key);
    this.#versions.set(key, (this.#versions.get(key) ?? 0) + 1);
  }

  /** A value that changes whenever the sku's stock changes, here or (through the store) in another process. */
  version(merchantId: string, sku: string): string {
    return `${this.#epoch}.${this.#versions.get(`${merchantId}|${sku}`) ?? 0}`;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
    stock: StockCache;
  }
}

export const stockPlugin = fp(
  async (app: FastifyInstance, { store }: { store: Store }) => {
    app.decorate('store', store);
    const stock = new StockCache(store);
    app.decorate('stock', stock);
    await store.migrate();
    // Other processes sharing the store announce their stock changes; a promise is stale for milliseconds only.
    const stopListening = await store.onStockChange((merchantId, sku) => stock.invalidate(merchantId, sku));
    app.addHook('onClose', async () => {
      await stopListening();
      await store.close();
    });
    for (const runtime of app.merchants.all) await store.seedInventory(runtime.merchant.id, runtime.seed);
  },
  { name: 'stock', dependencies: ['merchants'] },
);
