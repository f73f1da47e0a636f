import { describe, expect, it } from 'vitest';
import type { StockLevel } from '../promise/availability.ts';
import type { Store } from '../store/store.ts';
import { StockCache } from './stock.ts';

const level = (onHand: number): StockLevel => ({
  warehouse: 'paris',
  sku: 'MUG-01',
  onHand,
  reserved: 0,
  safetyStock: 0,
  incoming: [],
});

/** A store whose levels the test sets, counting the reads, and able to hold a read until told. */
function fakeStore() {
  let onHand = 40;
  let reads = 0;
  let hold: Promise<void> | null = null;
  const store = {
    async inventoryLevels() {
      reads++;
      const answer = [level(onHand)];
      if (hold) await hold;
      return answer;
    },
  } as unknown as Store;
  return {
    store,
    set: (n: number) => {
      onHand = n;
    },
    reads: () => reads,
    holdNextRead: () => {
      let release = () => {};
      hold = new Promise((resolve) => {
        release = () => {
          hold = null;
          resolve();
        };
      });
      return release;
    },
  };
}

describe('StockCache', () => {
  it('reads a sku once and serves it from the cache until it changes', async () => {
    const fake = fakeStore();
    const cache = new StockCache(fake.store);
    await cache.levels('m', ['MUG-01']);
    await cache.levels('m', ['MUG-01']);
    expect(fake.reads()).toBe(1);
    fake.set(7);
    cache.invalidate('m', 'MUG-01');
    expect((await cache.levels('m', ['MUG-01']))[0]?.onHand).toBe(7);
  });

  it('does not keep levels read while a change was heard: the next read goes to the store', async () => {
    const fake = fakeStore();
    const cache = new StockCache(fake.store);
    const release = fake.holdNextRead();
    const reading = cache.levels('m', ['MUG-01']); // reads 40, held
    await Promise.resolve();
    fake.set(7);
    cache.invalidate('m', 'MUG-01'); // another process's change arrives while the read is under way
    release();
    expect((await reading)[0]?.onHand).toBe(40);
    expect((await cache.levels('m', ['MUG-01']))[0]?.onHand).toBe(7);
    expect(fake.reads()).toBe(2);
  });

  it('while deaf to other processes, lets cached levels and answer versions last staleMs at most', async () => {
    const fake = fakeStore();
    let now = 0;
    const cache = new StockCache(fake.store, { staleMs: 1000, now: () => now });
    cache.setLive(false);
    const first = cache.version('m', 'MUG-01');
    expect(cache.version('m', 'MUG-01')).toBe(first);
    now = 1000;
    expect(cache.version('m', 'MUG-01')).not.toBe(first);
  });
});
