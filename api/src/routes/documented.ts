/**
 * What the OpenAPI document says of a route where Fastify's schema cannot say it: bodies a route reads raw (the
 * imports' streams, a carrier's signed bytes), headers it checks itself for its own error messages, and answers
 * without a body. For the document only: validation stays in the route. test/api/openapi.test.ts holds every
 * real answer of a full flow to the document.
 */
import type { FastifySchema } from 'fastify';
import { type TSchema, Type } from 'typebox';

/**
 * A route's `config` documenting `body` (in each media type of the route's `schema.consumes`, else JSON) and,
 * optionally, headers it checks itself.
 */
export function documented(parts: { body?: TSchema; headers?: TSchema }) {
  return {
    swaggerTransform: ({ schema, url }: { schema: FastifySchema; url: string }) => ({
      url,
      schema: {
        ...schema,
        ...(parts.body ? { body: parts.body, consumes: schema.consumes ?? ['application/json'] } : {}),
        ...(parts.headers ? { headers: parts.headers } : {}),
      },
    }),
  };
}

/** An answer without a body (204, 304): no content in the document, and nothing to serialize. */
export const NoBody = (description: string) => Type.Unsafe<undefined>({ type: 'null', description });

/** A streamed JSON-lines answer whose every line is one `line`. */
export const JsonLines = (line: TSchema, description: string) => ({
  description,
  content: { 'application/x-ndjson': { schema: line } },
});

/** The body of a CSV or JSON-lines import, for the document. */
export const ImportBody = (columns: string) =>
  Type.String({
    description: `CSV with the header \`${columns}\` (quoted fields welcome), or JSON lines with those fields`,
  });
