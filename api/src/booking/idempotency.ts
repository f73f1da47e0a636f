/**
 * Idempotency keys (the IETF Idempotency-Key draft; replay as Stripe does): what a request finds under its key,
 * decided the same way by every store. A key is kept for `IDEMPOTENCY_TTL_MS` after its last answer; a key still
 * in progress after `IDEMPOTENCY_LOCK_MS` belonged to a process that died, and the next request takes it over.
 */

import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';

/** Idempotency keys and their responses are kept at least this long (CONTRACT §4: ≥ 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** A key in progress for longer than this belonged to a process that died; another request may take it over. */
export const IDEMPOTENCY_LOCK_MS = 60_000;

/** What the first request with an idempotency key finds. */
export type IdempotencyClaim =
  | { state: 'new' }
  | { state: 'in_progress' }
  | { state: 'mismatch' }
  | { state: 'replay'; statusCode: number; body: string };

/** A key as a store keeps it. */
export interface StoredKey {
  requestHash: string;
  state: 'in_progress' | 'done';
  statusCode: number | null;
  responseBody: string | null;
  lockedAt: number;
  expiresAt: number;
}

/**
 * What a request with `requestHash` at `now` finds under a key: `new` when it may claim the key (none kept,
 * expired, or abandoned by a dead process), else why not, or the answer to replay.
 *
 * @example
 * decideClaim(null, 'h1', now) // { state: 'new' }
 * decideClaim({ ...done, requestHash: 'h1' }, 'h1', now) // { state: 'replay', statusCode: 201, body }
 */
export function decideClaim(stored: StoredKey | null, requestHash: string, now: number): IdempotencyClaim {
  if (!stored || stored.expiresAt <= now) return { state: 'new' };
  if (stored.requestHash !== requestHash) return { state: 'mismatch' };
  if (stored.state === 'in_progress')
    return stored.lockedAt + IDEMPOTENCY_LOCK_MS < now ? { state: 'new' } : { state: 'in_progress' };
  return { state: 'replay', statusCode: stored.statusCode ?? 500, body: stored.responseBody ?? '' };
}

/** The hash a key remembers its request by: requests are compared as parsed JSON (key order, spacing aside). */
export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(stringify(body) ?? '')
    .digest('hex');
}
