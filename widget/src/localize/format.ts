/**
 * Dates, ranges, prices and durations through Intl, with the formatters cached: creating an Intl formatter
 * costs tens of microseconds and the countdown formats every minute.
 */
import type { Strings } from './strings.ts';

const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.DisplayNames>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.DisplayNames>(key: string, make: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter;
}

/** The locale to use: the element's attribute, else the page's `lang`, else the browser's; always a valid tag. */
export function resolveLocale(attribute: string | null | undefined): string {
  for (const candidate of [attribute, document.documentElement.lang, navigator.language, 'en']) {
    if (!candidate) continue;
    try {
      const [canonical] = Intl.getCanonicalLocales(candidate);
      if (canonical) return canonical;
    } catch {
      // not a language tag: try the next source
    }
  }
  return 'en';
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}

/** A local date `YYYY-MM-DD` as a Date at noon UTC, so that formatting in UTC never crosses a day. */
function noon(isoDate: string): Date {
  return new Date(`${isoDate}T12:00:00Z`);
}

const dayFormat = (locale: string) =>
  cached(
    `day|${locale}`,
    () => new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }),
  );
const rangeFormat = (locale: string) =>
  cached(`range|${locale}`, () => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: 'UTC' }));

/** "jeudi 26 novembre" */
export function formatDay(isoDate: string, locale: string): string {
  return dayFormat(locale).format(noon(isoDate));
}

/** "26–27 novembre", or one date when both ends are the same day. */
export function formatRange(earliest: string, latest: string, locale: string): string {
  return earliest === latest
    ? rangeFormat(locale).format(noon(earliest))
    : rangeFormat(locale).formatRange(noon(earliest), noon(latest));
}

/** The shopper's local date today, as `YYYY-MM-DD`. */
export function localToday(now: number): string {
  const date = new Date(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function addDays(isoDate: string, days: number): string {
  return new Date(noon(isoDate).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The headline: "Livraison estimée demain, jeudi 26 novembre" or "Livraison estimée 26–27 novembre". */
export function formatDelivery(
  earliest: string,
  latest: string,
  locale: string,
  now: number,
  strings: Strings,
): string {
  if (earliest !== latest) return fill(strings.deliveredBetween, { range: formatRange(earliest, latest, locale) });
  const today = localToday(now);
  const date = formatDay(earliest, locale);
  const relative =
    earliest === today
      ? fill(strings.today, { date })
      : earliest === addDays(today, 1)
        ? fill(strings.tomorrow, { date })
        : date;
  return fill(strings.deliveredOn, { date: relative });
}

/** "2 h 13 min", "45 min", from milliseconds left (rounded up to the minute). */
export function formatCountdown(msLeft: number, locale: string): string {
  const minutes = Math.max(1, Math.ceil(msLeft / 60_000));
  const unit = (name: 'hour' | 'minute') =>
    cached(
      `unit|${name}|${locale}`,
      () => new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }),
    );
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [
    hours > 0 ? unit('hour').format(hours) : '',
    rest > 0 || hours === 0 ? unit('minute').format(rest) : '',
  ];
  return parts.filter(Boolean).join(' ');
}

export function formatPrice(amount: number, currency: string, locale: string, strings: Strings): string {
  if (amount === 0) return strings.free;
  const format = cached(
    `price|${currency}|${locale}`,
    () => new Intl.NumberFormat(locale, { style: 'currency', currency }),
  );
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

export function countryName(code: string, locale: string): string {
  return cached(`region|${locale}`, () => new Intl.DisplayNames([locale], { type: 'region' })).of(code) ?? code;
}
