import type { Strings } from '../string-table.ts';

const strings: Strings = {
  deliveredOn: 'Livraison estimée {date}',
  deliveredBetween: 'Livraison estimée {range}',
  tomorrow: 'demain, {date}',
  today: "aujourd'hui, {date}",
  orderWithin: 'Commandez dans les {time}',
  deliverTo: 'Livraison à {code}',
  deliverToCountry: 'Livraison : {country}',
  change: 'modifier',
  country: 'Pays',
  postalCode: 'Code postal',
  apply: 'Valider',
  cancel: 'Annuler',
  options: 'Modes de livraison',
  fastest: 'Le plus rapide',
  cheapest: 'Le moins cher',
  home: 'À domicile',
  pickup_point: 'Point relais',
  locker: 'Consigne',
  free: 'Gratuit',
  showMore: { one: 'Voir {count} autre mode', other: 'Voir {count} autres modes' },
  outOfStock: 'Actuellement en rupture de stock.',
  noService: 'Nous ne livrons pas encore à cette adresse.',
  unknownSku: 'Ce produit ne peut pas être livré.',
  partial: 'Certains articles ne peuvent pas être livrés : les dates concernent les autres.',
  unavailable: 'Les dates de livraison sont momentanément indisponibles.',
  loading: 'Calcul des dates de livraison…',
  fromDate: 'Expédié dès le retour en stock le {date}',
};

export default strings;
