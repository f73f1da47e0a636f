/**
 * The element's sentences, one table per language in `strings/`. `{date}`, `{range}`, `{time}`, `{code}`,
 * `{count}` are filled in by the formatter; dates, prices and durations themselves come from Intl, and a sentence
 * with a count has one form per plural category of its language. English is bundled; other languages are
 * separate chunks loaded on first use, so a page loads only its own language.
 */

import type { Strings } from './string-table.ts';
import en from './strings/en.ts';

const loaders: Record<string, () => Promise<{ default: Strings }>> = {
  de: () => import('./strings/de.ts'),
  es: () => import('./strings/es.ts'),
  fr: () => import('./strings/fr.ts'),
  it: () => import('./strings/it.ts'),
  nl: () => import('./strings/nl.ts'),
};

const loaded = new Map<string, Strings>([['en', en]]);
const loading = new Map<string, Promise<Strings>>();

function languageOf(locale: string): string {
  return locale.split('-')[0]?.toLowerCase() ?? 'en';
}

/** The table for a locale if it is ready: English for untranslated languages, undefined while loading. */
export function loadedStrings(locale: string): Strings | undefined {
  const language = languageOf(locale);
  return loaders[language] ? loaded.get(language) : en;
}

/** Loads a locale's table; English when the language is untranslated or its chunk cannot be fetched. */
export function loadStrings(locale: string): Promise<Strings> {
  const language = languageOf(locale);
  const load = loaders[language];
  if (!load) return Promise.resolve(en);
  let pending = loading.get(language);
  if (!pending) {
    pending = load().then(
      (module) => module.default,
      () => en,
    );
    pending.then((strings) => loaded.set(language, strings));
    loading.set(language, pending);
  }
  return pending;
}
