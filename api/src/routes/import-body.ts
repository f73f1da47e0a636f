/**
 * How the imports read their bodies (`POST /v1/inventory/import`, `POST /v1/transit-history/import`): CSV or JSON
 * lines by Content-Type, streamed line by line within a body and a line limit (an over-long line is skipped as it
 * arrives, never kept), CSV cells through csv-parse, and the answer as streamed JSON lines.
 */

import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http-error.ts';

export interface InventoryImportOptions {
  /** the most bytes an import body may have; 50 MiB by default */
  maxBodyBytes?: number;
  /** the most bytes a line may have, line break excluded; 10,000 by default */
  maxLineBytes?: number;
}

export const IMPORT_LIMITS = { maxBodyBytes: 50 * 1024 * 1024, maxLineBytes: 10_000 } as const;

/** Error lines listed per import (about 1.5 MB of answer); past that only the summary counts them. */
export const MAX_ERROR_LINES = 10_000;
const LF = 0x0a;
const CR = 0x0d;

/** One CSV line's cells (csv-parse: quotes, embedded commas); null when it is not valid CSV. */
export function csvCells(text: string): string[] | null {
  try {
    return (parse(text, { relax_column_count: true, trim: true }) as string[][])[0] ?? [];
  } catch {
    return null;
  }
}

/** A CSV header line's column names; a spreadsheet's byte order mark is not part of the first one. */
export function csvHeader(text: string): string[] | null {
  return csvCells(text.replace(/^\uFEFF/, ''));
}

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
