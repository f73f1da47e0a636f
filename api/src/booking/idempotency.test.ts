import { describe, expect, it } from 'vitest';
import { decideClaim, IDEMPOTENCY_LOCK_MS, type StoredKey } from './idempotency.ts';

const now = Date.parse('2026-11-23T09:00:00Z');
const done: StoredKey = {
  requestHash: 'h1',
  state: 'done',
  statusCode: 201,
  responseBody: '{"id":"ord_1"}',
  lockedAt: now - 1000,
  expiresAt: now + 3_600_000,
};

describe('decideClaim', () => {
  it('lets the first request with a key claim it', () => {
    expect(decideClaim(null, 'h1', now)).toEqual({ state: 'new' });
  });

  it('replays the stored answer to the same request', () => {
    expect(decideClaim(done, 'h1', now)).toEqual({ state: 'replay', statusCode: 201, body: '{"id":"ord_1"}' });
  });

  it('refuses the key for another request body', () => {
    expect(decideClaim(done, 'h2', now)).toEqual({ state: 'mismatch' });
  });

  it('says in progress while the first request runs', () => {
    expect(decideClaim({ ...done, state: 'in_progress', lockedAt: now - 5000 }, 'h1', now)).toEqual({
      state: 'in_progress',
    });
  });

  it('takes over a key whose process died, once the lock has run out', () => {
    const abandoned = { ...done, state: 'in_progress' as const, lockedAt: now - IDEMPOTENCY_LOCK_MS - 1 };
    expect(decideClaim(abandoned, 'h1', now)).toEqual({ state: 'new' });
  });

  it('treats an expired key as never seen, whatever body it had', () => {
    expect(decideClaim({ ...done, expiresAt: now }, 'h2', now)).toEqual({ state: 'new' });
  });
});
