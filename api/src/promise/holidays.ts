/**
 * Public holidays from date-holidays, by country, region (its "state") and year. Only entries of type `public`
 * count, each by its local `date`. Building a `Holidays` instance parses a large rule set, so instances and the
 * yearly sets are cached.
 */
import Holidays from 'date-holidays';
import { LRUCache } from 'lru-cache';
import { type Day, dayFromIso } from './local-date.ts';

const calendars = new Map<string, Holidays>();
const yearly = new LRUCache<string, ReadonlySet<Day>>({ max: 2_000 });

function calendarFor(country: string, region: string | null): Holidays {
  const key = `${country}|${region ?? ''}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    calendar = region ? new Holidays(country, region) : new Holidays(country);
    calendars.set(key, calendar);
  }
  return calendar;
}

/** The public holidays of a country (and optional region) in one year, as day numbers. */
export function publicHolidays(country: string, region: string | null, year: number): ReadonlySet<Day> {
  const key = `${country}|${region ?? ''}|${year}`;
  let days = yearly.get(key);
  if (!days) {
    const set = new Set<Day>();
    for (const holiday of calendarFor(country, region).getHolidays(year) ?? []) {
      if (holiday.type !== 'public') continue;
      const day = dayFromIso(holiday.date.slice(0, 10));
      if (day !== null) set.add(day);
    }
    days = set;
    yearly.set(key, days);
  }
  return days;
}

/** Whether date-holidays knows the country, and the region within it when one is given. */
export function holidayCodeProblem(country: string, region: string | null | undefined): string | null {
  // Own keys only: a region called `constructor` or `toString` is not a region.
  const countries = new Holidays().getCountries('en');
  if (!Object.hasOwn(countries, country)) return `unknown holiday country "${country}"`;
  if (region) {
    const regions = new Holidays().getStates(country, 'en') ?? {};
    if (!Object.hasOwn(regions, region)) return `unknown holiday region "${region}" for ${country}`;
  }
  return null;
}
