/**
 * Local dates as whole days since 1970-01-01 ("day numbers"). The core walks calendars day by day; integers keep
 * that walk allocation-free, and a `YYYY-MM-DD` string is made only at the edge, for the answer.
 */
import { ISO_DATE_PATTERN } from '../../../shared/src/primitives.ts';

const MS_PER_DAY = 86_400_000;
const ISO_DATE = new RegExp(ISO_DATE_PATTERN);

/** A local calendar date, counted in days since 1970-01-01. */
export type Day = number;

/**
 * Parses a `YYYY-MM-DD` local date; returns null when it is not a real calendar date.
 * @example dayFromIso('2026-11-23') // 20415
 */
export function dayFromIso(iso: string): Day | null {
  if (!ISO_DATE.test(iso)) return null;
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  const date = Number(iso.slice(8, 10));
  const ms = Date.UTC(year, month - 1, date);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return null;
  return ms / MS_PER_DAY;
}

const isoDays = new Map<Day, string>();

/** @example isoFromDay(20415) // '2026-11-23' */
export function isoFromDay(day: Day): string {
  let iso = isoDays.get(day);
  if (iso === undefined) {
    // Formatting a Date costs more than the rest of a promise; the days a service asks about are few.
    if (isoDays.size > 10_000) isoDays.clear();
    iso = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoDays.set(day, iso);
  }
  return iso;
}

/** ISO weekday, 1 = Monday … 7 = Sunday. 1970-01-01 was a Thursday. */
export function isoWeekday(day: Day): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** The calendar year a day falls in. */
export function yearOfDay(day: Day): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** The wall-clock reading of an instant taken as if it were UTC, split into day and minutes. */
export function splitWallClock(wallMs: number): { day: Day; minutes: number } {
  const day = Math.floor(wallMs / MS_PER_DAY);
  return { day, minutes: Math.floor((wallMs - day * MS_PER_DAY) / 60_000) };
}

export { MS_PER_DAY };
