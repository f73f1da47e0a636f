import type { Strings } from '../string-table.ts';

const strings: Strings = {
  deliveredOn: 'Verwachte levering {date}',
  deliveredBetween: 'Verwachte levering {range}',
  tomorrow: 'morgen, {date}',
  today: 'vandaag, {date}',
  orderWithin: 'Bestel binnen {time}',
  deliverTo: 'Levering in {code}',
  deliverToCountry: 'Levering in {country}',
  change: 'wijzigen',
  country: 'Land',
  postalCode: 'Postcode',
  apply: 'Toepassen',
  cancel: 'Annuleren',
  options: 'Verzendopties',
  fastest: 'Snelst',
  cheapest: 'Goedkoopst',
  home: 'Thuisbezorging',
  pickup_point: 'Afhaalpunt',
  locker: 'Pakketautomaat',
  free: 'Gratis',
  showMore: { one: 'Toon {count} andere optie', other: 'Toon {count} andere opties' },
  outOfStock: 'Momenteel niet op voorraad.',
  noService: 'We leveren nog niet op dit adres.',
  unknownSku: 'Dit product kan niet worden geleverd.',
  partial: 'Sommige artikelen kunnen niet worden geleverd: de data gelden voor de rest.',
  unavailable: 'Leverdata zijn nu niet beschikbaar.',
  loading: 'Leverdata worden berekend…',
  fromDate: 'Verzonden zodra weer op voorraad op {date}',
};

export default strings;
