/**
 * POST /v1/inventory/import: a whole catalogue's stock in one request, as CSV (`warehouse,sku,onHand,safetyStock,
 * incoming` with incoming as `quantity@YYYY-MM-DD;…`) or JSON lines (`{warehouse, sku, onHand?, safetyStock?,
 * incoming?}`). The body is read as a stream, line by line; the answer is JSON lines too: progress every 1,000
 * lines, one line per rejected input line, and a summary. Each line replaces the given fields of one level,
 * never `reserved`, so concurrent bookings are never lost.
 *
 * Memory stays bounded whatever the body: at most `maxLineBytes` of a line are kept (the rest of an over-long line
 * is skipped as it arrives), and the body stops being read after `maxBodyBytes`.
 */

import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Value } from 'typebox/value';
import { ApiError } from '../../../../shared/src/errors.ts';
import { InventoryImportLine, InventoryUpdate } from '../../../../shared/src/inventory.ts';
import { callerOf } from '../../plugins/auth.ts';
import { dayFromIso } from '../../promise/local-date.ts';
import { documented, ImportBody, JsonLines } from '../documented.ts';
import {
  acceptImportBodies,
  type BodyLine,
  csvCells,
  csvHeader,
  forEachBodyLine,
  IMPORT_LIMITS,
  type InventoryImportOptions,
  importFormat,
  jsonLinesAnswer,
  MAX_ERROR_LINES,
} from '../import-body.ts';

const MAX_LINES = 1_000_000;
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
    const cells = csvCells(text);
    if (cells === null) return { ok: false, code: 'invalid_csv', message: 'not a CSV line (an unclosed quote?)' };
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

export async function inventoryImportRoutes(
  instance: FastifyInstance,
  options: InventoryImportOptions = {},
): Promise<void> {
  // Typed from the route schemas: params, query and body as validated, replies as their schema says.
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const maxBodyBytes = options.maxBodyBytes ?? IMPORT_LIMITS.maxBodyBytes;
  const maxLineBytes = options.maxLineBytes ?? IMPORT_LIMITS.maxLineBytes;

  acceptImportBodies(app, maxBodyBytes);

  app.post(
    '/v1/inventory/import',
    {
      onRequest: app.requireSecretKey,
      config: documented({ body: ImportBody('warehouse,sku,onHand,safetyStock,incoming') }),
      schema: {
        summary: 'Bulk stock import (CSV or JSON lines), answered as JSON lines with progress and per-line errors',
        tags: ['inventory'],
        security: [{ secretKey: [] }],
        consumes: ['text/csv', 'application/x-ndjson'],
        response: {
          200: JsonLines(InventoryImportLine, 'progress every 1,000 lines, an error per refused line, a summary'),
          '4xx': ApiError,
        },
      },
    },
    async (request, reply) => {
      const runtime = callerOf(request).merchant;
      const { merchant } = runtime;
      const format = importFormat(request);
      const { write, end } = jsonLinesAnswer(reply);

      const counts = { processed: 0, applied: 0, failed: 0 };
      let header: string[] | null = null;
      let lineNumber = 0;

      /** Imports one line; false when the import must stop there. */
      const importLine = async (line: BodyLine): Promise<boolean> => {
        lineNumber++;
        if (!line.tooLong && line.text.trim() === '') return true;
        if (format === 'csv' && header === null && !line.tooLong) {
          header = csvHeader(line.text) ?? [];
          return true;
        }
        counts.processed++;
        const fail = (code: string, message: string) => {
          counts.failed++;
          // The answer is buffered while the client is still sending (many send the whole body before reading),
          // so the error lines it carries are capped; the summary still counts every failure.
          if (counts.failed <= MAX_ERROR_LINES) write({ type: 'error', line: lineNumber, code, message });
          else if (counts.failed === MAX_ERROR_LINES + 1)
            write({
              type: 'error',
              code: 'too_many_errors',
              message: `only the first ${MAX_ERROR_LINES} errors are listed`,
            });
        };
        if (counts.processed > MAX_LINES) {
          fail('too_many_lines', `at most ${MAX_LINES} lines per import`);
          return false;
        }
        if (line.tooLong) {
          fail('line_too_long', `at most ${maxLineBytes} bytes per line`);
          // Without its header no CSV line can be read.
          if (format === 'csv' && header === null) return false;
        } else {
          const parsed = parseLine(line.text, format, header);
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
        return true;
      };

      const body = request.body as Readable;
      const stopped = () =>
        write({
          type: 'summary',
          ...counts,
          aborted: true,
          message: 'The import stopped; lines before this point were applied.',
        });
      try {
        const ended = await forEachBodyLine(body, { maxBodyBytes, maxLineBytes }, importLine);
        if (ended === 'too_large') {
          // Lines before the limit may be applied by now, so a 413 would hide them: the answer stays this stream
          // and says where the import stopped. (A Content-Length above the limit got a 413 before any line.)
          write({
            type: 'error',
            code: 'payload_too_large',
            message: `at most ${maxBodyBytes} bytes per import; the lines after that were not read`,
          });
          stopped();
        } else {
          write({ type: 'summary', ...counts });
        }
      } catch (error) {
        request.log.error({ err: error }, 'inventory import failed');
        stopped();
      }
      // Whatever was not read is discarded as it arrives (as Fastify does past its own body limit), so that the
      // client, still sending, reads the whole answer; the server's request timeout bounds a body that never ends.
      if (!body.readableEnded) body.resume();
      end();
      return reply;
    },
  );
}
