import { describe, expect, it } from 'vitest';
import { postgresAvailable, postgresStore } from '../fixtures/postgres.ts';
import { describeStoreContract } from './store-contract.ts';

const available = await postgresAvailable();

describe.runIf(available)('PostgreSQL', () => {
  describeStoreContract('PostgreSQL', postgresStore);

  it('tells other processes about stock changes (LISTEN/NOTIFY)', async () => {
    const writer = await postgresStore();
    await writer.migrate();
    const schema = writer.schemaName;
    const reader = await postgresStore(schema);
    const heard: string[] = [];
    const stop = await reader.onStockChange((merchant, sku) => heard.push(`${merchant}|${sku}`));
    await writer.updateInventory('m', 'paris', 'A', { onHand: 2 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).toContain('m|A');
    await stop();
    await reader.close();
    await writer.dropSchema();
    await writer.close();
  });
});
