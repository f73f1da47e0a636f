import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { LISTENER_NAME } from '../../api/src/store/postgres/postgres-store.ts';
import { insertObservations } from '../../api/src/store/postgres/transit-history.ts';
import { MONDAY_MORNING, testApp } from '../fixtures/app.ts';
import { eventually } from '../fixtures/eventually.ts';
import { postgresAvailable, postgresStore, TEST_DATABASE_URL, testPostgresStore } from '../fixtures/postgres.ts';
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

  it("makes a merchant's transit ids visible in order, so a reader following by id never passes one still uncommitted", async () => {
    const store = await postgresStore();
    await store.migrate();
    const slow = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await slow.connect();
    const delivery = (postalCode: string) => ({
      service: 'home',
      warehouse: 'paris',
      country: 'FR',
      postalCode,
      dispatchedAt: Date.parse('2026-11-02T10:00:00Z'),
      deliveredAt: Date.parse('2026-11-04T10:00:00Z'),
    });
    try {
      await slow.query(`SET search_path TO "${store.schemaName}"`);
      await slow.query('BEGIN');
      await insertObservations(slow, 'm', [delivery('75001')], 'tracking'); // takes the first id, not committed
      const fast = store.addTransitObservations('m', [delivery('75002')], 'import');
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Without the lock the second writer would have committed the later id, and a reader would pass the first.
      expect(await store.transitObservationsAfter('m', 0, 10)).toEqual([]);
      await slow.query('COMMIT');
      expect(await fast).toBe(1);
      const seen = await store.transitObservationsAfter('m', 0, 10);
      expect(seen.map((o) => o.postalCode)).toEqual(['75001', '75002']);
      expect((seen[0]?.id ?? 0) < (seen[1]?.id ?? 0)).toBe(true);
    } finally {
      await slow.end();
      await store.dropSchema();
      await store.close();
    }
  });

  it('keeps stock fresh when the listening connection dies: caches expire within a second, and it reconnects after failed tries', async () => {
    const application = `${LISTENER_NAME}-${randomBytes(4).toString('hex')}`;
    let attempts = 0;
    // The listening connections: the 2nd and 3rd go to a port nobody listens on, so the first reconnects fail.
    const listenerClient = () => {
      attempts++;
      const url = attempts === 2 || attempts === 3 ? TEST_DATABASE_URL.replace(/:\d+\//, ':1/') : TEST_DATABASE_URL;
      return new pg.Client({ connectionString: url, application_name: application });
    };
    const store = testPostgresStore(`promesse_test_${randomBytes(6).toString('hex')}`, listenerClient);
    const app = await testApp({ store, now: MONDAY_MORNING });
    const other = await postgresStore(store.schemaName);
    const onHand = async () => (await app.stock.levels('test', ['MUG-01']))[0]?.onHand;
    try {
      expect(await onHand()).toBe(40);
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
        application,
      ]);
      await admin.end();
      await eventually('the cache to learn it is deaf', async () => !app.stock.live);
      expect(await onHand()).toBe(40); // cached again, and deaf to other processes for now
      await other.updateInventory('test', 'paris', 'MUG-01', { onHand: 7 });
      await eventually('the change seen within the staleness bound', async () => (await onHand()) === 7);
      await eventually('the listener back after two failed tries', async () => app.stock.live);
      expect(attempts).toBe(4);
      expect(await onHand()).toBe(7);
      await other.updateInventory('test', 'paris', 'MUG-01', { onHand: 9 });
      await eventually('the notification heard again', async () => (await onHand()) === 9);
    } finally {
      await app.close();
      await other.close();
    }
  });
});
