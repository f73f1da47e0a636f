/**
 * Returns (CONTRACT §9) on both stores: a label return from request to refund, its label bought from the carrier
 * adapter and its parcel tracked like an outbound one (its delivery marks it received); a drop-off; the window's
 * edges in the warehouse's local dates; over-returns and units already coming back; two concurrent requests for
 * the last returnable unit; the inspection's restock visible in the next promise; refunds per the policy;
 * states that refuse a step; another merchant's return unseen.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { MerchantConfig } from '../../shared/src/config.ts';
import { bookAndLabel, MONDAY_MORNING, SECRET, storeFactories, testApp, trackEvents } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';
import { pdfText } from '../fixtures/pdf-text.ts';

const stores = await storeFactories();
const JSON_HEADERS = { ...SECRET, 'content-type': 'application/json' };
/** Wednesday 2026-11-25, 15:00 in Paris: the parcel's delivery. */
const DELIVERED_AT = '2026-11-25T14:00:00Z';

function merchant(changes: (config: MerchantConfig) => void = () => {}): MerchantConfig {
  const config = baseConfig();
  config.returns = { labelFee: 450 };
  const warehouse = config.warehouses[0];
  if (warehouse)
    warehouse.address = {
      name: 'Retours',
      line1: '2 rue des Entrepôts',
      postalCode: '93200',
      city: 'Saint-Denis',
      country: 'FR',
    };
  changes(config);
  return config;
}

type Ret = {
  id: string;
  status: string;
  method: string;
  items: { sku: string; quantity: number; reason: string; shipmentId: string }[];
  label: { trackingNumber: string; carrier: string } | null;
  refund: { items: number; shipping: number; fee: number; total: number; currency: string } | null;
  timeline: { type: string; actor: string }[];
};

describe.each(stores)('returns on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  let now = MONDAY_MORNING;
  afterEach(async () => app.close());

  const start = async (config = merchant()) => {
    now = MONDAY_MORNING;
    app = await testApp({ store: await makeStore(), now: () => now, merchants: [config] });
  };
  const post = (url: string, payload: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, headers: { ...JSON_HEADERS, ...headers }, payload });
  const stock = async (sku = 'MUG-01') =>
    (await app.inject({ url: `/v1/inventory/${sku}`, headers: SECRET })).json().warehouses[0] as {
      onHand: number;
      reserved: number;
      available: number;
    };
  /** Books `quantity` mugs (and a T-shirt), labels them and has the carrier deliver them at DELIVERED_AT. */
  const delivered = async (quantity = 3, extra: { sku: string; quantity: number; unitPrice: number }[] = []) => {
    const items = [{ sku: 'MUG-01', quantity, unitPrice: 1290 }, ...extra];
    const sum = items.reduce((s, i) => s + i.quantity * i.unitPrice, 0);
    const order = await bookAndLabel(app, {
      items,
      totals: { items: sum, shipping: 590, tax: 0, total: sum + 590, currency: 'EUR' },
    });
    const trackingNumber = order.shipments[0].trackingNumber as string;
    const tracked = await trackEvents(app, [
      { trackingNumber, status: 'in_transit', occurredAt: '2026-11-23T17:00:00Z' },
      { trackingNumber, status: 'delivered', occurredAt: DELIVERED_AT },
    ]);
    expect(tracked.statusCode).toBe(200);
    await app.relay.drain();
    now = Date.parse('2026-11-26T09:00:00Z'); // the next morning
    return order as { id: string; shipments: { id: string }[] };
  };
  const ask = (orderId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    post(`/v1/orders/${orderId}/returns`, body, headers);
  const returnOf = async (id: string) =>
    (await app.inject({ url: `/v1/returns/${id}`, headers: SECRET })).json() as Ret;

  it('takes a label return from request to refund: label, tracked parcel, inspection that restocks, events', async () => {
    await start();
    const order = await delivered(3);
    const before = await stock();
    const asked = await ask(order.id, {
      method: 'label',
      items: [{ sku: 'MUG-01', quantity: 2, reason: 'changed_mind', comment: 'Too small' }],
    });
    expect(asked.statusCode).toBe(201);
    const requested = asked.json() as Ret;
    expect(requested).toMatchObject({
      orderId: order.id,
      status: 'requested',
      method: 'label',
      label: null,
      warehouse: 'paris',
      items: [{ sku: 'MUG-01', quantity: 2, reason: 'changed_mind', shipmentId: order.shipments[0]?.id }],
    });
    expect(requested.id).toMatch(/^ret_/);
    expect(asked.headers.location).toBe(`/v1/returns/${requested.id}`);
    expect((await post(`/v1/returns/${requested.id}/approve`, { note: 'OK' })).json().status).toBe('approved');

    // The relay buys the label from the carrier adapter: from the shopper back to the warehouse.
    await app.relay.drain();
    const labelled = await returnOf(requested.id);
    expect(labelled.status).toBe('label_created');
    expect(labelled.label).toMatchObject({
      carrier: 'colissimo',
      trackingNumber: expect.stringMatching(/^C[A-Z]\d{9}FR$/),
    });
    const pdf = await app.inject({ url: `/v1/returns/${requested.id}/label`, headers: SECRET });
    expect([pdf.statusCode, pdf.headers['content-type']]).toEqual([200, 'application/pdf']);
    const text = (await pdfText(pdf.rawPayload)).join(' ');
    expect(text).toContain('RETURN');
    // From the shopper's address to the warehouse's.
    expect(text.indexOf('75011 Paris')).toBeLessThan(text.indexOf(' TO '));
    expect(text.indexOf('93200 Saint-Denis')).toBeGreaterThan(text.indexOf(' TO '));

    // Tracked like an outbound parcel: on its way, then delivered to the warehouse, which is its receipt.
    const trackingNumber = labelled.label?.trackingNumber as string;
    await trackEvents(app, [{ trackingNumber, status: 'in_transit', occurredAt: '2026-11-27T10:00:00Z' }]);
    expect((await returnOf(requested.id)).status).toBe('in_transit');
    await trackEvents(app, [{ trackingNumber, status: 'delivered', occurredAt: '2026-11-30T10:00:00Z' }]);
    expect((await returnOf(requested.id)).status).toBe('received');
    expect(await stock()).toEqual(before); // nothing restocked before the inspection

    const inspected = await post(`/v1/returns/${requested.id}/inspect`, {
      items: [
        { sku: 'MUG-01', quantity: 1, condition: 'resellable' },
        { sku: 'MUG-01', quantity: 1, condition: 'damaged' },
      ],
    });
    expect(inspected.statusCode).toBe(200);
    // Changed mind: the damaged mug is the shopper's doing, the label fee is the shopper's.
    expect(inspected.json().refund).toEqual({
      items: 1290,
      shipping: 0,
      fee: 450,
      total: 840,
      currency: 'EUR',
      lines: [{ sku: 'MUG-01', quantity: 1, amount: 1290 }],
    });
    expect(await stock()).toEqual({ ...before, onHand: before.onHand + 1, available: before.available + 1 });
    const ledger = (await app.inject({ url: '/v1/inventory/MUG-01/movements', headers: SECRET })).json();
    expect(ledger.movements[0]).toMatchObject({
      reason: 'return',
      onHandDelta: 1,
      orderId: order.id,
      note: `return ${requested.id}`,
    });

    const refunded = await post(`/v1/returns/${requested.id}/refund`);
    expect(refunded.json().status).toBe('refunded');
    await app.relay.drain();
    const events = (await app.store.listOutboxJobs('test', 'done', 500)).map((job) => job.type);
    for (const type of ['requested', 'approved', 'label_created', 'in_transit', 'received', 'inspected', 'refunded'])
      expect(events).toContain(`return.${type}`);
    const full = (await app.inject({ url: `/v1/orders/${order.id}`, headers: SECRET })).json();
    expect(full.returns.map((r: Ret) => r.id)).toEqual([requested.id]);
    expect(
      full.timeline
        .filter((t: { returnId?: string }) => t.returnId === requested.id)
        .map((t: { type: string }) => t.type),
    ).toEqual([
      'return.requested',
      'return.approved',
      'return.label_created',
      'return.in_transit',
      'return.received',
      'return.inspected',
      'return.refunded',
    ]);
    const list = (await app.inject({ url: `/v1/orders/${order.id}/returns`, headers: SECRET })).json();
    expect(list.data).toHaveLength(1);
  });

  it('restocks what the inspection finds resellable, and the next promise can sell it', async () => {
    const config = merchant((c) => {
      c.inventory = [
        { warehouse: 'paris', sku: 'MUG-01', onHand: 1 },
        { warehouse: 'paris', sku: 'TEE-02', onHand: 5 },
      ];
      c.returns = { methods: ['drop_off'] };
    });
    await start(config);
    const order = await delivered(1);
    const promise = () =>
      app.inject({
        url: '/v1/promise?key=pk_test_fixture&sku=MUG-01&quantity=1&country=FR&postalCode=75011',
        headers: { origin: 'https://shop.example' },
      });
    expect((await promise()).json().items[0].available).toBe(false);
    const ret = (
      await ask(order.id, { method: 'drop_off', items: [{ sku: 'MUG-01', quantity: 1, reason: 'late' }] })
    ).json();
    await post(`/v1/returns/${ret.id}/approve`);
    await app.relay.drain();
    expect((await returnOf(ret.id)).label).toBeNull(); // a drop-off buys no label
    expect((await app.inject({ url: `/v1/returns/${ret.id}/label`, headers: SECRET })).statusCode).toBe(409);
    expect((await post(`/v1/returns/${ret.id}/receive`)).json().status).toBe('received');
    await post(`/v1/returns/${ret.id}/inspect`, { items: [{ sku: 'MUG-01', quantity: 1, condition: 'resellable' }] });
    expect((await promise()).json().items[0].available).toBe(true);
  });

  it('opens the window through returns.windowDays days after the local delivery date, and not a minute more', async () => {
    await start(merchant((c) => (c.returns = { windowDays: 14 })));
    const order = await delivered(1);
    const body = (at: string) => ({ method: 'label', items: [{ sku: 'MUG-01', quantity: 1, reason: 'other' }], at });
    // Delivered on 25 November, Paris time: the window closes at the end of 9 December, Paris time.
    const late = await ask(order.id, body('2026-12-09T23:00:00Z')); // 10 December, 00:00 in Paris
    expect(late.statusCode).toBe(422);
    expect(late.json()).toMatchObject({
      code: 'not_returnable',
      details: [{ field: 'items[0].sku', code: 'window_closed', lastDay: '2026-12-09' }],
    });
    const last = await ask(order.id, body('2026-12-09T22:59:00Z')); // 9 December, 23:59 in Paris
    expect(last.statusCode).toBe(201);
  });

  it('refuses more than was delivered minus what is already coming back; a rejected return gives its units back', async () => {
    await start();
    const order = await delivered(3);
    const line = (quantity: number) => ({
      method: 'label',
      items: [{ sku: 'MUG-01', quantity, reason: 'changed_mind' }],
    });
    const tooMany = await ask(order.id, line(4));
    expect(tooMany.json()).toMatchObject({
      code: 'not_returnable',
      details: [{ field: 'items[0].quantity', code: 'more_than_returnable', returnable: 3 }],
    });
    const first = await ask(order.id, line(2));
    expect(first.statusCode).toBe(201);
    const again = await ask(order.id, line(2));
    expect(again.json().details).toEqual([{ field: 'items[0].quantity', code: 'more_than_returnable', returnable: 1 }]);
    // Two lines of one sku count together.
    const split = await ask(order.id, {
      method: 'label',
      items: [
        { sku: 'MUG-01', quantity: 1, reason: 'damaged' },
        { sku: 'MUG-01', quantity: 1, reason: 'other' },
      ],
    });
    expect(split.statusCode).toBe(422);
    expect((await post(`/v1/returns/${first.json().id}/reject`, { note: 'Outside policy' })).json().status).toBe(
      'rejected',
    );
    expect((await ask(order.id, line(3))).statusCode).toBe(201);
  });

  it('buys no label for a return received by hand first, and keeps counting the units of a return rejected once back', async () => {
    await start();
    const order = await delivered(2);
    const body = { method: 'label', items: [{ sku: 'MUG-01', quantity: 2, reason: 'changed_mind' }] };
    const ret = (await ask(order.id, body)).json();
    await post(`/v1/returns/${ret.id}/approve`);
    expect((await post(`/v1/returns/${ret.id}/receive`, { note: 'Brought to the shop' })).json().status).toBe(
      'received',
    );
    await app.relay.drain();
    expect((await returnOf(ret.id)).label).toBeNull();
    expect((await app.inject({ url: `/v1/returns/${ret.id}/label`, headers: SECRET })).statusCode).toBe(409);
    // Rejected once the mugs are back at the warehouse: they cannot be returned a second time.
    expect((await post(`/v1/returns/${ret.id}/reject`, { note: 'Used' })).json().status).toBe('rejected');
    const again = await ask(order.id, body);
    expect(again.json().details).toEqual([{ field: 'items[0].quantity', code: 'more_than_returnable', returnable: 0 }]);
  });

  it('gives the last returnable unit to one of two concurrent requests', async () => {
    await start();
    const order = await delivered(1);
    const body = { method: 'label', items: [{ sku: 'MUG-01', quantity: 1, reason: 'changed_mind' }] };
    const answers = await Promise.all([ask(order.id, body), ask(order.id, body), ask(order.id, body)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 422, 422]);
    const list = (await app.inject({ url: `/v1/orders/${order.id}/returns`, headers: SECRET })).json();
    expect(list.data).toHaveLength(1);
  });

  it('names each line it refuses: not delivered, not in the order, not returnable, a reason or method not offered', async () => {
    await start(
      merchant(
        (c) => (c.returns = { nonReturnableSkus: ['TEE-02'], reasons: ['damaged', 'wrong_item'], methods: ['label'] }),
      ),
    );
    const undelivered = await bookAndLabel(app);
    const early = await ask(undelivered.id, {
      method: 'label',
      items: [{ sku: 'MUG-01', quantity: 1, reason: 'damaged' }],
    });
    expect(early.json().details).toEqual([{ field: 'items[0].sku', code: 'not_delivered' }]);
    const order = await delivered(1, [{ sku: 'TEE-02', quantity: 1, unitPrice: 1990 }]);
    const refused = await ask(order.id, {
      method: 'drop_off',
      items: [
        { sku: 'MUG-01', quantity: 1, reason: 'changed_mind' },
        { sku: 'TEE-02', quantity: 1, reason: 'damaged' },
        { sku: 'GIFT-01', quantity: 1, reason: 'damaged' },
      ],
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().details).toEqual([
      { field: 'method', code: 'method_not_offered' },
      { field: 'items[0].reason', code: 'reason_not_accepted' },
      { field: 'items[1].sku', code: 'not_returnable_sku' },
      { field: 'items[2].sku', code: 'not_in_order' },
    ]);
    expect((await app.inject({ url: `/v1/orders/${order.id}/returns`, headers: SECRET })).json().data).toEqual([]);
  });

  it('refunds damaged units and the shipping when the merchant is at fault and the last unit is back; no label fee', async () => {
    await start(merchant((c) => (c.returns = { autoApprove: true, labelFee: 450, methods: ['drop_off', 'label'] })));
    const order = await delivered(2);
    const ret = (
      await ask(order.id, { method: 'label', items: [{ sku: 'MUG-01', quantity: 2, reason: 'damaged' }] })
    ).json();
    expect(ret.status).toBe('approved'); // returns.autoApprove
    await app.relay.drain();
    expect((await returnOf(ret.id)).status).toBe('label_created');
    await post(`/v1/returns/${ret.id}/receive`, { note: 'Handed in at the counter' });
    const inspected = await post(`/v1/returns/${ret.id}/inspect`, {
      items: [{ sku: 'MUG-01', quantity: 2, condition: 'damaged' }],
    });
    expect(inspected.json().refund).toMatchObject({ items: 2580, shipping: 590, fee: 0, total: 3170 });
    expect((await stock()).onHand).toBe(40 - 2); // damaged: nothing back on hand
  });

  it('refuses a step its status does not allow with 409 invalid_state, and an inspection that miscounts with 422', async () => {
    await start();
    const order = await delivered(2);
    const ret = (
      await ask(order.id, { method: 'drop_off', items: [{ sku: 'MUG-01', quantity: 2, reason: 'other' }] })
    ).json();
    const early = await post(`/v1/returns/${ret.id}/refund`);
    expect([early.statusCode, early.json().code]).toEqual([409, 'invalid_state']);
    expect(
      (
        await post(`/v1/returns/${ret.id}/inspect`, {
          items: [{ sku: 'MUG-01', quantity: 2, condition: 'resellable' }],
        })
      ).statusCode,
    ).toBe(409);
    await post(`/v1/returns/${ret.id}/approve`);
    expect((await post(`/v1/returns/${ret.id}/approve`)).json().code).toBe('invalid_state');
    await post(`/v1/returns/${ret.id}/receive`);
    const miscount = await post(`/v1/returns/${ret.id}/inspect`, {
      items: [
        { sku: 'MUG-01', quantity: 1, condition: 'resellable' },
        { sku: 'TEE-02', quantity: 1, condition: 'resellable' },
      ],
    });
    expect(miscount.statusCode).toBe(422);
    expect(miscount.json().details).toEqual([
      { field: 'items[0].quantity', code: 'does_not_match_return', sku: 'MUG-01', expected: 2, inspected: 1 },
      { field: 'items[1].quantity', code: 'not_in_return', sku: 'TEE-02', expected: 0, inspected: 1 },
    ]);
    expect((await returnOf(ret.id)).status).toBe('received');
    expect((await post('/v1/returns/ret_nope/approve')).statusCode).toBe(404);
  });

  it("replays a request sent again under its Idempotency-Key, and keeps each merchant's returns its own", async () => {
    const other = merchant((c) => {
      c.merchant.id = 'other';
      c.keys = [{ key: 'sk_test_other', type: 'secret' }];
    });
    app = await testApp({ store: await makeStore(), now: () => now, merchants: [merchant(), other] });
    const order = await delivered(2);
    const key = randomUUID();
    const body = { method: 'label', items: [{ sku: 'MUG-01', quantity: 1, reason: 'other' }] };
    const first = await ask(order.id, body, { 'idempotency-key': key });
    const again = await ask(order.id, body, { 'idempotency-key': key });
    expect([again.statusCode, again.headers['idempotent-replayed'], again.body]).toEqual([201, 'true', first.body]);
    expect((await app.inject({ url: `/v1/orders/${order.id}/returns`, headers: SECRET })).json().data).toHaveLength(1);
    const theirs = { authorization: 'Bearer sk_test_other' };
    expect((await app.inject({ url: `/v1/returns/${first.json().id}`, headers: theirs })).statusCode).toBe(404);
    const approve = await app.inject({
      method: 'POST',
      url: `/v1/returns/${first.json().id}/approve`,
      headers: { ...theirs, 'content-type': 'application/json' },
      payload: {},
    });
    expect(approve.statusCode).toBe(404);
    expect((await app.inject({ url: `/v1/returns/${first.json().id}`, headers: SECRET })).json().status).toBe(
      'requested',
    );
  });
});
