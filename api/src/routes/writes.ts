/**
 * What the API's writes share: the per-key write limit, the `Idempotency-Key` header (checked by the routes, to
 * name it in their own words, and documented as required), a test key's `at` instant, and answers sent as the
 * exact bytes stored for idempotent replay.
 */
import type { RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { invalidField } from '../http-error.ts';
import { DEFAULT_LIMITS } from '../merchants/registry.ts';
import { instantFor } from '../promise/instant.ts';
import { documented } from './documented.ts';

/** The merchant's write limit, counted after authentication, per key. */
export const writeLimit: RateLimitOptions = {
  hook: 'preHandler',
  max: (request) => request.apiKey?.merchant.limits.writesPerMinutePerKey ?? DEFAULT_LIMITS.writesPerMinutePerKey,
  keyGenerator: (request) => `write|${request.apiKey?.id ?? request.ip}`,
};

export const sendJson = (reply: FastifyReply, statusCode: number, body: string) =>
  reply.status(statusCode).type('application/json; charset=utf-8').send(body);

/** The Idempotency-Key a write requires, refused in words that name the header. */
export function idempotencyKeyOf(key: string | undefined, what: string): string {
  if (typeof key !== 'string' || key.length === 0)
    throw invalidField(
      'Idempotency-Key',
      'required',
      `Send an Idempotency-Key header (e.g. a UUID) with every ${what}.`,
    );
  if (key.length > 255) throw invalidField('Idempotency-Key', 'too_long', 'Idempotency-Key: at most 255 characters.');
  return key;
}

/** The instant a write happens at: now, or a test key's `at`. */
export function instantOf(
  app: FastifyInstance,
  presentedKey: string | null | undefined,
  at: string | undefined,
): number {
  const found = instantFor(presentedKey ?? '', at, app.clock);
  if (!found.ok) throw invalidField(found.field, found.code, found.message);
  return found.instant;
}

/** The document's word for a required `Idempotency-Key` the route checks itself. */
export const idempotencyHeader = documented({
  headers: Type.Object({
    'idempotency-key': Type.String({ minLength: 1, maxLength: 255, description: 'e.g. a UUID' }),
  }),
});
