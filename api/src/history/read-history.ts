/**
 * Reads transit history (CONTRACT §6): CSV with the header `service,warehouse,country,postalCode,dispatchedAt,
 * deliveredAt`, or JSON lines with those fields. Each line becomes an observation or the problems that keep it
 * out, as `{line, field, code}`; a bad line never stops the others.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { CONFIG_ID_PATTERN } from '../../../shared/src/primitives.ts';
import { parseInstant } from '../promise/instant.ts';
import type { Merchant } from '../promise/merchant.ts';
import type { TransitObservation } from '../promise/transit.ts';

export const HISTORY_FIELDS = ['service', 'warehouse', 'country', 'postalCode', 'dispatchedAt', 'deliveredAt'] as const;

export interface HistoryProblem {
  line: number;
  field: string;
  code: string;
}

export type HistoryLine =
  | { line: number; observation: TransitObservation }
  | { line: number; problems: HistoryProblem[] };

const ID = new RegExp(CONFIG_ID_PATTERN);
const POSTAL = /^[A-Za-z0-9][A-Za-z0-9 -]{0,15}$/;
const COUNTRY = /^[A-Za-z]{2}$/;

/** One record's fields → an observation, or every problem it has (line numbers count the header as line 1). */
export function parseObservation(record: Record<string, unknown>, line: number): HistoryLine {
  const problems: HistoryProblem[] = [];
  const text = (field: string): string => {
    const value = record[field];
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push({ line, field, code: 'required' });
      return '';
    }
    return value.trim();
  };
  const service = text('service');
  const warehouse = text('warehouse');
  const country = text('country');
  const postalCode = text('postalCode');
  const dispatched = text('dispatchedAt');
  const delivered = text('deliveredAt');
  const check = (field: string, value: string, ok: boolean, code: string) => {
    if (value !== '' && !ok) problems.push({ line, field, code });
  };
  check('service', service, ID.test(service), 'invalid_id');
  check('warehouse', warehouse, ID.test(warehouse), 'invalid_id');
  check('country', country, COUNTRY.test(country), 'invalid_country');
  check('postalCode', postalCode, POSTAL.test(postalCode), 'invalid_postal_code');
  const dispatchedAt = dispatched === '' ? null : parseInstant(dispatched);
  const deliveredAt = delivered === '' ? null : parseInstant(delivered);
  check('dispatchedAt', dispatched, dispatchedAt !== null, 'invalid_instant');
  check('deliveredAt', delivered, deliveredAt !== null, 'invalid_instant');
  if (dispatchedAt !== null && deliveredAt !== null && deliveredAt < dispatchedAt) {
    problems.push({ line, field: 'deliveredAt', code: 'before_dispatch' });
  }
  if (problems.length > 0 || dispatchedAt === null || deliveredAt === null) return { line, problems };
  return {
    line,
    observation: { service, warehouse, country: country.toUpperCase(), postalCode, dispatchedAt, deliveredAt },
  };
}

/** The problem of an observation whose service or warehouse the merchant does not have, else null. */
export function unknownTo(
  merchant: Pick<Merchant, 'serviceById' | 'warehouseById'>,
  observation: TransitObservation,
): { field: string; code: string } | null {
  if (!merchant.serviceById.has(observation.service)) return { field: 'service', code: 'unknown_service' };
  if (!merchant.warehouseById.has(observation.warehouse)) return { field: 'warehouse', code: 'unknown_warehouse' };
  return null;
}

/**
 * Imports a history file's lines in batches through `keep` (which returns how many were new); every problem goes
 * to `onProblem`. The `promesse history import` command.
 */
export async function importHistory(
  lines: AsyncIterable<HistoryLine>,
  merchant: Pick<Merchant, 'serviceById' | 'warehouseById'>,
  keep: (batch: TransitObservation[]) => Promise<number>,
  onProblem: (problem: HistoryProblem) => void,
): Promise<{ processed: number; imported: number; duplicates: number; failed: number }> {
  const counts = { processed: 0, imported: 0, duplicates: 0, failed: 0 };
  let batch: TransitObservation[] = [];
  const flush = async () => {
    const added = await keep(batch);
    counts.imported += added;
    counts.duplicates += batch.length - added;
    batch = [];
  };
  for await (const line of lines) {
    counts.processed++;
    const problems = 'problems' in line ? line.problems : [];
    const unknown = 'observation' in line ? unknownTo(merchant, line.observation) : null;
    if (unknown) problems.push({ line: line.line, ...unknown });
    if (problems.length > 0) {
      counts.failed++;
      for (const problem of problems) onProblem(problem);
    } else if ('observation' in line) {
      batch.push(line.observation);
      if (batch.length >= 1000) await flush();
    }
  }
  if (batch.length > 0) await flush();
  return counts;
}

/** CSV records as HistoryLines, streamed (csv-parse: quoted fields, embedded commas and CRLF handled). */
async function* csvLines(input: Readable): AsyncGenerator<HistoryLine> {
  const parser = input.pipe(
    parse({ columns: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true, bom: true }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    yield parseObservation(record, info.lines);
  }
}

/** One JSON line → an observation or its problems (`invalid_json` when it is not one JSON object). */
export function parseJsonLine(text: string, line: number): HistoryLine {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    record = null;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { line, problems: [{ line, field: '', code: 'invalid_json' }] };
  }
  return parseObservation(record as Record<string, unknown>, line);
}

async function* jsonLines(input: Readable): AsyncGenerator<HistoryLine> {
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (text.trim() !== '') yield parseJsonLine(text, line);
  }
}

/** Reads a history stream of either format. */
export function readHistory(input: Readable, format: 'csv' | 'jsonl'): AsyncGenerator<HistoryLine> {
  return format === 'csv' ? csvLines(input) : jsonLines(input);
}

/** Reads a history file; `.jsonl`/`.ndjson` are JSON lines, anything else CSV. */
export function readHistoryFile(path: string): AsyncGenerator<HistoryLine> {
  const format = /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : 'csv';
  return readHistory(createReadStream(path), format);
}
