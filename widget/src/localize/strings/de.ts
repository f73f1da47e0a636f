import type { Strings } from '../string-table.ts';

const strings: Strings = {
  deliveredOn: 'Voraussichtliche Lieferung {date}',
  deliveredBetween: 'Voraussichtliche Lieferung {range}',
  tomorrow: 'morgen, {date}',
  today: 'heute, {date}',
  orderWithin: 'Bestellen Sie innerhalb von {time}',
  deliverTo: 'Lieferung nach {code}',
  deliverToCountry: 'Lieferung nach {country}',
  change: 'ändern',
  country: 'Land',
  postalCode: 'Postleitzahl',
  apply: 'Übernehmen',
  cancel: 'Abbrechen',
  options: 'Versandarten',
  fastest: 'Am schnellsten',
  cheapest: 'Am günstigsten',
  home: 'Lieferung nach Hause',
  pickup_point: 'Abholstation',
  locker: 'Packstation',
  free: 'Kostenlos',
  showMore: { one: '{count} weitere Versandart', other: '{count} weitere Versandarten' },
  outOfStock: 'Derzeit nicht auf Lager.',
  noService: 'An diese Adresse liefern wir noch nicht.',
  unknownSku: 'Dieser Artikel kann nicht geliefert werden.',
  partial: 'Einige Artikel können nicht geliefert werden; die Daten gelten für die übrigen.',
  unavailable: 'Lieferdaten sind gerade nicht verfügbar.',
  loading: 'Lieferdaten werden berechnet…',
  fromDate: 'Versand, sobald wieder vorrätig am {date}',
};

export default strings;
