import { describe, expect, it } from 'vitest';
import { dayFromIso, isoFromDay } from './local-date.ts';
import { localDateTime, zonedInstant } from './zone.ts';

const day = (iso: string) => dayFromIso(iso) as number;
const at = (iso: string, time: string, zone: string) => new Date(zonedInstant(day(iso), time, zone)).toISOString();

describe('zonedInstant', () => {
  it('places 14:00 in Paris at 13:00Z in winter and 12:00Z in summer', () => {
    expect(at('2026-11-23', '14:00', 'Europe/Paris')).toBe('2026-11-23T13:00:00.000Z');
    expect(at('2026-06-15', '14:00', 'Europe/Paris')).toBe('2026-06-15T12:00:00.000Z');
  });

  it('moves a cut-off inside the spring-forward gap to the first valid instant after it (Paris, 29 March)', () => {
    // 02:30 does not exist on 2026-03-29 in Paris: clocks jump from 02:00 CET to 03:00 CEST at 01:00Z.
    expect(at('2026-03-29', '02:30', 'Europe/Paris')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('takes the first of a cut-off that happens twice in the autumn fall-back (Paris, 25 October)', () => {
    expect(at('2026-10-25', '02:30', 'Europe/Paris')).toBe('2026-10-25T00:30:00.000Z');
  });

  it('handles the US transitions (New York, 8 March and 1 November)', () => {
    expect(at('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    expect(at('2026-11-01', '01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    expect(at('2026-03-06', '15:00', 'America/New_York')).toBe('2026-03-06T20:00:00.000Z');
    expect(at('2026-03-09', '15:00', 'America/New_York')).toBe('2026-03-09T19:00:00.000Z');
  });

  it('handles zones with half-hour offsets (Kolkata)', () => {
    expect(at('2026-11-23', '14:00', 'Asia/Kolkata')).toBe('2026-11-23T08:30:00.000Z');
  });
});

describe('localDateTime', () => {
  it('reads the local date in the warehouse zone, not in UTC', () => {
    const evening = localDateTime(Date.parse('2026-11-24T03:00:00Z'), 'America/New_York');
    expect(isoFromDay(evening.day)).toBe('2026-11-23');
    expect(evening.minutes).toBe(22 * 60);
  });

  it('reads the local date past midnight in Paris while UTC is still the day before', () => {
    expect(isoFromDay(localDateTime(Date.parse('2026-11-23T23:30:00Z'), 'Europe/Paris').day)).toBe('2026-11-24');
  });
});
