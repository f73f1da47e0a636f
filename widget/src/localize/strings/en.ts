import type { Strings } from '../string-table.ts';

const strings: Strings = {
  deliveredOn: 'Estimated delivery {date}',
  deliveredBetween: 'Estimated delivery {range}',
  tomorrow: 'tomorrow, {date}',
  today: 'today, {date}',
  orderWithin: 'Order within {time}',
  deliverTo: 'Delivery to {code}',
  deliverToCountry: 'Delivery to {country}',
  change: 'change',
  country: 'Country',
  postalCode: 'Postal code',
  apply: 'Update',
  cancel: 'Cancel',
  options: 'Delivery options',
  fastest: 'Fastest',
  cheapest: 'Cheapest',
  home: 'Home delivery',
  pickup_point: 'Pickup point',
  locker: 'Parcel locker',
  free: 'Free',
  showMore: { one: 'Show {count} more option', other: 'Show {count} more options' },
  outOfStock: 'Currently out of stock.',
  noService: 'We cannot deliver to this address yet.',
  unknownSku: 'This product cannot be delivered.',
  partial: 'Some items cannot be delivered: the dates cover the others.',
  unavailable: 'Delivery dates are not available right now.',
  loading: 'Loading delivery dates…',
  fromDate: 'Ships once back in stock on {date}',
};

export default strings;
