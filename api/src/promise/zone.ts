/**
 * Reading instants in a warehouse's time zone and placing local times back on the UTC line, with the contract's
 * DST rule: a local time that does not exist moves to the first valid instant after it; one that exists twice
 * takes the first. Offsets come from date-fns-tz; results are cached because formatting in a zone costs ~30 µs.
 */
import { formatInTimeZone } from 'date-fns-tz';
import { LRUCache } from 'lru-cache';
import { type Day, MS_PER_DAY, splitWallClock } from './local-date.ts';

const MINUTE = 60_000;
const offsets = new LRUCache<string, number>({ max: 20_000 });
const instants = new LRUCache<string, number>({ max: 20_000 });

/** True when the IANA zone name is known to this runtime. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's UTC offset in ms at an instant (whole minute), e.g. 3 600 000 for Paris in winter. */
export function offsetAt(timeZone: string, instant: number): number {
  const minute = Math.floor(instant / MINUTE) * MINUTE;
  const key = `${timeZone}|${minute}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const text = formatInTimeZone(minute, timeZone, 'xxx'); // "+02:00", "-07:00", "+05:30"
    const sign = text.startsWith('-') ? -1 : 1;
    offset = sign * (Number(text.slice(1, 3)) * 60 + Number(text.slice(4, 6))) * MINUTE;
    offsets.set(key, offset);
  }
  return offset;
}

/** The local date and minute of the day of an instant in a zone. */
export function localDateTime(instant: number, timeZone: string): { day: Day; minutes: number } {
  return splitWallClock(instant + offsetAt(timeZone, instant));
}

/**
 * The instant of a local time of day on a local date in a zone.
 * @example zonedInstant(dayFromIso('2026-11-23'), '14:00', 'Europe/Paris') // Date.parse('2026-11-23T13:00:00Z')
 */
export function zonedInstant(day: Day, time: string, timeZone: string): number {
  const key = `${timeZone}|${day}|${time}`;
  const cached = instants.get(key);
  if (cached !== undefined) return cached;
  const wall = day * MS_PER_DAY + (Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))) * MINUTE;
  // At most one transition lies within half a day of a cut-off, so the offsets 12 h before and after bracket it.
  const before = offsetAt(timeZone, wall - 12 * 60 * MINUTE);
  const after = offsetAt(timeZone, wall + 12 * 60 * MINUTE);
  const valid = [wall - before, wall - after].filter((candidate) => offsetAt(timeZone, candidate) === wall - candidate);
  let instant: number;
  if (valid.length > 0) {
    instant = Math.min(...valid); // a repeated local time takes its first occurrence
  } else {
    // A gap: the first valid instant after it is the transition itself, found by bisection over minutes.
    let low = wall - after;
    let high = wall - before;
    while (high - low > MINUTE) {
      const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
      if (offsetAt(timeZone, middle) === after) high = middle;
      else low = middle;
    }
    instant = high;
  }
  instants.set(key, instant);
  return instant;
}
