import { describe, expect, it } from 'vitest';
import { baseConfig } from '../../../test/fixtures/merchant.ts';
import { BusinessCalendar } from './calendar.ts';
import { dayFromIso } from './local-date.ts';
import { compileMerchant } from './merchant.ts';
import { observedTransit, type TransitObservation, transitDays } from './transit.ts';

// The fixture's carrier delivers Monday to Saturday; French public holidays are not delivery days.
const merchant = compileMerchant(baseConfig());
const carrier = merchant.carriers[0] as (typeof merchant.carriers)[number];
const calendar = new BusinessCalendar();
const day = (iso: string) => dayFromIso(iso) as number;
const count = (from: string, to: string, country = 'FR') => transitDays(day(from), day(to), carrier, country, calendar);

describe('transitDays', () => {
  it('counts 0 for a parcel delivered on its dispatch date', () => {
    expect(count('2026-11-23', '2026-11-23')).toBe(0);
  });

  it('counts the delivery days after the dispatch, the delivery date included', () => {
    expect(count('2026-11-23', '2026-11-25')).toBe(2); // Monday → Wednesday
  });

  it('skips the Sunday the carrier does not deliver on', () => {
    expect(count('2026-11-27', '2026-11-30')).toBe(2); // Friday → Monday: Saturday and Monday
  });

  it('counts a delivery on a Sunday as delivered the Saturday before it', () => {
    expect(count('2026-11-27', '2026-11-29')).toBe(1);
    expect(count('2026-11-27', '2026-11-29')).toBe(count('2026-11-27', '2026-11-28'));
  });

  it("skips the destination's public holidays: Christmas in France", () => {
    expect(count('2026-12-24', '2026-12-28')).toBe(2); // Thursday → Monday: Saturday 26 and Monday 28
  });

  it("counts the destination's holidays, not the warehouse's: 26 December in Germany", () => {
    // 26 December is a public holiday in Germany (Zweiter Weihnachtstag), not in France.
    expect(count('2026-12-24', '2026-12-28', 'DE')).toBe(1);
  });

  it('refuses a delivery before its dispatch', () => {
    expect(count('2026-11-25', '2026-11-24')).toBeNull();
  });
});

describe('observedTransit', () => {
  const observation = (changes: Partial<TransitObservation>): TransitObservation => ({
    service: 'colissimo-home',
    warehouse: 'paris',
    country: 'FR',
    postalCode: '75011',
    dispatchedAt: Date.parse('2026-11-23T10:00:00Z'),
    deliveredAt: Date.parse('2026-11-24T10:00:00Z'),
    ...changes,
  });

  it("reads both instants in the warehouse's zone: 23:30 UTC on Monday is Tuesday in Paris", () => {
    const late = observedTransit(
      observation({
        dispatchedAt: Date.parse('2026-11-23T23:30:00Z'),
        deliveredAt: Date.parse('2026-11-24T23:30:00Z'),
      }),
      merchant,
      calendar,
    );
    expect(late).toEqual({ transit: 1, dispatch: day('2026-11-24'), delivered: day('2026-11-25') });
  });

  it('refuses an unknown service or warehouse', () => {
    expect(observedTransit(observation({ service: 'teleport' }), merchant, calendar)).toEqual({
      refused: 'unknown_service',
    });
    expect(observedTransit(observation({ warehouse: 'lyon' }), merchant, calendar)).toEqual({
      refused: 'unknown_warehouse',
    });
  });
});
