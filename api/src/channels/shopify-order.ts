/**
 * Shopify's order webhooks (REST Admin API order JSON) read as a booking (CONTRACT §8). The order id is taken
 * digit for digit (ids exceed 2^53: the body is parsed without turning it into a JS number, and
 * `admin_graphql_api_id` says the same); the reference is the order's `name` (`#1001`); amounts are Shopify's
 * decimal strings in the order's currency.
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

/** The order's id as an exact string: the `id` as parsed losslessly, else the digits of its GraphQL id. */
export function shopifyOrderId(order: Json): string {
  const id = str(order.id);
  if (/^\d{1,30}$/.test(id)) return id;
  return /^gid:\/\/shopify\/Order\/(\d{1,30})$/.exec(str(order.admin_graphql_api_id))?.[1] ?? '';
}

/**
 * What a topic asks of the order: orders/create books (unless it is already cancelled), orders/cancelled
 * cancels. The topic header is not signed, so a cancellation also needs the signed body to say so
 * (`cancelled_at`): a captured orders/create body sent again as orders/cancelled cancels nothing.
 */
function actionOf(topic: string, order: Json): ChannelAction {
  if (topic === 'orders/cancelled') return order.cancelled_at ? 'cancel' : 'ignore';
  if (topic === 'orders/create') return order.cancelled_at ? 'ignore' : 'book';
  return 'ignore';
}

export function readShopifyOrder(order: Json, topic: string, channel: ChannelConfig): ChannelOrder {
  const problems: FieldProblem[] = [];
  const currency = str(order.currency).toUpperCase();
  const amount = amountReader(currency, problems);
  // What the shopper pays for a line or a shipping line: its price less the discounts allocated to it.
  const discounts = (line: Json, field: string) =>
    objects(line.discount_allocations).reduce(
      (sum, d, j) => sum + amount(d.amount, `${field}.discount_allocations[${j}]`),
      0,
    );
  const lines = orderLines(
    objects(order.line_items).map((line, i) => {
      const quantity = Number(str(line.quantity));
      const field = `line_items[${i}]`;
      return {
        sku: str(line.sku).trim(),
        quantity,
        amount: amount(line.price, `${field}.price`) * quantity - discounts(line, field),
      };
    }),
  );
  problems.push(...lines.problems);
  const shippingLines = objects(order.shipping_lines);
  const shipping = shippingLines.reduce((sum, line, i) => {
    const field = `shipping_lines[${i}]`;
    return sum + amount(line.price, `${field}.price`) - discounts(line, field);
  }, 0);
  const { items } = lines;
  const itemsTotal = items.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  // Prices that include tax book as they are, with no tax on top (CONTRACT §8).
  const tax = order.taxes_included === true ? 0 : amount(order.total_tax ?? '0', 'total_tax');
  const total = amount(order.total_price, 'total_price');
  const address = object(order.shipping_address);
  const chosen = chooseOption(
    channel,
    attributeMap(order.note_attributes, 'name'),
    shippingLines.flatMap((line) => [str(line.code), str(line.title)]).filter(Boolean),
  );
  if (!chosen) problems.push({ field: 'shipping_lines', code: 'no_option' });
  const request = {
    reference: str(order.name).slice(0, 100) || `#${str(order.order_number)}`,
    channel: channel.id,
    ...(chosen?.promiseId ? { promiseId: chosen.promiseId } : {}),
    optionId: chosen?.optionId ?? 'none',
    items,
    shippingAddress: normalizeAddress({
      name: address.name,
      firstName: address.first_name,
      lastName: address.last_name,
      company: address.company,
      line1: address.address1,
      line2: address.address2,
      postalCode: address.zip,
      city: address.city,
      country: address.country_code ?? address.country,
      phone: address.phone ?? order.phone,
      email: order.email ?? order.contact_email,
    }),
    totals: { items: itemsTotal, shipping, tax, total, currency },
  };
  const action = actionOf(topic, order);
  return channelOrder(shopifyOrderId(order), action, request, problems);
}
