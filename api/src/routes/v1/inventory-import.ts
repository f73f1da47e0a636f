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
import { PassThrough } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Value } from 'typebox/value';
import { InventoryUpdate } from '../../../../shared/src/inventory.ts';
import { HttpError } from '../../http-error.ts';
import { callerOf } from '../../plugins/auth.ts';
import { dayFromIso } from '../../promise/local-date.ts';

export interface InventoryImportOptions {
  /** the most bytes an import body may have; 50 MiB by default */
  maxBodyBytes?: number;
  /** the most bytes a line may have, line break excluded; 10,000 by default */
  maxLineBytes?: number;
}

export const IMPORT_LIMITS = { maxBodyBytes: 50 * 1024 * 1024, maxLineBytes: 10_000 } as const;

const MAX_LINES = 1_000_000;
const PROGRESS_EVERY = 1000;
/** Error lines listed per import (about 1.5 MB of answer); past that only the summary counts them. */
export const MAX_ERROR_LINES = 10_000;
const LF = 0x0a;
const CR = 0x0d;

/** An import body's format from its Content-Type: CSV or JSON lines, else 415. */
export function importFormat(request: FastifyRequest): 'csv' | 'ndjson' {
  const type = String(request.headers['content-type'] ?? '');
  if (type.startsWith('text/csv')) return 'csv';
  if (type.startsWith('application/x-ndjson')) return 'ndjson';
  throw new HttpError(415, 'unsupported_media_type', 'Send text/csv or application/x-ndjson.');
}

/** Starts a streamed JSON-lines answer: `write` sends one line, `end` closes it. */
export function jsonLinesAnswer(reply: FastifyReply): { write: (line: object) => void; end: () => void } {
  const output = new PassThrough();
  reply.type('application/x-ndjson; charset=utf-8').send(output);
  return { write: (line) => output.write(`${JSON.stringify(line)}\n`), end: () => output.end() };
}

/**
 * Lets a plugin's routes read CSV and JSON lines bodies as streams. Encapsulated: only the import routes get it.
 * A body announced as too large is refused before a byte of it is read (Fastify then closes the connection
 * rather than read the rest).
 */
export function acceptImportBodies(app: FastifyInstance, maxBodyBytes: number): void {
  app.addContentTypeParser(['text/csv', 'application/x-ndjson'], (request, payload, done) => {
    if (Number(request.headers['content-length']) > maxBodyBytes) {
      done(new HttpError(413, 'payload_too_large', `An import is at most ${maxBodyBytes} bytes; split it.`));
    } else done(null, payload);
  });
}

/**
 * Reads an import body line by line within the limits, handing each line to `onLine` (false stops the reading).
 * Says how it ended: every line read, stopped by `onLine`, or cut at `maxBodyBytes`.
 */
export async function forEachBodyLine(
  body: Readable,
  limits: { maxBodyBytes: number; maxLineBytes: number },
  onLine: (line: BodyLine) => Promise<boolean>,
): Promise<'done' | 'stopped' | 'too_large'> {
  const lines = new LineSplitter(limits.maxLineBytes);
  let received = 0;
  // Not destroyed on an early stop: destroying the request would close the socket before the answer is sent.
  for await (const chunk of body.iterator({ destroyOnReturn: false })) {
    const bytes: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    received += bytes.length;
    const over = received - limits.maxBodyBytes;
    for (const line of lines.push(over > 0 ? bytes.subarray(0, bytes.length - over) : bytes)) {
      if (!(await onLine(line))) return 'stopped';
    }
    if (over > 0) return 'too_large';
  }
  for (const line of lines.end()) if (!(await onLine(line))) return 'stopped';
  return 'done';
}

/** A line of the body: its text, or only the fact that it passed the limit (its bytes were never kept). */
export type BodyLine = { tooLong: false; text: string } | { tooLong: true };

/**
 * Splits a byte stream into lines at `\n`, `\r\n` or a lone `\r` (as readline did), keeping at most
 * `maxLineBytes` of the current line: an over-long line's bytes are dropped as they arrive, up to its line break,
 * and it comes out as `tooLong`. A line is decoded only once whole, so a UTF-8 character split across chunks
 * decodes as one (line breaks are ASCII bytes, never inside a multi-byte character).
 * @example const lines = new LineSplitter(10_000); lines.push(Buffer.from('a\nb')); // [{ text: 'a' }], then end()
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  #parts: Buffer[] = [];
  #pending = 0;
  #tooLong = false;
  /** the last chunk ended with `\r`: a `\n` starting the next one belongs to that break */
  #afterCr = false;

  constructor(maxLineBytes: number) {
    this.#maxLineBytes = maxLineBytes;
  }

  /** The bytes kept of the unfinished line: never more than `maxLineBytes`. */
  get pendingBytes(): number {
    return this.#pending;
  }

  /** The lines that `chunk` completes. */
  push(chunk: Buffer): BodyLine[] {
    const lines: BodyLine[] = [];
    let start = this.#afterCr && chunk[0] === LF ? 1 : 0;
    this.#afterCr = false;
    // Each break byte is searched for once per chunk, not once per line.
    let lf = chunk.indexOf(LF, start);
    let cr = chunk.indexOf(CR, start);
    while (lf !== -1 || cr !== -1) {
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      this.#keep(chunk.subarray(start, end));
      lines.push(this.#take());
      start = end + 1;
      if (end === cr) {
        if (start === chunk.length) this.#afterCr = true;
        else if (chunk[start] === LF) start++;
      }
      if (lf !== -1 && lf < start) lf = chunk.indexOf(LF, start);
      if (cr !== -1 && cr < start) cr = chunk.indexOf(CR, start);
    }
    // The unfinished line is copied: a view would keep the whole chunk alive.
    if (start < chunk.length) this.#keep(Buffer.from(chunk.subarray(start)));
    return lines;
  }

  /** The last line, when the body does not end with a line break. */
  end(): BodyLine[] {
    return this.#pending > 0 || this.#tooLong ? [this.#take()] : [];
  }

  #keep(bytes: Buffer): void {
    if (this.#tooLong || bytes.length === 0) return;
    if (this.#pending + bytes.length > this.#maxLineBytes) {
      this.#tooLong = true;
      this.#parts = [];
      this.#pending = 0;
      return;
    }
    this.#parts.push(bytes);
    this.#pending += bytes.length;
  }

  #take(): BodyLine {
    const line: BodyLine = this.#tooLong
      ? { tooLong: true }
      : { tooLong: false, text: Buffer.concat(this.#parts, this.#pending).toString('utf8') };
    this.#parts = [];
    this.#pending = 0;
    this.#tooLong = false;
    return line;
  }
}

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
          header = line.text.split(',').map((name) => name.trim());
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
