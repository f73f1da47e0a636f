/**
 * PrestaShop's webservice orders (JSON output, `display=full`) read as a booking (CONTRACT §8). The poller puts
 * an order together with the resources it points to (its delivery address, that address's country, its
 * currency and its customer), since the order itself holds only their ids. Amounts are taken with tax, as the
 * shopper paid them (`tax: 0`, as for prices that include tax); the reference is the order's `reference`.
 */
import type { ChannelConfig } from '../../../shared/src/config.ts';
import {
  amountReader,
  type ChannelOrder,
  channelOrder,
  chooseOption,
  type FieldProblem,
  type Json,
  normalizeAddress,
  jsonObject as object,
  jsonObjects as objects,
  orderLines,
  jsonText as str,
} from './channel-order.ts';

/** An order as the poller fetched it, with what it refers to. */
export interface PrestaShopOrder {
  order: Json;
  address: Json;
  /** the address's country's ISO code */
  countryIso: string;
  /** the order's currency's ISO code */
  currencyIso: string;
  customer: Json;
}

/** PrestaShop's order states that withdraw an order: 6 Canceled, 8 Payment error (a default install's ids). */
export const DEFAULT_CANCELLED_STATES = [6, 8] as const;

/** The states that withdraw an order on this channel. */
export const cancelledStatesOf = (channel: ChannelConfig): readonly number[] =>
  channel.cancelledStates ?? DEFAULT_CANCELLED_STATES;

/**
 * `topic` is what the poller saw: `orders` (a new order: booked unless already withdrawn) or `orders/cancelled`
 * (a known order now in a withdrawing state: its booking is cancelled).
 */
export function readPrestaShopOrder(stored: Json, channel: ChannelConfig, topic = 'orders'): ChannelOrder {
  // Read as stored by the poller, defensively: a job written under another channel type reads as nothing.
  const order = object(stored.order);
  const address = object(stored.address);
  const customer = object(stored.customer);
  const countryIso = str(stored.countryIso);
  const problems: FieldProblem[] = [];
  const currency = str(stored.currencyIso).toUpperCase();
  const amount = amountReader(currency, problems);
  const rows = objects(object(order.associations).order_rows);
  const lines = orderLines(
    rows.map((row, i) => {
      const quantity = Number(str(row.product_quantity));
      const unit = amount(row.unit_price_tax_incl, `order_rows[${i}].unit_price_tax_incl`);
      return { sku: str(row.product_reference).trim(), quantity, amount: unit * quantity };
    }),
  );
  problems.push(...lines.problems);
  const { items } = lines;
  const chosen = chooseOption(channel, new Map(), [str(order.id_carrier)]);
  if (!chosen) problems.push({ field: 'id_carrier', code: 'no_option' });
  const request = {
    reference: (str(order.reference) || str(order.id)).slice(0, 100),
    channel: channel.id,
    optionId: chosen?.optionId ?? 'none',
    items,
    shippingAddress: normalizeAddress({
      firstName: address.firstname,
      lastName: address.lastname,
      company: address.company,
      line1: address.address1,
      line2: address.address2,
      postalCode: address.postcode,
      city: address.city,
      country: countryIso,
      phone: str(address.phone_mobile) || address.phone,
      email: customer.email,
    }),
    totals: {
      items: items.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0),
      shipping: amount(order.total_shipping_tax_incl ?? '0', 'total_shipping_tax_incl'),
      tax: 0,
      total: amount(order.total_paid_tax_incl, 'total_paid_tax_incl'),
      currency,
    },
  };
  const withdrawn = cancelledStatesOf(channel).map(String).includes(str(order.current_state));
  const action = topic === 'orders/cancelled' ? (withdrawn ? 'cancel' : 'ignore') : withdrawn ? 'ignore' : 'book';
  return channelOrder(str(order.id), action, request, problems);
}
