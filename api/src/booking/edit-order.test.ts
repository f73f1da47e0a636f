import { describe, expect, it } from 'vitest';
import type { Order, Shipment } from '../../../shared/src/orders.ts';
import { baseConfig } from '../../../test/fixtures/merchant.ts';
import { seedLevels, stockViewOf } from '../promise/availability.ts';
import { computePromise, merchantCaches } from '../promise/compute-promise.ts';
import { compileMerchant } from '../promise/merchant.ts';
import { decideEdit, editable } from './edit-order.ts';

const config = baseConfig();
const merchant = compileMerchant(config);
const now = Date.parse('2026-11-23T09:00:00Z');
const shipment = (changes: Partial<Shipment> = {}): Shipment => ({
  id: 'shp_1',
  warehouse: 'paris',
  carrier: 'colissimo',
  service: 'colissimo-home',
  items: [
    { sku: 'MUG-01', quantity: 2 },
    { sku: 'TEE-02', quantity: 1 },
  ],
  reservations: [
    { sku: 'MUG-01', quantity: 2, backorder: false },
    { sku: 'TEE-02', quantity: 1, backorder: false },
  ],
  dispatchDate: '2026-11-20',
  promisedDelivery: { earliest: '2026-11-21', latest: '2026-11-22' },
  status: 'pending',
  trackingNumber: null,
  ...changes,
});
const order = (changes: Partial<Order> = {}): Order =>
  ({
    id: 'ord_1',
    status: 'accepted',
    optionId: 'colissimo-home',
    items: [
      { sku: 'MUG-01', quantity: 2, unitPrice: 1290 },
      { sku: 'TEE-02', quantity: 1, unitPrice: 1990 },
    ],
    shippingAddress: { name: 'A', line1: '1 rue', postalCode: '75011', city: 'Paris', country: 'FR' },
    totals: { items: 4570, shipping: 500, tax: 100, total: 5170, currency: 'EUR' },
    shipments: [shipment()],
    timeline: [],
    ...changes,
  }) as unknown as Order;
/** A fresh quote for `lines` to `postalCode`, on the config's own stock. */
const quote = (lines: { sku: string; quantity: number }[], country = 'FR', postalCode = '75011') =>
  computePromise(
    { lines, country, postalCode },
    { now, merchant, stock: stockViewOf(seedLevels(config.inventory ?? [])), ...merchantCaches(merchant) },
  );
const context = (fresh = quote([{ sku: 'MUG-01', quantity: 1 }])) => ({ now, actor: 'api_key:k1', fresh });

describe('decideEdit', () => {
  it('lowers a line and removes another, releasing exactly their units, with totals that follow', () => {
    const decision = decideEdit(order(), { items: [{ sku: 'MUG-01', quantity: 1 }] }, merchant, context());
    expect(decision).toMatchObject({
      ok: true,
      order: {
        items: [{ sku: 'MUG-01', quantity: 1, unitPrice: 1290 }],
        totals: { items: 1290, shipping: 500, tax: 100, total: 1890 },
        shipments: [{ items: [{ sku: 'MUG-01', quantity: 1 }], reservations: [{ sku: 'MUG-01', quantity: 1 }] }],
      },
      outbox: [{ type: 'order.updated' }],
    });
    expect(decision.ok && decision.releases).toEqual([
      { warehouse: 'paris', sku: 'MUG-01', quantity: 1, backorder: false },
      { warehouse: 'paris', sku: 'TEE-02', quantity: 1, backorder: false },
    ]);
  });

  it("gives each shipment the fresh option's dates", () => {
    const fresh = quote(order().items);
    const option = fresh.options.find((o) => o.id === 'colissimo-home');
    const decision = decideEdit(order(), { shippingAddress: order().shippingAddress }, merchant, context(fresh));
    expect(decision.ok && decision.order.shipments[0]?.promisedDelivery).toEqual(option?.delivery);
    expect(decision.ok && decision.releases).toEqual([]);
  });

  it('refuses once a label exists, and for a cancelled order', () => {
    for (const stored of [
      order({ shipments: [shipment({ trackingNumber: 'CA1', status: 'label_created' })] }),
      order({ status: 'cancelled' }),
    ]) {
      expect(editable(stored)).toBe(false);
      expect(decideEdit(stored, { items: [{ sku: 'MUG-01', quantity: 1 }] }, merchant, context())).toMatchObject({
        ok: false,
        error: { type: 'conflict', code: 'not_editable' },
      });
    }
  });

  it('refuses a sku the order lacks, more than ordered, a repeated sku, naming each line', () => {
    const decision = decideEdit(
      order(),
      {
        items: [
          { sku: 'GIFT-01', quantity: 1 },
          { sku: 'MUG-01', quantity: 3 },
          { sku: 'MUG-01', quantity: 1 },
        ],
      },
      merchant,
      context(),
    );
    expect(decision.ok ? [] : decision.error.details).toEqual([
      { field: 'items[0].sku', code: 'not_in_order' },
      { field: 'items[1].quantity', code: 'more_than_ordered' },
      { field: 'items[2].sku', code: 'duplicate_sku' },
    ]);
  });

  it('refuses with the options that serve it when the option no longer does', () => {
    const decision = decideEdit(
      order(),
      { items: [{ sku: 'MUG-01', quantity: 1 }] },
      merchant,
      context(quote([{ sku: 'MUG-01', quantity: 1 }], 'US', '10001')),
    );
    expect(decision).toMatchObject({ ok: false, error: { type: 'conflict', code: 'promise_expired', details: [] } });
  });
});
