import { describe, expect, it } from 'vitest';
import type { Order, Shipment } from '../../../shared/src/orders.ts';
import type { Return } from '../../../shared/src/returns.ts';
import { baseConfig } from '../../../test/fixtures/merchant.ts';
import { compileMerchant } from '../promise/merchant.ts';
import { inspectReturn, refundOf, requestReturn, returnables, returnParcel, trackReturn } from './decide-return.ts';

const merchant = compileMerchant(baseConfig());
const now = Date.parse('2026-11-26T09:00:00Z');
const context = { merchant, actor: 'api_key:k1', now };
const shipment = (id: string, deliveredAt: string | null, items: Shipment['items']): Shipment => ({
  id,
  warehouse: 'paris',
  carrier: 'colissimo',
  service: 'colissimo-home',
  items,
  reservations: items.map((i) => ({ ...i, backorder: false })),
  dispatchDate: '2026-11-23',
  promisedDelivery: { earliest: '2026-11-24', latest: '2026-11-25' },
  status: deliveredAt ? 'delivered' : 'in_transit',
  trackingNumber: `TN-${id}`,
  deliveredAt,
});
const order = (changes: Partial<Order> = {}): Order =>
  ({
    id: 'ord_1',
    status: 'delivered',
    items: [
      { sku: 'MUG-01', quantity: 3, unitPrice: 1290 },
      { sku: 'GIFT-01', quantity: 1, unitPrice: 4990 },
    ],
    totals: { items: 8860, shipping: 590, tax: 0, total: 9450, currency: 'EUR' },
    shipments: [
      shipment('shp_a', '2026-11-24T10:00:00Z', [{ sku: 'MUG-01', quantity: 2 }]),
      shipment('shp_b', '2026-11-25T10:00:00Z', [
        { sku: 'MUG-01', quantity: 1 },
        { sku: 'GIFT-01', quantity: 1 },
      ]),
    ],
    timeline: [],
    ...changes,
  }) as unknown as Order;

const requested = (o: Order, items: { sku: string; quantity: number; reason: 'changed_mind' | 'damaged' }[]) => {
  const decision = requestReturn(o, { method: 'label', items }, 'ret_1', context);
  if (!decision.ok) throw new Error(JSON.stringify(decision.error));
  return decision;
};

describe('requestReturn', () => {
  it('takes units from the oldest delivery first, splitting a line across shipments', () => {
    const { ret, order: after, outbox } = requested(order(), [{ sku: 'MUG-01', quantity: 3, reason: 'changed_mind' }]);
    expect(ret.items.map((l) => [l.shipmentId, l.quantity])).toEqual([
      ['shp_a', 2],
      ['shp_b', 1],
    ]);
    expect(after.returns).toEqual([ret]);
    expect(returnables(after, merchant, now).every((r) => r.sku !== 'MUG-01' || r.quantity === 0)).toBe(true);
    expect(outbox).toEqual([
      {
        type: 'return.requested',
        orderId: 'ord_1',
        payload: { orderId: 'ord_1', returnId: 'ret_1', status: 'requested' },
      },
    ]);
  });

  it('closes each shipment on its own delivery date: the older one may be out of its window while the newer is not', () => {
    const late = { ...context, now: Date.parse('2026-12-25T12:00:00Z') }; // the 24th's window ended yesterday
    const decision = requestReturn(
      order(),
      { method: 'label', items: [{ sku: 'MUG-01', quantity: 2, reason: 'changed_mind' }] },
      'ret_1',
      late,
    );
    expect(decision).toMatchObject({
      ok: false,
      error: {
        code: 'not_returnable',
        details: [{ field: 'items[0].quantity', code: 'more_than_returnable', returnable: 1 }],
      },
    });
  });
});

describe('requestReturn across warehouses', () => {
  it('asks for one return per warehouse when the policy names none, and counts a return rejected once received', () => {
    const twoWarehouses = order({
      shipments: [
        shipment('shp_a', '2026-11-24T10:00:00Z', [{ sku: 'MUG-01', quantity: 2 }]),
        { ...shipment('shp_b', '2026-11-25T10:00:00Z', [{ sku: 'MUG-01', quantity: 1 }]), warehouse: 'lyon' },
      ],
    });
    const decision = requestReturn(
      twoWarehouses,
      { method: 'label', items: [{ sku: 'MUG-01', quantity: 3, reason: 'changed_mind' }] },
      'ret_1',
      context,
    );
    expect(decision).toMatchObject({
      ok: false,
      error: {
        code: 'not_returnable',
        details: [{ field: 'items', code: 'several_warehouses', warehouses: ['paris', 'lyon'] }],
      },
    });
    const { order: asked } = requested(twoWarehouses, [{ sku: 'MUG-01', quantity: 2, reason: 'changed_mind' }]);
    const rejected = (withReceipt: boolean) =>
      ({
        ...asked,
        returns: asked.returns?.map((r) => ({
          ...r,
          status: 'rejected' as const,
          timeline: withReceipt
            ? [...r.timeline, { at: '', type: 'return.received', actor: 'x', message: '' }]
            : r.timeline,
        })),
      }) as Order;
    const left = (o: Order) => returnables(o, merchant, now).reduce((sum, r) => sum + r.quantity, 0);
    expect(left(rejected(false))).toBe(3);
    expect(left(rejected(true))).toBe(1);
  });
});

describe('inspectReturn', () => {
  it('restocks a resellable bundle as its components, and records the inspection and the refund', () => {
    const { order: asked } = requested(order(), [{ sku: 'GIFT-01', quantity: 1, reason: 'damaged' }]);
    const received = {
      ...asked,
      returns: asked.returns?.map((r) => ({ ...r, status: 'received' as const })),
    } as Order;
    const decision = inspectReturn(
      received,
      'ret_1',
      { items: [{ sku: 'GIFT-01', quantity: 1, condition: 'resellable' }] },
      context,
    );
    expect(decision).toMatchObject({
      ok: true,
      restocks: [
        { warehouse: 'paris', sku: 'MUG-01', quantity: 2, note: 'return ret_1' },
        { warehouse: 'paris', sku: 'TEE-02', quantity: 1, note: 'return ret_1' },
      ],
      ret: { status: 'inspected', refund: { items: 4990, fee: 0 } },
    });
  });
});

describe('refundOf', () => {
  const ret = (items: Return['items'], changes: Partial<Return> = {}): Return => ({
    id: 'ret_2',
    orderId: 'ord_1',
    status: 'received',
    method: 'label',
    items,
    warehouse: 'paris',
    label: null,
    inspection: null,
    refund: null,
    createdAt: '',
    updatedAt: '',
    timeline: [],
    ...changes,
  });

  it('refunds the shipping once, with the return that brings the last unit back, when the merchant is at fault', () => {
    const earlier = ret([{ sku: 'MUG-01', quantity: 3, reason: 'damaged', shipmentId: 'shp_a' }], {
      id: 'ret_1',
      status: 'refunded',
    });
    const last = ret([{ sku: 'GIFT-01', quantity: 1, reason: 'damaged', shipmentId: 'shp_b' }]);
    const o = order({ returns: [earlier, last] });
    const refund = refundOf(o, last, [{ sku: 'GIFT-01', quantity: 1, condition: 'damaged' }], merchant);
    expect(refund).toMatchObject({ items: 4990, shipping: 590, fee: 0, total: 5580 });
    // Not a second time.
    const paid = { ...earlier, refund: { ...refund, shipping: 590 } };
    expect(
      refundOf(
        order({ returns: [paid, last] }),
        last,
        [{ sku: 'GIFT-01', quantity: 1, condition: 'damaged' }],
        merchant,
      ).shipping,
    ).toBe(0);
  });

  it('charges the label fee only for a label bought', () => {
    const withFee = compileMerchant({ ...baseConfig(), returns: { labelFee: 450 } });
    const byHand = ret([{ sku: 'MUG-01', quantity: 1, reason: 'changed_mind', shipmentId: 'shp_a' }]);
    const inspected = [{ sku: 'MUG-01', quantity: 1, condition: 'resellable' }];
    expect(refundOf(order({ returns: [byHand] }), byHand, inspected, withFee).fee).toBe(0);
    const labelled = { ...byHand, label: { trackingNumber: 'T', carrier: 'colissimo', service: 'colissimo-home' } };
    expect(refundOf(order({ returns: [labelled] }), labelled, inspected, withFee).fee).toBe(450);
  });

  it("refunds a damaged unit only when the fault is the merchant's, and never below zero with the label fee", () => {
    const withFee = compileMerchant({ ...baseConfig(), returns: { labelFee: 5000 } });
    const mind = ret([{ sku: 'MUG-01', quantity: 2, reason: 'changed_mind', shipmentId: 'shp_a' }], {
      label: { trackingNumber: 'T', carrier: 'colissimo', service: 'colissimo-home' },
    });
    const refund = refundOf(
      order({ returns: [mind] }),
      mind,
      [
        { sku: 'MUG-01', quantity: 1, condition: 'resellable' },
        { sku: 'MUG-01', quantity: 1, condition: 'damaged' },
      ],
      withFee,
    );
    expect(refund).toMatchObject({
      items: 1290,
      shipping: 0,
      fee: 1290,
      total: 0,
      lines: [{ sku: 'MUG-01', quantity: 1 }],
    });
  });
});

describe('trackReturn', () => {
  it('moves a labelled return on its way, then received on its delivery, and never back', () => {
    const { order: asked, ret } = requested(order(), [{ sku: 'MUG-01', quantity: 1, reason: 'changed_mind' }]);
    const labelled = {
      ...ret,
      status: 'label_created' as const,
      label: { trackingNumber: 'T', carrier: 'colissimo', service: 'colissimo-home' },
    };
    const o = { ...asked, returns: [labelled] } as Order;
    const scan = (status: string, occurredAt: string) => ({
      status,
      occurredAt,
      message: status,
      carrier: 'colissimo',
    });
    const moved = trackReturn(
      o,
      labelled,
      [scan('in_transit', '2026-11-27T10:00:00Z'), scan('delivered', '2026-11-28T10:00:00Z')],
      now,
    );
    expect(moved).toMatchObject({ ok: true, ret: { status: 'received' } });
    if (!moved.ok) return;
    expect(moved.outbox.map((m) => m.type)).toEqual(['return.in_transit', 'return.received']);
    const late = trackReturn(moved.order, moved.ret, [scan('in_transit', '2026-11-27T12:00:00Z')], now);
    expect(late).toMatchObject({ ok: true, ret: { status: 'received' }, outbox: [] });
    expect(returnParcel(moved.order, moved.ret, merchant).shipment).toMatchObject({
      status: 'delivered',
      trackingNumber: 'T',
    });
  });
});
