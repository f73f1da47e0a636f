import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../../shared/src/orders.ts';
import { baseConfig, promiseAt } from '../../../test/fixtures/merchant.ts';
import { compileMerchant } from '../promise/merchant.ts';
import type { PromiseClaims } from '../promise-token.ts';
import { type BookingContext, decideBooking } from './decide-booking.ts';

const AT = '2026-11-23T09:00:00Z'; // Monday 10:00 in Paris: ships today, delivered 24–25 November
const config = baseConfig();
const merchant = compileMerchant(config);
const request: OrderRequest = {
  reference: 'R-1',
  optionId: 'colissimo-home',
  items: [{ sku: 'MUG-01', quantity: 2, unitPrice: 1000 }],
  shippingAddress: { name: 'Ada', line1: '1 rue', postalCode: '75011', city: 'Paris', country: 'fr' },
  totals: { items: 2000, shipping: 0, tax: 0, total: 2000, currency: 'EUR' },
};
let ids = 0;
const context = (overrides: Partial<BookingContext> = {}): BookingContext => ({
  merchant,
  fresh: promiseAt(config, { at: AT, lines: [{ sku: 'MUG-01', quantity: 2 }] }),
  now: Date.parse(AT),
  newId: (prefix) => `${prefix}_${++ids}`,
  actor: 'api_key:k1',
  ...overrides,
});
const claims = (overrides: Partial<PromiseClaims> = {}): PromiseClaims => ({
  merchant: 'test',
  lines: [['MUG-01', 2]],
  destination: ['FR', '75011'],
  options: [['colissimo-home', 759, '2026-11-26', '2026-11-27']],
  expiresAt: Date.parse(AT) + 60_000,
  ...overrides,
});

describe('decideBooking', () => {
  it('books the chosen option: one shipment reserving the line, order.accepted and shipment.requested', () => {
    const decision = decideBooking(request, context());
    expect(decision.ok).toBe(true);
    if (!decision.ok) return;
    expect(decision.order).toMatchObject({
      status: 'accepted',
      reference: 'R-1',
      shippingAddress: { country: 'FR' },
      shipments: [{ warehouse: 'paris', status: 'pending', promisedDelivery: { earliest: '2026-11-24' } }],
      timeline: [{ type: 'order.accepted', actor: 'api_key:k1' }],
    });
    expect(decision.reservations).toEqual([{ warehouse: 'paris', sku: 'MUG-01', quantity: 2, backorder: false }]);
    expect(decision.outbox.map((m) => m.type)).toEqual(['order.accepted', 'shipment.requested']);
  });

  it('refuses as a conflict a line that cannot be delivered now', () => {
    const fresh = promiseAt(config, { at: AT, lines: [{ sku: 'MUG-01', quantity: 500 }] });
    const decision = decideBooking(request, context({ fresh }));
    expect(decision).toMatchObject({
      ok: false,
      refusal: { type: 'conflict', code: 'out_of_stock', details: [{ field: 'items[0]', sku: 'MUG-01' }] },
    });
  });

  it('refuses an option the cart is not offered', () => {
    expect(decideBooking({ ...request, optionId: 'teleport' }, context())).toMatchObject({
      ok: false,
      refusal: { type: 'invalid', details: [{ field: 'optionId', code: 'not_offered' }] },
    });
  });

  it('keeps the dates the shopper saw while the promise holds', () => {
    const decision = decideBooking({ ...request, promiseId: 'prm_x' }, context({ claims: claims() }));
    expect(decision.ok && decision.order.shipments[0]?.promisedDelivery).toEqual({
      earliest: '2026-11-26',
      latest: '2026-11-27',
    });
  });

  it('books at the new terms after the promise expired, when the option got no worse', () => {
    const expired = claims({
      expiresAt: Date.parse(AT) - 1,
      options: [['colissimo-home', 759, '2026-11-24', '2026-11-25']],
    });
    const decision = decideBooking({ ...request, promiseId: 'prm_x' }, context({ claims: expired }));
    expect(decision.ok && decision.order.shipments[0]?.promisedDelivery.latest).toBe('2026-11-25');
  });

  it('refuses an expired promise whose option got later or dearer, with the new options', () => {
    const expired = claims({
      expiresAt: Date.parse(AT) - 1,
      options: [['colissimo-home', 100, '2026-11-24', '2026-11-25']],
    });
    expect(decideBooking({ ...request, promiseId: 'prm_x' }, context({ claims: expired }))).toMatchObject({
      ok: false,
      refusal: { type: 'conflict', code: 'promise_expired', details: [{ id: 'colissimo-home' }] },
    });
  });

  it('says an expired promise got worse, and a live one whose option is gone can no longer be delivered', () => {
    const noOption = { ...context().fresh, options: [] };
    const refusal = (expiresAt: number) =>
      decideBooking({ ...request, promiseId: 'prm_x' }, context({ fresh: noOption, claims: claims({ expiresAt }) }));
    expect(refusal(Date.parse(AT) - 1)).toMatchObject({
      refusal: { code: 'promise_expired', message: 'The promise expired and the chosen option got worse.' },
    });
    expect(refusal(Date.parse(AT) + 60_000)).toMatchObject({
      refusal: { code: 'promise_expired', message: 'The chosen option can no longer be delivered.' },
    });
  });

  it("refuses a promise that does not verify, is another merchant's, or is for another cart", () => {
    const field = (c: PromiseClaims | null) =>
      decideBooking({ ...request, promiseId: 'prm_x' }, context({ claims: c })).ok === false;
    expect(field(null)).toBe(true);
    expect(field(claims({ merchant: 'other' }))).toBe(true);
    expect(
      decideBooking({ ...request, promiseId: 'prm_x' }, context({ claims: claims({ lines: [['MUG-01', 1]] }) })),
    ).toMatchObject({
      refusal: { details: [{ field: 'promiseId', code: 'does_not_match_order' }] },
    });
  });
});
