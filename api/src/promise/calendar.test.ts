import { describe, expect, it } from 'vitest';
import { baseConfig } from '../../../test/fixtures/merchant.ts';
import { BusinessCalendar } from './calendar.ts';
import { publicHolidays } from './holidays.ts';
import { dayFromIso, isoFromDay, isoWeekday } from './local-date.ts';
import { compileMerchant } from './merchant.ts';

const day = (iso: string) => dayFromIso(iso) as number;

function calendarFor(change: (config: ReturnType<typeof baseConfig>) => void = () => {}) {
  const config = baseConfig();
  change(config);
  const merchant = compileMerchant(config);
  return { calendar: new BusinessCalendar(), warehouse: merchant.warehouses[0]!, carrier: merchant.carriers[0]! };
}

describe('local dates', () => {
  it('returns Monday for 2026-11-23', () => {
    expect(isoWeekday(day('2026-11-23'))).toBe(1);
    expect(isoWeekday(day('2026-11-29'))).toBe(7);
  });

  it('rejects dates that are not in the calendar', () => {
    expect(dayFromIso('2026-02-30')).toBeNull();
    expect(dayFromIso('2026-13-01')).toBeNull();
  });
});

describe('public holidays', () => {
  it('counts Easter Monday and Christmas in France, not Good Friday', () => {
    const fr = publicHolidays('FR', null, 2026);
    expect(fr.has(day('2026-04-06'))).toBe(true);
    expect(fr.has(day('2026-12-25'))).toBe(true);
    expect(fr.has(day('2026-04-03'))).toBe(false);
  });

  it('adds Good Friday and 26 December in Moselle (FR region 57)', () => {
    const moselle = publicHolidays('FR', '57', 2026);
    expect(moselle.has(day('2026-04-03'))).toBe(true);
    expect(moselle.has(day('2026-12-26'))).toBe(true);
  });

  it('leaves out observances such as Pentecost Sunday and Mothers Day', () => {
    const fr = publicHolidays('FR', null, 2026);
    expect(fr.has(day('2026-05-24'))).toBe(false);
    expect(fr.has(day('2026-05-31'))).toBe(false);
  });
});

describe('BusinessCalendar', () => {
  it('skips a weekend and a public holiday to find the next warehouse day', () => {
    const { calendar, warehouse } = calendarFor();
    // Friday 2026-12-25 is Christmas: from Thursday evening the next warehouse day is Monday 28.
    expect(isoFromDay(calendar.warehouseDayOnOrAfter(warehouse, day('2026-12-25'))!)).toBe('2026-12-28');
  });

  it('treats closed dates as non-working days', () => {
    const { calendar, warehouse } = calendarFor((c) => {
      c.warehouses[0]!.closedDates = ['2026-12-31'];
    });
    expect(calendar.isWarehouseDay(warehouse, day('2026-12-31'))).toBe(false);
    expect(calendar.isWarehouseDay(warehouse, day('2026-12-30'))).toBe(true);
  });

  it('counts Saturday for a warehouse that works on Saturdays', () => {
    const { calendar, warehouse } = calendarFor((c) => {
      c.warehouses[0]!.workingDays = [1, 2, 3, 4, 5, 6];
    });
    expect(calendar.isWarehouseDay(warehouse, day('2026-11-28'))).toBe(true);
    expect(calendar.isWarehouseDay(warehouse, day('2026-11-29'))).toBe(false);
  });

  it('does not deliver on a public holiday of the destination country', () => {
    const { calendar, carrier } = calendarFor();
    expect(calendar.isDeliveryDay(carrier, 'FR', day('2026-12-25'))).toBe(false);
    expect(calendar.isDeliveryDay(carrier, 'DE', day('2026-12-26'))).toBe(false); // 2. Weihnachtstag
    expect(calendar.isDeliveryDay(carrier, 'FR', day('2026-12-26'))).toBe(true);
  });

  it('gives up on a walk that never finds a day instead of looping', () => {
    const { calendar, warehouse } = calendarFor((c) => {
      c.warehouses[0]!.closedDates = Array.from({ length: 500 }, (_, i) => isoFromDay(day('2026-11-23') + i));
    });
    expect(calendar.warehouseDayOnOrAfter(warehouse, day('2026-11-23'))).toBeNull();
  });
});
