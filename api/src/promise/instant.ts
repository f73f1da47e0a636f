/**
 * Instants as requests give them: ISO 8601 with a zone, between 2000 and 2100. And `at`, the instant a test key
 * may fix for a promise or a booking (CONTRACT §4): one rule, with one message per refusal, for both.
 */

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 instant with its zone, as ms since the epoch, or null.
 *
 * @example
 * parseInstant('2026-11-23T10:00:00+01:00') // 1795424400000
 * parseInstant('2026-11-23') // null: a date is not an instant
 */
export function parseInstant(text: string): number | null {
  if (!INSTANT.test(text)) return null;
  const instant = Date.parse(text);
  if (!Number.isFinite(instant) || instant < Date.UTC(2000, 0, 1) || instant >= Date.UTC(2100, 0, 1)) return null;
  return instant;
}

/** Test keys (pk_test_…, sk_test_…) may fix the clock with `at`. */
export function isTestKey(key: string): boolean {
  return key.startsWith('pk_test_') || key.startsWith('sk_test_');
}

export type InstantFor =
  | { ok: true; instant: number }
  | { ok: false; field: 'at'; code: 'test_key_required' | 'invalid_instant'; message: string };

/**
 * The instant a request acts at: `at` when the presented key is a test key, else the clock.
 *
 * @example
 * instantFor('sk_test_demo', '2026-11-23T10:00:00Z', Date.now) // { ok: true, instant: 1795428000000 }
 * instantFor('sk_live_…', '2026-11-23T10:00:00Z', Date.now) // { ok: false, code: 'test_key_required', … }
 */
export function instantFor(presentedKey: string, at: string | undefined, clock: () => number): InstantFor {
  return at === undefined ? { ok: true, instant: clock() } : fixedInstant(presentedKey, at);
}

/** The instant `at` fixes, when the presented key may fix one. */
export function fixedInstant(presentedKey: string, at: string): InstantFor {
  if (!isTestKey(presentedKey))
    return { ok: false, field: 'at', code: 'test_key_required', message: 'at fixes the clock for test keys only.' };
  const instant = parseInstant(at);
  if (instant === null)
    return {
      ok: false,
      field: 'at',
      code: 'invalid_instant',
      message: 'at must be an ISO 8601 instant, e.g. 2026-11-23T10:00:00Z.',
    };
  return { ok: true, instant };
}
