/**
 * POST /v1/inventory/import: a whole catalogue's stock in one request, as CSV (`warehouse,sku,onHand,safetyStock,
 * incoming` with incoming as `quantity@YYYY-MM-DD;…`) or JSON lines (`{warehouse, sku, onHand?, safetyStock?,
 * incoming?}`). The body is read as a stream, line by line; the answer is JSON lines too: progress every 1,000
 * lines, one line per rejected input line, and a summary. Each line replaces the given fields of one level,
 * never `reserved`, so concurrent bookings are never lost.
 */

import { createInterface } from 'node:readline';
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Value } from 'typebox/value';
import { InventoryUpdate } from '../../../../shared/src/inventory.ts';
import { HttpError } from '../../http-error.ts';
import { callerOf } from '../../plugins/auth.ts';
import { dayFromIso } from '../../promise/local-date.ts';

const MAX_LINES = 1_000_000;
const MAX_LINE_LENGTH = 10_000;
const PROGRESS_EVERY = 1000;

interface ImportLine {
  warehouse: string;
  sku: string;
  update: InventoryUpdate;
}

type Parsed = { ok: true; line: ImportLine } | { ok: false; code: string; message: string };

function parseCsvIncoming(text: string): InventoryUpdate['incoming'] | null {
  if (text.trim() === '') return [];
  const entries = text.split(';').map((part) => {
    const [quantity, expectedAt] = part.trim().split('@');
    return { quantity: Number(quantity), expectedAt: expectedAt ?? '' };
  });
  return entries;
}

function parseLine(text: string, format: 'csv' | 'ndjson', header: string[] | null): Parsed {
  let raw: Record<string, unknown>;
  if (format === 'ndjson') {
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { ok: false, code: 'invalid_json', message: 'not a JSON object' };
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      return { ok: false, code: 'invalid_json', message: 'not a JSON object' };
  } else {
    const cells = text.split(',').map((cell) => cell.trim());
    raw = {};
    (header ?? []).forEach((name, index) => {
      const cell = cells[index];
      if (cell === undefined || cell === '') return;
      raw[name] =
        name === 'incoming' ? parseCsvIncoming(cell) : name === 'warehouse' || name === 'sku' ? cell : Number(cell);
    });
  }
  const { warehouse, sku, ...fields } = raw;
  if (typeof warehouse !== 'string' || typeof sku !== 'string') {
    return { ok: false, code: 'required', message: 'warehouse and sku are required' };
  }
  if (!Value.Check(InventoryUpdate, fields)) {
    const first = [...Value.Errors(InventoryUpdate, fields)][0];
    return {
      ok: false,
      code: 'invalid_value',
      message: `${first?.instancePath || 'line'} ${first?.message ?? 'is invalid'}`,
    };
  }
  const update = fields as InventoryUpdate;
  if ((update.incoming ?? []).some((entry) => dayFromIso(entry.expectedAt) === null)) {
    return { ok: false, code: 'invalid_date', message: 'incoming expectedAt must be YYYY-MM-DD' };
  }
  return { ok: true, line: { warehouse, sku, update } };
}

export async function inventoryImportRoutes(app: FastifyInstance): Promise<void> {
  // Encapsulated: only this route reads CSV and JSON lines, as a stream.
  app.addContentTypeParser(['text/csv', 'application/x-ndjson'], (_request, payload, done) => done(null, payload));

  app.post(
    '/v1/inventory/import',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'Bulk stock import (CSV or JSON lines), answered as JSON lines with progress and per-line errors',
        tags: ['inventory'],
        security: [{ secretKey: [] }],
        consumes: ['text/csv', 'application/x-ndjson'],
      },
    },
    async (request, reply) => {
      const runtime = callerOf(request).merchant;
      const { merchant } = runtime;
      const type = String(request.headers['content-type'] ?? '');
      if (!type.startsWith('text/csv') && !type.startsWith('application/x-ndjson')) {
        throw new HttpError(415, 'unsupported_media_type', 'Send text/csv or application/x-ndjson.');
      }
      const format = type.startsWith('text/csv') ? 'csv' : 'ndjson';
      const output = new PassThrough();
      const write = (line: object) => output.write(`${JSON.stringify(line)}\n`);
      reply.type('application/x-ndjson; charset=utf-8').send(output);

      const counts = { processed: 0, applied: 0, failed: 0 };
      let header: string[] | null = null;
      let lineNumber = 0;
      const lines = createInterface({ input: request.body as Readable, crlfDelay: Number.POSITIVE_INFINITY });
      try {
        for await (const text of lines) {
          lineNumber++;
          if (text.trim() === '') continue;
          if (format === 'csv' && header === null) {
            header = text.split(',').map((name) => name.trim());
            continue;
          }
          counts.processed++;
          const fail = (code: string, message: string) => {
            counts.failed++;
            write({ type: 'error', line: lineNumber, code, message });
          };
          if (counts.processed > MAX_LINES) {
            fail('too_many_lines', `at most ${MAX_LINES} lines per import`);
            break;
          }
          if (text.length > MAX_LINE_LENGTH) fail('line_too_long', `at most ${MAX_LINE_LENGTH} characters`);
          else {
            const parsed = parseLine(text, format, header);
            if (!parsed.ok) fail(parsed.code, parsed.message);
            else if (!merchant.warehouseById.has(parsed.line.warehouse))
              fail('unknown_warehouse', `no warehouse "${parsed.line.warehouse}"`);
            else if (!merchant.products.has(parsed.line.sku)) fail('unknown_sku', `no product "${parsed.line.sku}"`);
            else if (merchant.products.get(parsed.line.sku)?.isBundle)
              fail('bundle_has_no_stock', 'bundles are stocked through their components');
            else {
              await app.store.updateInventory(
                merchant.id,
                parsed.line.warehouse,
                parsed.line.sku,
                parsed.line.update,
                'import',
              );
              app.stock.invalidate(merchant.id, parsed.line.sku);
              counts.applied++;
            }
          }
          if (counts.processed % PROGRESS_EVERY === 0) write({ type: 'progress', ...counts });
        }
        write({ type: 'summary', ...counts });
      } catch (error) {
        request.log.error({ err: error }, 'inventory import failed');
        write({
          type: 'summary',
          ...counts,
          aborted: true,
          message: 'The import stopped; lines before this point were applied.',
        });
      }
      output.end();
      return reply;
    },
  );
}
