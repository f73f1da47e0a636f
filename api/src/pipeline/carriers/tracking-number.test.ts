import { describe, expect, it } from 'vitest';
import { isValidS10, s10CheckDigit, s10TrackingNumber } from './tracking-number.ts';

describe('S10 tracking numbers', () => {
  it('computes the check digit of the UPU example (RR 12345678 5 FR)', () => {
    expect(s10CheckDigit('12345678')).toBe(5);
    expect(s10TrackingNumber('RR', 12345678, 'FR')).toBe('RR123456785FR');
  });

  it('maps a remainder of 10 to 0 and of 11 to 5', () => {
    expect(s10CheckDigit('00000000')).toBe(5); // sum 0: 11 − 0 = 11 → 5
    expect(s10CheckDigit('00000008')).toBe(0); // sum 56, 56 mod 11 = 1: 11 − 1 = 10 → 0
    expect(s10CheckDigit('00000001')).toBe(4); // sum 7: 11 − 7 = 4
  });

  it('recognizes valid numbers and rejects a wrong check digit', () => {
    expect(isValidS10('RR123456785FR')).toBe(true);
    expect(isValidS10('RR123456784FR')).toBe(false);
    expect(isValidS10('RR12345678FR')).toBe(false);
  });
});
