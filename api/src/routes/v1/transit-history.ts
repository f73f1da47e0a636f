/**
 * POST /v1/transit-history/import (CONTRACT §6): past deliveries to learn transit from, as CSV (`service,
 * warehouse,country,postalCode,dispatchedAt,deliveredAt`) or JSON lines with those fields, read as a stream
 * within the import limits. The answer is JSON lines: progress every 1,000 lines, an error per rejected line
 * (`{line, field, code}`), and a summary once every good line is kept and learned, so the next promise uses
 * them. Re-importing the same rows does not count them twice.
 */
import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { TransitImportLine } from '../../../../shared/src/analytics.ts';
import { ApiError } from '../../../../shared/src/errors.ts';
import {
  HISTORY_FIELDS,
  type HistoryLine,
  parseJsonLine,
  parseObservation,
  unknownTo,
} from '../../history/read-history.ts';
import { callerOf } from '../../plugins/auth.ts';
import type { TransitObservation } from '../../promise/transit.ts';
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

const PROGRESS_EVERY = 1000;
/** Observations written to the store at once. */
const BATCH = 1000;

export async function transitHistoryRoutes(
  instance: FastifyInstance,
  options: InventoryImportOptions = {},
): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const limits = {
    maxBodyBytes: options.maxBodyBytes ?? IMPORT_LIMITS.maxBodyBytes,
    maxLineBytes: options.maxLineBytes ?? IMPORT_LIMITS.maxLineBytes,
  };
  acceptImportBodies(app, limits.maxBodyBytes);

  app.post(
    '/v1/transit-history/import',
    {
      onRequest: app.requireSecretKey,
      config: documented({ body: ImportBody(HISTORY_FIELDS.join(',')) }),
      schema: {
        summary: 'Import past deliveries (CSV or JSON lines) for promises to learn transit from',
        tags: ['estimates'],
        security: [{ secretKey: [] }],
        consumes: ['text/csv', 'application/x-ndjson'],
        response: {
          200: JsonLines(TransitImportLine, 'progress every 1,000 lines, an error per problem, a summary'),
          '4xx': ApiError,
        },
      },
    },
    async (request, reply) => {
      const runtime = callerOf(request).merchant;
      const { merchant } = runtime;
      const format = importFormat(request);
      const { write, end } = jsonLinesAnswer(reply);

      const counts = { processed: 0, imported: 0, duplicates: 0, failed: 0 };
      let header: string[] | null = null;
      let lineNumber = 0;
      let pending: TransitObservation[] = [];
      const flush = async () => {
        if (pending.length === 0) return;
        const batch = pending;
        pending = [];
        const added = await app.transitHistory.add(runtime, batch, 'import');
        counts.imported += added;
        counts.duplicates += batch.length - added;
      };
      /** Refuses the current line, with each of its problems (field and code). */
      const fail = (field: string, code: string, more: readonly { field: string; code: string }[] = []) => {
        counts.failed++;
        if (counts.failed <= MAX_ERROR_LINES) {
          for (const problem of [{ field, code }, ...more]) write({ type: 'error', line: lineNumber, ...problem });
        } else if (counts.failed === MAX_ERROR_LINES + 1)
          write({ type: 'error', code: 'too_many_errors', message: `only the first ${MAX_ERROR_LINES} are listed` });
      };

      const importLine = async (line: BodyLine): Promise<boolean> => {
        lineNumber++;
        if (!line.tooLong && line.text.trim() === '') return true;
        if (format === 'csv' && header === null) {
          if (line.tooLong) {
            fail('', 'line_too_long');
            return false; // without its header no CSV line can be read
          }
          header = csvHeader(line.text) ?? [];
          const missing = HISTORY_FIELDS.filter((field) => !header?.includes(field));
          for (const field of missing) fail(field, 'missing_column');
          return missing.length === 0;
        }
        counts.processed++;
        if (line.tooLong) fail('', 'line_too_long');
        else {
          let parsed: HistoryLine;
          if (format === 'csv') {
            const cells = csvCells(line.text);
            const columns = header ?? [];
            parsed = cells
              ? parseObservation(Object.fromEntries(columns.map((name, i) => [name, cells[i]])), lineNumber)
              : { line: lineNumber, problems: [{ line: lineNumber, field: '', code: 'invalid_csv' }] };
          } else parsed = parseJsonLine(line.text, lineNumber);
          if ('problems' in parsed) {
            const [first, ...more] = parsed.problems;
            fail(first?.field ?? '', first?.code ?? 'invalid', more);
          } else {
            const unknown = unknownTo(merchant, parsed.observation);
            if (unknown) fail(unknown.field, unknown.code);
            else {
              pending.push(parsed.observation);
              if (pending.length >= BATCH) await flush();
            }
          }
        }
        if (counts.processed % PROGRESS_EVERY === 0) write({ type: 'progress', ...counts });
        return true;
      };

      const body = request.body as Readable;
      try {
        const ended = await forEachBodyLine(body, limits, importLine);
        await flush();
        if (ended === 'too_large') {
          write({
            type: 'error',
            code: 'payload_too_large',
            message: `at most ${limits.maxBodyBytes} bytes per import`,
          });
          write({ type: 'summary', ...counts, aborted: true });
        } else write({ type: 'summary', ...counts });
      } catch (error) {
        request.log.error({ err: error }, 'transit history import failed');
        write({ type: 'summary', ...counts, aborted: true, message: 'The import stopped; lines before it were kept.' });
      }
      if (!body.readableEnded) body.resume();
      end();
      return reply;
    },
  );
}
