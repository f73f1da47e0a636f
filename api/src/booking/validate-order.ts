/**
 * Checks a booking request against the merchant before anything is reserved: known skus, the postal code's
 * format for its country, totals that add up, the merchant's currency. Each problem is a `{field, code}`.
 */
import { postcodeValidator, postcodeValidatorExistsForCountry } from 'postcode-validator';
import type { ErrorDetail } from '../../../shared/src/errors.ts';
import type { OrderRequest } from '../../../shared/src/orders.ts';
import { isKnownCountry } from '../config/validate-config.ts';
import type { Merchant } from '../promise/merchant.ts';

/** An address's problems: a country that is none, a postal code not in its country's format. */
export function addressProblems(address: OrderRequest['shippingAddress'], field: string): ErrorDetail[] {
  const country = address.country.toUpperCase();
  if (!isKnownCountry(country)) return [{ field: `${field}.country`, code: 'unknown_country' }];
  if (postcodeValidatorExistsForCountry(country) && !postcodeValidator(address.postalCode, country))
    return [{ field: `${field}.postalCode`, code: 'invalid_for_country' }];
  return [];
}

export function validateOrderRequest(request: OrderRequest, merchant: Merchant): ErrorDetail[] {
  const problems: ErrorDetail[] = addressProblems(request.shippingAddress, 'shippingAddress');
  const seen = new Set<string>();
  request.items.forEach((item, index) => {
    if (!merchant.products.has(item.sku)) problems.push({ field: `items[${index}].sku`, code: 'unknown_sku' });
    if (seen.has(item.sku)) problems.push({ field: `items[${index}].sku`, code: 'duplicate_sku' });
    seen.add(item.sku);
  });
  const itemsTotal = request.items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
  const { totals } = request;
  if (totals.items !== itemsTotal) problems.push({ field: 'totals.items', code: 'does_not_add_up' });
  if (totals.total !== totals.items + totals.shipping + totals.tax)
    problems.push({ field: 'totals.total', code: 'does_not_add_up' });
  if (totals.currency !== merchant.currency) problems.push({ field: 'totals.currency', code: 'currency_mismatch' });
  return problems;
}
