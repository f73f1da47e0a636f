import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { baseConfig } from '../../../test/fixtures/merchant.ts';
import { syntheticHistory } from '../../../test/fixtures/transit-truth.ts';
import { dayFromIso } from '../promise/local-date.ts';
import { compileMerchant } from '../promise/merchant.ts';
import type { TransitObservation } from '../promise/transit.ts';
import { backtest, backtestFile } from './backtest.ts';
import { type HistoryLine, readHistory } from './read-history.ts';

const HEADER = 'service,warehouse,country,postalCode,dispatchedAt,deliveredAt';
const config = baseConfig();
const merchant = compileMerchant(config);
const day = (iso: string) => dayFromIso(iso) as number;
const history = syntheticHistory(merchant, day('2025-01-01'), day('2026-03-01'), 3);

async function lines(body: string, format: 'csv' | 'jsonl'): Promise<HistoryLine[]> {
  const read: HistoryLine[] = [];
  for await (const line of readHistory(Readable.from([Buffer.from(body)]), format)) read.push(line);
  return read;
}

describe('readHistory', () => {
  it('reads CSV with quoted fields and CRLF line ends, numbering lines as a spreadsheet does', async () => {
    const body = `${HEADER}\r\ncolissimo-home,paris,fr,"75 011",2026-11-23T16:00:00+01:00,2026-11-24T12:00:00Z\r\n`;
    expect(await lines(body, 'csv')).toEqual([
      {
        line: 2,
        observation: {
          service: 'colissimo-home',
          warehouse: 'paris',
          country: 'FR',
          postalCode: '75 011',
          dispatchedAt: Date.parse('2026-11-23T15:00:00Z'),
          deliveredAt: Date.parse('2026-11-24T12:00:00Z'),
        },
      },
    ]);
  });

  it('lists every problem of a line with its field and code, and keeps the good lines', async () => {
    const body = [
      HEADER,
      'colissimo-home,paris,FR,75011,yesterday,2026-11-24T12:00:00Z',
      ',paris,FRA,75011,2026-11-25T12:00:00Z,2026-11-24T12:00:00Z',
      'colissimo-home,paris,FR,75011,2026-11-23T12:00:00Z,2026-11-24T12:00:00Z',
    ].join('\n');
    const read = await lines(body, 'csv');
    expect(read.map((l) => ('problems' in l ? l.problems : 'ok'))).toEqual([
      [{ line: 2, field: 'dispatchedAt', code: 'invalid_instant' }],
      [
        { line: 3, field: 'service', code: 'required' },
        { line: 3, field: 'country', code: 'invalid_country' },
        { line: 3, field: 'deliveredAt', code: 'before_dispatch' },
      ],
      'ok',
    ]);
  });

  it('reads JSON lines, refusing a line that is not a JSON object', async () => {
    const good = JSON.stringify({
      service: 'colissimo-home',
      warehouse: 'paris',
      country: 'FR',
      postalCode: '75011',
      dispatchedAt: '2026-11-23T12:00:00Z',
      deliveredAt: '2026-11-24T12:00:00Z',
    });
    const read = await lines(`${good}\n[1]\n{oops\n\n${good}\n`, 'jsonl');
    expect(read.map((l) => ('problems' in l ? `${l.line}:${l.problems[0]?.code}` : `${l.line}:ok`))).toEqual([
      '1:ok',
      '2:invalid_json',
      '3:invalid_json',
      '5:ok',
    ]);
  });
});

describe('backtest', () => {
  it('learns before the split and meets the target on the deliveries after it', () => {
    const result = backtest(
      merchant,
      history.map((d) => d.observation),
      day('2026-01-01'),
    );
    expect(result.train + result.test).toBe(history.length);
    expect(result.test).toBeGreaterThan(300);
    expect(result.onTimeRate).toBeGreaterThanOrEqual(0.95);
    expect(result.withinRangeRate).toBeLessThanOrEqual(result.onTimeRate);
    expect(result.meanLatestDays).toBeGreaterThan(1);
  });

  it('promises from the configured transit when the history is too thin, so the same parcels are late', () => {
    const thin = backtest(
      merchant,
      history.filter((d, i) => d.dispatch >= day('2026-01-01') || i % 100 === 0).map((d) => d.observation),
      day('2026-01-01'),
    );
    // The configured 1–2 days promise every parcel far too early for lanes that take 2–6.
    expect(thin.meanLatestDays).toBe(2);
    expect(thin.onTimeRate).toBeLessThan(0.7);
  });

  it('leaves out lines with an unknown service or warehouse, and counts them', async () => {
    const rows = history.slice(0, 50).map((d) => ({ line: 1, observation: d.observation }));
    const first = history[0]?.observation as TransitObservation;
    const unknown = { line: 2, observation: { ...first, warehouse: 'lyon' } };
    const bad: HistoryLine = { line: 3, problems: [{ line: 3, field: 'country', code: 'required' }] };
    async function* all() {
      yield* [...rows, unknown, bad];
    }
    const { result, problems, refused } = await backtestFile(merchant, all(), day('2026-01-01'));
    expect(result.train).toBe(50);
    expect(refused).toBe(1);
    expect(problems).toEqual(bad.problems);
  });
});

describe('promesse backtest', () => {
  it('prints one JSON line with the contract fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promesse-backtest-'));
    writeFileSync(join(dir, 'merchant.json'), JSON.stringify(config));
    const csv = history.map(({ observation: o }) =>
      [
        o.service,
        o.warehouse,
        o.country,
        o.postalCode,
        new Date(o.dispatchedAt).toISOString(),
        new Date(o.deliveredAt).toISOString(),
      ].join(','),
    );
    writeFileSync(join(dir, 'history.csv'), [HEADER, ...csv, 'broken,line'].join('\n'));
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'api/src/cli.ts',
        'backtest',
        '--config',
        join(dir, 'merchant.json'),
        '--history',
        join(dir, 'history.csv'),
        '--split',
        '2026-01-01',
      ],
      { cwd: join(import.meta.dirname, '../../..') },
    );
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(Object.keys(JSON.parse(lines[0] as string))).toEqual([
      'train',
      'test',
      'onTimeRate',
      'withinRangeRate',
      'meanRangeDays',
      'meanLatestDays',
    ]);
    expect(stderr).toContain(`line ${history.length + 2}:`);
    expect(stderr).toContain('1 line(s) left out');
  });
});
