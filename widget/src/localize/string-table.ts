/** The shape of a language's table of sentences: a leaf the tables and the loader both import. */

/** A sentence with a `{count}`, one form per plural category `Intl.PluralRules` names; `other` is the fallback. */
export type Plural = { [category in Intl.LDMLPluralRule]?: string } & { other: string };

export interface Strings {
  deliveredOn: string;
  deliveredBetween: string;
  tomorrow: string;
  today: string;
  orderWithin: string;
  deliverTo: string;
  deliverToCountry: string;
  change: string;
  country: string;
  postalCode: string;
  apply: string;
  cancel: string;
  options: string;
  fastest: string;
  cheapest: string;
  home: string;
  pickup_point: string;
  locker: string;
  free: string;
  showMore: Plural;
  outOfStock: string;
  noService: string;
  unknownSku: string;
  partial: string;
  unavailable: string;
  loading: string;
  fromDate: string;
}
