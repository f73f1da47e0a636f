import { describe, expect, it } from 'vitest';
import type { DeliveryOption } from '../../../shared/src/promise.ts';
import { baseConfig, promiseAt } from '../../../test/fixtures/merchant.ts';
import { compileMerchant } from '../promise/merchant.ts';
import type { PromiseClaims } from '../promise-token.ts';
import { gotWorse, planShipments, reservationsOf, sameCart } from './plan-order.ts';

const AT = '2026-11-23T09:00:00Z'; // Monday 10:00 in Paris
const config = baseConfig();
const merchant = compileMerchant(config);
const plan = (lines: { sku: string; quantity: number }[], levels?: Parameters<typeof promiseAt>[1]['levels']) => {
  const promise = promiseAt(config, { at: AT, lines, ...(levels ? { levels } : {}) });
  const option = promise.options[0] as DeliveryOption;
  let n = 0;
  return planShipments(option, promise, merchant, () => `shp_${++n}`);
};

describe('planShipments', () => {
  it('plans one pending shipment per shipment of the option, with its dates and no tracking number yet', () => {
    const [shipment, ...rest] = plan([{ sku: 'MUG-01', quantity: 2 }]);
    expect(rest).toEqual([]);
    expect(shipment).toMatchObject({
      id: 'shp_1',
      warehouse: 'paris',
      carrier: 'colissimo',
      service: 'colissimo-home',
      items: [{ sku: 'MUG-01', quantity: 2 }],
      reservations: [{ sku: 'MUG-01', quantity: 2, backorder: false }],
      dispatchDate: '2026-11-23',
      promisedDelivery: { earliest: '2026-11-24', latest: '2026-11-25' },
      status: 'pending',
      trackingNumber: null,
    });
  });

  it('reserves a bundle through its components, adding up a component the cart also holds on its own', () => {
    const [shipment] = plan([
      { sku: 'GIFT-01', quantity: 2 },
      { sku: 'MUG-01', quantity: 1 },
    ]);
    expect(shipment?.reservations).toEqual([
      { sku: 'MUG-01', quantity: 5, backorder: false },
      { sku: 'TEE-02', quantity: 2, backorder: false },
    ]);
  });

  it('reserves a line promised from incoming stock as a backorder', () => {
    const levels = [
      {
        warehouse: 'paris',
        sku: 'MUG-01',
        onHand: 0,
        reserved: 0,
        safetyStock: 0,
        incoming: [{ quantity: 10, expectedAt: '2026-11-30' }],
      },
      { warehouse: 'paris', sku: 'TEE-02', onHand: 5, reserved: 0, safetyStock: 0, incoming: [] },
    ];
    const [shipment] = plan([{ sku: 'MUG-01', quantity: 3 }], levels);
    expect(shipment?.reservations).toEqual([{ sku: 'MUG-01', quantity: 3, backorder: true }]);
    expect(reservationsOf(shipment ? [shipment] : [])).toEqual([
      { warehouse: 'paris', sku: 'MUG-01', quantity: 3, backorder: true },
    ]);
  });
});

describe('gotWorse', () => {
  const fresh = (latest: string, amount: number) =>
    ({ delivery: { earliest: '2026-11-24', latest }, price: { amount, currency: 'EUR' } }) as DeliveryOption;
  const shown: PromiseClaims['options'][number] = ['colissimo-home', 759, '2026-11-24', '2026-11-25'];

  it('is worse when the latest date moved later or the price went up', () => {
    expect(gotWorse(shown, fresh('2026-11-26', 759))).toBe(true);
    expect(gotWorse(shown, fresh('2026-11-25', 760))).toBe(true);
  });

  it('is not worse when the date is earlier or the same and the price lower or the same', () => {
    expect(gotWorse(shown, fresh('2026-11-24', 700))).toBe(false);
    expect(gotWorse(shown, fresh('2026-11-25', 759))).toBe(false);
  });
});

describe('sameCart', () => {
  const claims = {
    lines: [
      ['MUG-01', 2],
      ['TEE-02', 1],
    ],
    destination: ['FR', '75011'],
  } as unknown as PromiseClaims;

  it('matches the same lines in another order and the postal code in another case or spacing', () => {
    const lines = [
      { sku: 'TEE-02', quantity: 1 },
      { sku: 'MUG-01', quantity: 2 },
    ];
    expect(sameCart(claims, lines, ['FR', ' 750 11'])).toBe(true);
  });

  it('does not match another quantity, another country or another postal code', () => {
    const lines = [
      { sku: 'MUG-01', quantity: 2 },
      { sku: 'TEE-02', quantity: 1 },
    ];
    expect(
      sameCart(claims, [{ sku: 'MUG-01', quantity: 3 }, lines[1] as (typeof lines)[number]], ['FR', '75011']),
    ).toBe(false);
    expect(sameCart(claims, lines, ['BE', '75011'])).toBe(false);
    expect(sameCart(claims, lines, ['FR', '75012'])).toBe(false);
  });
});
