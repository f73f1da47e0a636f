/**
 * The request an element sends: `GET {api}/v1/promise` with the query the contract names, built from the
 * element's attributes, its destination and its locale. Null while something it needs is missing, so the element
 * asks nothing. Pure: no DOM, no clock, no I/O.
 *
 * @example
 * promiseUrl({ api: 'https://promesse.example.com', key: 'pk_test_x', mode: 'product', sku: 'MUG-01', quantity: 2 },
 *   { country: 'FR', postalCode: '75011' }, 'fr-FR')
 * //=> 'https://promesse.example.com/v1/promise?key=pk_test_x&sku=MUG-01&quantity=2&country=FR&postalCode=75011&locale=fr-FR'
 */
import type { Destination } from '../destination.ts';

/** The element's attributes that shape the request (the element itself fits). */
export interface PromiseAttributes {
  api?: string | undefined;
  key?: string | undefined;
  mode?: string | undefined;
  sku?: string | undefined;
  quantity?: number | undefined;
  items?: string | undefined;
  at?: string | undefined;
}

/** `defaultApi`: the origin to call when the element names none (where the bundle was loaded from). */
export function promiseUrl(
  attributes: PromiseAttributes,
  destination: Destination | null,
  locale: string,
  defaultApi?: string,
): string | null {
  const { key, mode, sku, items, at } = attributes;
  const api = attributes.api || defaultApi;
  if (!api || !key || !destination) return null;
  const params = new URLSearchParams({ key });
  if (mode === 'cart') {
    if (!items) return null;
    params.set('items', items);
  } else {
    if (!sku) return null;
    params.set('sku', sku);
    params.set('quantity', String(attributes.quantity || 1));
  }
  params.set('country', destination.country);
  if (destination.postalCode) params.set('postalCode', destination.postalCode);
  params.set('locale', locale);
  if (at) params.set('at', at);
  return `${api.replace(/\/+$/, '')}/v1/promise?${params}`;
}
