import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../../shared/src/orders.ts';
import { baseConfig } from '../../../test/fixtures/merchant.ts';
import { compileMerchant } from '../promise/merchant.ts';
import { validateOrderRequest } from './validate-order.ts';

const merchant = compileMerchant(baseConfig());
const request = (overrides: Partial<OrderRequest> = {}): OrderRequest => ({
  reference: 'R-1',
  optionId: 'colissimo-home',
  items: [{ sku: 'MUG-01', quantity: 2, unitPrice: 1000 }],
  shippingAddress: { name: 'Ada', line1: '1 rue', postalCode: '75011', city: 'Paris', country: 'FR' },
  totals: { items: 2000, shipping: 500, tax: 0, total: 2500, currency: 'EUR' },
  ...overrides,
});

describe('validateOrderRequest', () => {
  it('passes a request whose totals add up', () => {
    expect(validateOrderRequest(request(), merchant)).toEqual([]);
  });

  it('names each problem by field: unknown and repeated skus, a postal code of another format, bad totals', () => {
    const problems = validateOrderRequest(
      request({
        items: [
          { sku: 'GHOST', quantity: 1, unitPrice: 100 },
          { sku: 'MUG-01', quantity: 1, unitPrice: 100 },
          { sku: 'MUG-01', quantity: 1, unitPrice: 100 },
        ],
        shippingAddress: { name: 'Ada', line1: '1 rue', postalCode: 'SW1A 1AA', city: 'Paris', country: 'FR' },
        totals: { items: 999, shipping: 0, tax: 0, total: 1, currency: 'USD' },
      }),
      merchant,
    );
    expect(problems).toEqual([
      { field: 'shippingAddress.postalCode', code: 'invalid_for_country' },
      { field: 'items[0].sku', code: 'unknown_sku' },
      { field: 'items[2].sku', code: 'duplicate_sku' },
      { field: 'totals.items', code: 'does_not_add_up' },
      { field: 'totals.total', code: 'does_not_add_up' },
      { field: 'totals.currency', code: 'currency_mismatch' },
    ]);
  });

  it('refuses a country that does not exist', () => {
    const address = { name: 'Ada', line1: '1 rue', postalCode: '1', city: 'X', country: 'ZZ' };
    expect(validateOrderRequest(request({ shippingAddress: address }), merchant)).toEqual([
      { field: 'shippingAddress.country', code: 'unknown_country' },
    ]);
  });
});
