/**
 * What every store adapter must do, as one suite. Each adapter's test file calls it with a factory that gives a
 * fresh, empty store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../api/src/store/store.ts';

const level = (sku: string, onHand: number, warehouse = 'paris') => ({
  warehouse,
  sku,
  onHand,
  reserved: 0,
  safetyStock: 0,
  incoming: [] as { quantity: number; expectedAt: string }[],
});

export function describeStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`${name} store contract`, () => {
    let store: Store;
    const open = async () => {
      store = await makeStore();
      await store.migrate();
      return store;
    };
    afterEach(async () => store?.close());

    it('migrates twice without harm', async () => {
      await open();
      await store.migrate();
      expect(await store.inventoryLevels('m', ['A'])).toEqual([]);
    });

    it('seeds only the levels it does not have yet', async () => {
      await open();
      expect(await store.seedInventory('m', [level('A', 5), level('B', 2)])).toBe(2);
      await store.updateInventory('m', 'paris', 'A', { onHand: 9 });
      expect(await store.seedInventory('m', [level('A', 5), level('C', 1)])).toBe(1);
      const levels = await store.inventoryLevels('m', ['A', 'B', 'C']);
      expect(levels.map((l) => [l.sku, l.onHand])).toEqual([
        ['A', 9],
        ['B', 2],
        ['C', 1],
      ]);
    });

    it('keeps every merchant to its own levels', async () => {
      await open();
      await store.seedInventory('m1', [level('A', 5)]);
      await store.seedInventory('m2', [level('A', 8)]);
      await store.updateInventory('m2', 'paris', 'A', { onHand: 0 });
      expect((await store.inventoryLevels('m1', ['A']))[0]?.onHand).toBe(5);
      expect((await store.inventoryLevels('m2', ['A']))[0]?.onHand).toBe(0);
    });

    it('replaces given fields, keeps the others and creates a missing level at zero', async () => {
      await open();
      const incoming = [{ quantity: 4, expectedAt: '2026-12-02' }];
      expect(await store.updateInventory('m', 'lyon', 'A', { safetyStock: 2, incoming })).toEqual({
        warehouse: 'lyon',
        sku: 'A',
        onHand: 0,
        reserved: 0,
        safetyStock: 2,
        incoming,
      });
      expect(await store.updateInventory('m', 'lyon', 'A', { onHand: 10 })).toMatchObject({
        onHand: 10,
        safetyStock: 2,
        incoming,
      });
      expect(await store.updateInventory('m', 'lyon', 'A', { incoming: [] })).toMatchObject({
        onHand: 10,
        incoming: [],
      });
    });

    it('returns levels of the asked skus in every warehouse, sku by sku', async () => {
      await open();
      await store.seedInventory('m', [
        level('B', 1, 'lyon'),
        level('A', 2, 'paris'),
        level('A', 3, 'lyon'),
        level('C', 4),
      ]);
      const levels = await store.inventoryLevels('m', ['A', 'B']);
      expect(levels.map((l) => `${l.sku}@${l.warehouse}`)).toEqual(['A@lyon', 'A@paris', 'B@lyon']);
    });

    it('generates a service secret once and returns the same one afterwards', async () => {
      await open();
      const first = await store.serviceSecret('promise-token');
      expect(first).toMatch(/^[\w-]{40,}$/);
      expect(await store.serviceSecret('promise-token')).toBe(first);
      expect(await store.serviceSecret('other')).not.toBe(first);
    });
  });
}
