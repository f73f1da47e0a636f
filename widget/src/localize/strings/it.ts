import type { Strings } from '../string-table.ts';

const strings: Strings = {
  deliveredOn: 'Consegna prevista {date}',
  deliveredBetween: 'Consegna prevista {range}',
  tomorrow: 'domani, {date}',
  today: 'oggi, {date}',
  orderWithin: 'Ordina entro {time}',
  deliverTo: 'Consegna a {code}',
  deliverToCountry: 'Consegna in {country}',
  change: 'modifica',
  country: 'Paese',
  postalCode: 'CAP',
  apply: 'Applica',
  cancel: 'Annulla',
  options: 'Modalità di consegna',
  fastest: 'Più veloce',
  cheapest: 'Più economica',
  home: 'A domicilio',
  pickup_point: 'Punto di ritiro',
  locker: 'Locker',
  free: 'Gratis',
  showMore: { one: "Mostra un'altra modalità", other: 'Mostra altre {count} modalità' },
  outOfStock: 'Al momento esaurito.',
  noService: 'Non consegniamo ancora a questo indirizzo.',
  unknownSku: 'Questo prodotto non può essere consegnato.',
  partial: 'Alcuni articoli non possono essere consegnati: le date valgono per gli altri.',
  unavailable: 'Le date di consegna non sono disponibili ora.',
  loading: 'Calcolo delle date di consegna…',
  fromDate: 'Spedito al rientro in magazzino il {date}',
};

export default strings;
