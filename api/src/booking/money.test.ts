import { describe, expect, it } from 'vitest';
import { toMinorUnits } from './money.ts';

describe('toMinorUnits', () => {
  it('reads decimal strings digit by digit in the currency’s minor units', () => {
    expect(toMinorUnits('199.00', 'EUR')).toBe(19900);
    expect(toMinorUnits('20.230000', 'EUR')).toBe(2023);
    expect(toMinorUnits('0.1', 'EUR')).toBe(10);
    expect(toMinorUnits('1500', 'JPY')).toBe(1500);
    expect(toMinorUnits('1.250', 'KWD')).toBe(1250);
  });

  it('reads numbers as their shortest decimal, not their binary value (21.99 is 2199, not 2198)', () => {
    expect(toMinorUnits(21.99, 'EUR')).toBe(2199);
    expect(toMinorUnits(12, 'USD')).toBe(1200);
  });

  it('rounds half up past the currency’s digits', () => {
    expect(toMinorUnits('9.775000', 'EUR')).toBe(978);
    expect(toMinorUnits('9.774999', 'EUR')).toBe(977);
  });

  it('returns null for what is not a plain decimal', () => {
    for (const junk of ['', 'abc', '1e5', '1,50', '12.', null, undefined, {}, Number.NaN]) {
      expect(toMinorUnits(junk, 'EUR')).toBeNull();
    }
  });
});
