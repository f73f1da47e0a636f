import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { baseConfig } from '../../../test/fixtures/merchant.ts';
import { sqliteStore } from '../store/sqlite/sqlite-store.ts';

const ROOT = join(import.meta.dirname, '../../..');

describe('promesse history import', () => {
  it('keeps the good lines in the store once, lists the bad ones, and counts duplicates on a second run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promesse-history-'));
    writeFileSync(join(dir, 'merchant.json'), JSON.stringify(baseConfig()));
    writeFileSync(
      join(dir, 'history.csv'),
      [
        'service,warehouse,country,postalCode,dispatchedAt,deliveredAt',
        'colissimo-home,paris,FR,75011,2026-11-02T15:00:00Z,2026-11-04T10:00:00Z',
        'colissimo-home,lyon,FR,75011,2026-11-02T15:00:00Z,2026-11-04T10:00:00Z',
        'colissimo-home,paris,FR,13001,2026-11-03T15:00:00Z,2026-11-05T10:00:00Z',
      ].join('\n'),
    );
    // The embedded store in the test's folder, whatever the machine's DATABASE_URL says.
    const { DATABASE_URL: _ignored, ...machine } = process.env;
    const env = { ...machine, PROMESSE_CONFIG: join(dir, 'merchant.json'), PROMESSE_DATA_DIR: dir };
    const run = () =>
      promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'api/src/cli.ts', 'history', 'import', join(dir, 'history.csv')],
        {
          cwd: ROOT,
          env,
        },
      );
    const first = await run();
    expect(JSON.parse(first.stdout)).toEqual({ processed: 3, imported: 2, duplicates: 0, failed: 1 });
    expect(first.stderr).toContain('line 3: warehouse: unknown_warehouse');
    const second = await run();
    expect(JSON.parse(second.stdout)).toEqual({ processed: 3, imported: 0, duplicates: 2, failed: 1 });

    const store = sqliteStore({ dataDir: dir });
    await store.migrate();
    expect((await store.transitObservationsAfter('test', 0, 10)).map((o) => o.postalCode)).toEqual(['75011', '13001']);
    await store.close();
  });
});
