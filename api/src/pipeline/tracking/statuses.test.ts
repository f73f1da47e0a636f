import { describe, expect, it } from 'vitest';
import { EVENT_CODE_TABLES } from '../../../../shared/src/config.ts';
import { KARRIO_STATUSES } from './codes/karrio.ts';
import { SANDBOX_CODES } from './codes/sandbox.ts';
import { CODE_TABLES, readCode, TRACKING_STATUSES } from './statuses.ts';

describe('tracking code tables', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
    'maps no status to a code named %s',
    (code) => {
      expect(SANDBOX_CODES[code]).toBeUndefined();
      for (const table of EVENT_CODE_TABLES) expect(readCode(table, code)).toBeUndefined();
    },
  );

  it('has a table for every name a config may give, each mapping only onto our statuses', () => {
    for (const table of EVENT_CODE_TABLES) {
      expect(Object.keys(CODE_TABLES[table]).length).toBeGreaterThan(0);
      for (const status of Object.values(CODE_TABLES[table])) {
        if (status !== null) expect(TRACKING_STATUSES).toContain(status);
      }
    }
  });

  it('still maps the sandbox codes through their table', () => {
    expect(readCode('sandbox', 'DLV')).toBe('delivered');
    expect(readCode('sandbox', 'NOPE')).toBeUndefined();
  });
});

// Karrio's eleven tracker statuses (TrackerDetails.status in ../shared/peers/karrio/openapi.yml), one test each.
describe("Karrio's tracker statuses", () => {
  it.each([
    ['pending', null],
    ['unknown', null],
    ['on_hold', 'exception'],
    ['cancelled', 'cancelled'],
    ['delivered', 'delivered'],
    ['in_transit', 'in_transit'],
    ['delivery_delayed', 'in_transit'],
    ['out_for_delivery', 'out_for_delivery'],
    ['ready_for_pickup', 'available_for_pickup'],
    ['delivery_failed', 'failed_attempt'],
    ['return_to_sender', 'returned_to_sender'],
  ] as const)('reads %s as %s', (karrio, ours) => {
    expect(readCode('karrio', karrio)).toBe(ours);
  });

  it("reads picked_up, which Karrio's server sends though the document does not list it", () => {
    expect(readCode('karrio', 'picked_up')).toBe('picked_up');
  });

  it('has every status the published document lists, and only picked_up besides', async () => {
    const { readFile } = await import('node:fs/promises');
    const { parse } = await import('yaml');
    const document = parse(
      await readFile(new URL('../../../../../shared/peers/karrio/openapi.yml', import.meta.url), 'utf8'),
    );
    const listed = document.components.schemas.TrackerDetails.properties.status.enum.filter((s: unknown) => s !== null);
    expect(Object.keys(KARRIO_STATUSES).sort()).toEqual([...listed, 'picked_up'].sort());
  });
});
