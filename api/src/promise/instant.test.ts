import { describe, expect, it } from 'vitest';
import { instantFor, isTestKey, parseInstant } from './instant.ts';

const clock = () => 42;

describe('parseInstant', () => {
  it('reads an instant with its zone', () => {
    expect(parseInstant('2026-11-23T10:00:00+01:00')).toBe(Date.parse('2026-11-23T09:00:00Z'));
    expect(parseInstant('2026-11-23T09:00Z')).toBe(Date.parse('2026-11-23T09:00:00Z'));
  });

  it('refuses a date, a local time without zone, and instants outside 2000–2100', () => {
    expect(parseInstant('2026-11-23')).toBeNull();
    expect(parseInstant('2026-11-23T10:00:00')).toBeNull();
    expect(parseInstant('1999-12-31T23:59:59Z')).toBeNull();
    expect(parseInstant('2100-01-01T00:00:00Z')).toBeNull();
  });
});

describe('instantFor', () => {
  it('takes the clock when no at is given, whatever the key', () => {
    expect(instantFor('sk_live_abcd', undefined, clock)).toEqual({ ok: true, instant: 42 });
  });

  it('takes at from a test key', () => {
    expect(instantFor('pk_test_demo', '2026-11-23T09:00:00Z', clock)).toEqual({
      ok: true,
      instant: Date.parse('2026-11-23T09:00:00Z'),
    });
  });

  it('refuses at from a live key, and an at that is no instant', () => {
    expect(instantFor('sk_live_abcd', '2026-11-23T09:00:00Z', clock)).toMatchObject({
      ok: false,
      code: 'test_key_required',
    });
    expect(instantFor('sk_test_demo', 'tomorrow', clock)).toMatchObject({ ok: false, code: 'invalid_instant' });
  });

  it('knows test keys by their prefix', () => {
    expect(isTestKey('pk_test_x')).toBe(true);
    expect(isTestKey('sk_live_x')).toBe(false);
  });
});
