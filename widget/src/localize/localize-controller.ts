/**
 * An element's language, as a ReactiveController: resolves its locale (the `locale` attribute, else the page's
 * `lang`, else the browser's), loads that language's string table on first use and updates the host when it
 * arrives, and formats dates, prices, durations, countries and plurals in that locale through Intl.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Plural, Strings } from './string-table.ts';
import en from './strings/en.ts';
import { loadedStrings, loadStrings } from './strings.ts';

type Formatter = Intl.DateTimeFormat | Intl.NumberFormat | Intl.DisplayNames | Intl.PluralRules;

/** Creating an Intl formatter costs tens of microseconds and the countdown formats every minute: keep them. */
const formatters = new Map<string, Formatter>();

function cached<T extends Formatter>(key: string, make: () => T): T {
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

/** "Livraison à {code}" with `{code}` filled in; an unknown name stays as it is. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}

/** A local date `YYYY-MM-DD` as a Date at noon UTC, so that formatting in UTC never crosses a day. */
function noon(isoDate: string): Date {
  return new Date(`${isoDate}T12:00:00Z`);
}

/** The shopper's local date at `now`, as `YYYY-MM-DD`. */
export function localToday(now: number): string {
  const date = new Date(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function addDays(isoDate: string, days: number): string {
  return new Date(noon(isoDate).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

export type LocalizeHost = ReactiveControllerHost & { locale?: string | undefined };

export class LocalizeController implements ReactiveController {
  /** The host language's sentences once its table has loaded (see `ready`); English before. */
  strings: Strings = en;
  /** False while the host language's table is loading: the host shows placeholders, not English. */
  ready = true;

  readonly #host: LocalizeHost;

  constructor(host: LocalizeHost) {
    this.#host = host;
    host.addController(this);
  }

  /** The locale in use, always a valid BCP 47 tag; read again each time, as the page's `lang` may change. */
  get locale(): string {
    return resolveLocale(this.#host.locale);
  }

  hostUpdate(): void {
    const locale = this.locale;
    const strings = loadedStrings(locale);
    this.ready = strings !== undefined;
    if (strings) this.strings = strings;
    // The language's table is a separate chunk, fetched alongside the promise.
    else loadStrings(locale).then(() => this.#host.requestUpdate());
  }

  /** "jeudi 26 novembre" */
  day(isoDate: string): string {
    const locale = this.locale;
    return cached(
      `day|${locale}`,
      () => new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }),
    ).format(noon(isoDate));
  }

  /** "26–27 novembre", or one date when both ends are the same day. */
  range(earliest: string, latest: string): string {
    const locale = this.locale;
    const format = cached(
      `range|${locale}`,
      () => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: 'UTC' }),
    );
    return earliest === latest ? format.format(noon(earliest)) : format.formatRange(noon(earliest), noon(latest));
  }

  /** The headline at `now` (ms): "Livraison estimée demain, jeudi 26 novembre" or "Livraison estimée 26–27 novembre". */
  delivery(earliest: string, latest: string, now: number): string {
    const { strings } = this;
    if (earliest !== latest) return fill(strings.deliveredBetween, { range: this.range(earliest, latest) });
    const today = localToday(now);
    const date = this.day(earliest);
    const relative =
      earliest === today
        ? fill(strings.today, { date })
        : earliest === addDays(today, 1)
          ? fill(strings.tomorrow, { date })
          : date;
    return fill(strings.deliveredOn, { date: relative });
  }

  /** "2 h 13 min", "45 min", from milliseconds left (rounded up to the minute). */
  countdown(msLeft: number): string {
    const locale = this.locale;
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

  /** "7,59 €" from minor units, or "Gratuit". */
  price(amount: number, currency: string): string {
    if (amount === 0) return this.strings.free;
    const locale = this.locale;
    const format = cached(
      `price|${currency}|${locale}`,
      () => new Intl.NumberFormat(locale, { style: 'currency', currency }),
    );
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amount / 10 ** digits);
  }

  /** "Belgique" */
  country(code: string): string {
    const locale = this.locale;
    return cached(`region|${locale}`, () => new Intl.DisplayNames([locale], { type: 'region' })).of(code) ?? code;
  }

  /** "Voir 1 autre mode", "Voir 2 autres modes": the form `Intl.PluralRules` picks for `count`, filled in. */
  plural(forms: Plural, count: number): string {
    const locale = this.locale;
    const category = cached(`plural|${locale}`, () => new Intl.PluralRules(locale)).select(count);
    return fill(forms[category] ?? forms.other, { count });
  }
}
