/**
 * WooCommerce's order webhooks (the REST API v3 order JSON) read as a booking (CONTRACT §8). The reference is
 * the order's `number`; a line's unit price is its total (after coupons, before tax) over its quantity, so that
 * the lines, the shipping and the tax add up to the order's total as WooCommerce computed it.
 */
import type { ChannelConfig } from '../../../shared/src/config.ts';
import {
  amountReader,
  attributeMap,
  type ChannelAction,
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

/** Statuses of orders that will not be fulfilled: never booked, and a booked one is cancelled. */
const WITHDRAWN = new Set(['cancelled', 'failed', 'trash']);
/** Statuses that book nothing new and change nothing booked (a refund after delivery is a return's business). */
const LEFT_ALONE = new Set(['refunded', 'checkout-draft']);

/**
 * order.created books; order.updated books an order not booked yet, or cancels one now withdrawn. The status
 * is in the signed body, so a body sent again under another topic header changes nothing it does not say.
 */
function actionOf(topic: string, status: string): ChannelAction {
  if (topic !== 'order.created' && topic !== 'order.updated') return 'ignore';
  if (WITHDRAWN.has(status)) return topic === 'order.updated' ? 'cancel' : 'ignore';
  return LEFT_ALONE.has(status) ? 'ignore' : 'book';
}

export function readWooCommerceOrder(order: Json, topic: string, channel: ChannelConfig): ChannelOrder {
  const problems: FieldProblem[] = [];
  const currency = str(order.currency).toUpperCase();
  const amount = amountReader(currency, problems);
  const lines = orderLines(
    objects(order.line_items).map((line, i) => ({
      sku: str(line.sku).trim(),
      quantity: Number(str(line.quantity)),
      amount: amount(line.total, `line_items[${i}].total`),
    })),
  );
  problems.push(...lines.problems);
  const { items } = lines;
  const shippingLines = objects(order.shipping_lines);
  const shipping = amount(order.shipping_total ?? '0', 'shipping_total');
  const tax = amount(order.total_tax ?? '0', 'total_tax');
  const total = amount(order.total, 'total');
  const itemsTotal = items.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  const shippingAddress = object(order.shipping);
  const billing = object(order.billing);
  // An order without a shipping address ships to the billing one, as WooCommerce itself does.
  const address = str(shippingAddress.address_1) ? shippingAddress : billing;
  const chosen = chooseOption(
    channel,
    attributeMap(order.meta_data, 'key'),
    shippingLines.flatMap((line) => [`${str(line.method_id)}:${str(line.instance_id)}`, str(line.method_id)]),
  );
  if (!chosen) problems.push({ field: 'shipping_lines', code: 'no_option' });
  const request = {
    reference: (str(order.number) || str(order.id)).slice(0, 100),
    channel: channel.id,
    ...(chosen?.promiseId ? { promiseId: chosen.promiseId } : {}),
    optionId: chosen?.optionId ?? 'none',
    items,
    shippingAddress: normalizeAddress({
      firstName: address.first_name,
      lastName: address.last_name,
      company: address.company,
      line1: address.address_1,
      line2: address.address_2,
      postalCode: address.postcode,
      city: address.city,
      country: address.country,
      phone: str(shippingAddress.phone) || billing.phone,
      email: billing.email,
    }),
    totals: { items: itemsTotal, shipping, tax, total, currency },
  };
  const action = actionOf(topic, str(order.status));
  return channelOrder(str(order.id), action, request, problems);
}
