/**
 * Stock as the promise route reads it: levels per merchant and sku from the store, cached in an LRU and
 * invalidated by every change that goes through this process, so the next promise sees it. Changes made by
 * other processes arrive as notifications from the store; while those cannot be heard (the listening
 * connection is down and reconnecting), cached levels and the answers built on them last `staleMs` at most.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import type { InventoryUpdate } from '../../../shared/src/inventory.ts';
import { type StockLevel, type StockView, stockViewOf } from '../promise/availability.ts';
import type { Store } from '../store/store.ts';

/** How stale stock may be while other processes' changes cannot be heard. */
export const DISCONNECTED_STALE_MS = 1000;

export class StockCache {
  readonly #store: Store;
  readonly #staleMs: number;
  readonly #levels = new LRUCache<string, readonly StockLevel[]>({ max: 100_000 });
  /** whether other processes' changes are being heard (always, on a store no other process shares) */
  #live = true;
  /** bumped on every change of a sku's stock, so that answers computed from older stock are never reused */
  readonly #versions = new Map<string, number>();
  /** bumped when notifications may have been missed: every cached answer is then stale */
  #epoch = 0;

  /** real time, not the app's clock: staleness is about when notifications were missed, even in tests */
  readonly #now: () => number;

  constructor(store: Store, { staleMs = DISCONNECTED_STALE_MS, now = Date.now } = {}) {
    this.#store = store;
    this.#staleMs = staleMs;
    this.#now = now;
  }

  get live(): boolean {
    return this.#live;
  }

  /** Told by the store whether changes are heard; while not, everything cached expires after `staleMs`. */
  setLive(live: boolean): void {
    this.#live = live;
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
      // A change heard while the levels load may be newer than what they hold: such levels are used, not kept.
      const before = missing.map((sku) => this.version(merchantId, sku));
      const loaded = await this.#store.inventoryLevels(merchantId, missing);
      missing.forEach((sku, i) => {
        const levels = loaded.filter((level) => level.sku === sku);
        if (this.version(merchantId, sku) === before[i])
          this.#levels.set(`${merchantId}|${sku}`, levels, this.#live ? {} : { ttl: this.#staleMs });
        found.push(...levels);
      });
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

  /**
   * A value that changes whenever the sku's stock changes, here or (through the store) in another process; while
   * changes cannot be heard, also every `staleMs`, so answers built on stock are not reused past that.
   */
  version(merchantId: string, sku: string): string {
    const version = `${this.#epoch}.${this.#versions.get(`${merchantId}|${sku}`) ?? 0}`;
    return this.#live ? version : `${version}~${Math.floor(this.#now() / this.#staleMs)}`;
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
    const stopListening = await store.onStockChange(
      (merchantId, sku) => stock.invalidate(merchantId, sku),
      (live) => {
        if (live === stock.live) return;
        stock.setLive(live);
        if (!live) app.log.warn('stock notifications lost; caches expire within a second until they are back');
        else app.log.info('stock notifications heard again');
      },
    );
    app.addHook('onClose', async () => {
      await stopListening();
      await store.close();
    });
    for (const runtime of app.merchants.all) await store.seedInventory(runtime.merchant.id, runtime.seed);
  },
  { name: 'stock', dependencies: ['merchants'] },
);
