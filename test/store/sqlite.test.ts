import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqliteStore } from '../../api/src/store/sqlite/sqlite-store.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract('SQLite', async () => sqliteStore({ dataDir: ':memory:' }));

describe('SQLite on disk', () => {
  it('keeps levels and the service secret across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'promesse-sqlite-'));
    const first = sqliteStore({ dataDir });
    await first.migrate();
    await first.updateInventory('m', 'paris', 'A', { onHand: 3 });
    const secret = await first.serviceSecret('promise-token');
    await first.close();

    const second = sqliteStore({ dataDir });
    await second.migrate();
    expect((await second.inventoryLevels('m', ['A']))[0]?.onHand).toBe(3);
    expect(await second.serviceSecret('promise-token')).toBe(secret);
    await second.close();
  });
});
