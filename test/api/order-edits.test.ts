/**
 * Order edits (CONTRACT §9) on both stores: a new address or lowered lines before the label, re-promised and
 * replayed byte for byte under the same key; stock released for removed units; 409 not_editable once a label
 * exists (fulfilment.holdMinutes holds labels back for that window); 409 promise_expired with the options that
 * serve it when the option no longer does; 422 for lines the order does not have and for a destination customs
 * cannot take; and edits racing bookings of the same sku never oversell or leak a reservation.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { MerchantConfig } from '../../shared/src/config.ts';
import { bookOne, MONDAY_MORNING, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';

const stores = await storeFactories();
const JSON_HEADERS = { ...SECRET, 'content-type': 'application/json' };
const MINUTE = 60_000;

function merchant(changes: (config: MerchantConfig) => void = () => {}): MerchantConfig {
  const config = baseConfig();
  const lane = config.carriers[0]?.services[0]?.lanes[0];
  if (lane) lane.to = ['FR', 'CH'];
  changes(config);
  return config;
}

describe.each(stores)('order edits on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  let now = MONDAY_MORNING;
  afterEach(async () => app.close());

  const start = async (config = merchant()) => {
    now = MONDAY_MORNING;
    app = await testApp({ store: await makeStore(), now: () => now, merchants: [config] });
  };
  const patch = (id: string, body: unknown, key: string = randomUUID()) =>
    app.inject({
      method: 'PATCH',
      url: `/v1/orders/${id}`,
      headers: { ...JSON_HEADERS, 'idempotency-key': key },
      payload: body as Record<string, unknown>,
    });
  const stock = async (sku = 'MUG-01') =>
    (await app.inject({ url: `/v1/inventory/${sku}`, headers: SECRET })).json().warehouses[0] as {
      onHand: number;
      reserved: number;
      available: number;
    };
  const bookMugs = async (quantity: number) => {
    const response = await bookOne(app, {
      items: [
        { sku: 'MUG-01', quantity, unitPrice: 1290 },
        { sku: 'TEE-02', quantity: 1, unitPrice: 1990 },
      ],
      totals: {
        items: 1290 * quantity + 1990,
        shipping: 500,
        tax: 0,
        total: 1290 * quantity + 1990 + 500,
        currency: 'EUR',
      },
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; shipments: { promisedDelivery: unknown }[] };
  };
  const CORSICA = { name: 'B', line1: '2 cours Napoléon', postalCode: '20000', city: 'Ajaccio', country: 'fr' };

  it('changes the address and lowers a line before the label, releasing the stock, replayed under its key', async () => {
    await start();
    const booked = await bookMugs(3);
    expect((await stock()).reserved).toBe(3);
    const key = randomUUID();
    const edit = { shippingAddress: CORSICA, items: [{ sku: 'MUG-01', quantity: 1 }] };
    const edited = await patch(booked.id, edit, key);
    expect(edited.statusCode).toBe(200);
    const order = edited.json();
    expect(order.shippingAddress).toEqual({ ...CORSICA, country: 'FR' });
    expect(order.items).toEqual([{ sku: 'MUG-01', quantity: 1, unitPrice: 1290 }]); // TEE-02 left out: removed
    expect(order.totals).toEqual({ items: 1290, shipping: 500, tax: 0, total: 1790, currency: 'EUR' });
    expect(order.timeline.at(-1)).toMatchObject({
      type: 'order.updated',
      message: expect.stringContaining('shipping address'),
    });
    expect(await stock()).toMatchObject({ reserved: 1 });
    expect((await stock('TEE-02')).reserved).toBe(0);
    // The same key and body: the same answer, byte for byte, and nothing released twice.
    const again = await patch(booked.id, edit, key);
    expect([again.statusCode, again.headers['idempotent-replayed'], again.body]).toEqual([200, 'true', edited.body]);
    expect((await stock()).reserved).toBe(1);
    // Announced to webhooks and sinks as order.updated.
    await app.relay.drain();
    const done = await app.store.listOutboxJobs('test', 'done', 100);
    expect(done.map((job) => job.type)).toContain('order.updated');
  });

  it('re-promises the edited order: its shipment takes the dates a promise gives now, for where it now goes', async () => {
    await start(merchant((config) => (config.fulfilment = { holdMinutes: 7 * 24 * 60 })));
    const booked = await bookMugs(1);
    now += 2 * 24 * 60 * MINUTE; // Wednesday: two days later, still before the label
    const edited = await patch(booked.id, { shippingAddress: CORSICA, items: [{ sku: 'MUG-01', quantity: 1 }] });
    expect(edited.statusCode).toBe(200);
    const quote = await app.inject({
      url: '/v1/promise?key=pk_test_fixture&sku=MUG-01&quantity=1&country=FR&postalCode=20000',
      headers: { origin: 'https://shop.example' },
    });
    const option = quote.json().options.find((o: { id: string }) => o.id === 'colissimo-home');
    const [kept] = (
      edited.json().shipments as { status: string; dispatchDate: string; promisedDelivery: unknown }[]
    ).filter((s) => s.status !== 'cancelled');
    expect(kept?.promisedDelivery).toEqual(option.delivery);
    expect(kept?.dispatchDate).toBe(option.dispatchDate);
    expect(kept?.promisedDelivery).not.toEqual(booked.shipments[0]?.promisedDelivery);
  });

  it('refuses once a label exists with 409 not_editable, and holds labels back for fulfilment.holdMinutes', async () => {
    await start(merchant((config) => (config.fulfilment = { holdMinutes: 30 })));
    const booked = await bookMugs(1);
    await app.relay.drain();
    // Within the window: no label yet, still editable.
    expect((await patch(booked.id, { shippingAddress: CORSICA })).statusCode).toBe(200);
    now += 31 * MINUTE;
    await app.relay.drain();
    const refused = await patch(booked.id, { items: [{ sku: 'MUG-01', quantity: 1 }] });
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'not_editable']);
    expect((await stock('TEE-02')).reserved).toBe(1);
  });

  it('answers 409 promise_expired, with the options that serve it, when the option no longer serves the destination', async () => {
    await start();
    const booked = await bookMugs(1);
    const refused = await patch(booked.id, {
      shippingAddress: { name: 'C', line1: '1 Main St', postalCode: '10001', city: 'New York', country: 'US' },
    });
    expect([refused.statusCode, refused.json().code, refused.json().details]).toEqual([409, 'promise_expired', []]);
    expect((await app.inject({ url: `/v1/orders/${booked.id}`, headers: SECRET })).json().shippingAddress.city).toBe(
      'Paris',
    );
  });

  it('refuses lines the order does not have, more than ordered, a bad postal code, and an undeclarable destination', async () => {
    await start();
    const booked = await bookMugs(2);
    const codes = async (body: unknown) => {
      const response = await patch(booked.id, body);
      return [
        response.statusCode,
        response.json().code,
        response.json().details?.map((d: { field: string; code: string }) => `${d.field} ${d.code}`),
      ];
    };
    expect(await codes({ items: [{ sku: 'GIFT-01', quantity: 1 }] })).toEqual([
      422,
      'validation_failed',
      ['items[0].sku not_in_order'],
    ]);
    expect(await codes({ items: [{ sku: 'MUG-01', quantity: 3 }] })).toEqual([
      422,
      'validation_failed',
      ['items[0].quantity more_than_ordered'],
    ]);
    expect(await codes({ shippingAddress: { ...CORSICA, postalCode: 'ABCDE' } })).toEqual([
      422,
      'validation_failed',
      ['shippingAddress.postalCode invalid_for_country'],
    ]);
    expect(
      await codes({
        shippingAddress: { name: 'D', line1: '1 rue du Rhône', postalCode: '1204', city: 'Genève', country: 'CH' },
      }),
    ).toEqual([
      422,
      'customs_incomplete',
      [
        'items[0].hsCode required',
        'items[0].originCountry required',
        'items[1].hsCode required',
        'items[1].originCountry required',
        'merchant.eori required',
      ],
    ]);
    expect((await patch('ord_nope', { shippingAddress: CORSICA })).statusCode).toBe(404);
    const noKey = await app.inject({
      method: 'PATCH',
      url: `/v1/orders/${booked.id}`,
      headers: JSON_HEADERS,
      payload: { shippingAddress: CORSICA },
    });
    expect([noKey.statusCode, noKey.json().code]).toEqual([400, 'invalid_request']);
    expect((await stock()).reserved).toBe(2); // nothing released by any refusal
  });

  it('never oversells nor leaks a reservation when edits race bookings of the same sku', async () => {
    await start(
      merchant(
        (config) =>
          (config.inventory = [
            { warehouse: 'paris', sku: 'MUG-01', onHand: 6 },
            { warehouse: 'paris', sku: 'TEE-02', onHand: 40 },
          ]),
      ),
    );
    const first = await bookMugs(3);
    const second = await bookMugs(3);
    expect((await stock()).available).toBe(0);
    // Both orders give back two mugs while six customers try to book one each.
    const results = await Promise.all([
      patch(first.id, {
        items: [
          { sku: 'MUG-01', quantity: 1 },
          { sku: 'TEE-02', quantity: 1 },
        ],
      }),
      patch(second.id, {
        items: [
          { sku: 'MUG-01', quantity: 1 },
          { sku: 'TEE-02', quantity: 1 },
        ],
      }),
      ...Array.from({ length: 6 }, () => bookOne(app, { items: [{ sku: 'MUG-01', quantity: 1, unitPrice: 100 }] })),
    ]);
    expect(results.slice(0, 2).map((r) => r.statusCode)).toEqual([200, 200]);
    const booked = results.slice(2).filter((r) => r.statusCode === 201).length;
    expect(results.slice(2).every((r) => r.statusCode === 201 || r.json().code === 'out_of_stock')).toBe(true);
    const level = await stock();
    // Reserved is exactly what the live orders hold: 1 + 1 + one per booking that went through, within stock.
    expect(level.reserved).toBe(2 + booked);
    expect(level.reserved).toBeLessThanOrEqual(level.onHand);
    expect(level.available).toBeGreaterThanOrEqual(0);
  });

  it('edits an order after a partial cancel, and refuses once its label is being bought', async () => {
    await start();
    const booked = await bookMugs(2);
    const cancel = await app.inject({
      method: 'POST',
      url: `/v1/orders/${booked.id}/cancel`,
      headers: JSON_HEADERS,
      payload: { items: [{ sku: 'TEE-02', quantity: 1 }] },
    });
    expect(cancel.statusCode).toBe(200);
    expect((await patch(booked.id, { items: [{ sku: 'MUG-01', quantity: 1 }] })).statusCode).toBe(200);
    // The label job claims the shipment before it calls the carrier: from then on the order cannot change.
    const claimed = await app.store.changeOrder<never>('test', booked.id, (order) => ({
      ok: true,
      order: {
        ...order,
        timeline: [
          ...order.timeline,
          {
            at: order.updatedAt,
            type: 'shipment.label_requested',
            actor: 'carrier:colissimo',
            message: 'Buying the label.',
            shipmentId: order.shipments[0]?.id ?? '',
          },
        ],
      },
    }));
    expect(claimed?.ok).toBe(true);
    const refused = await patch(booked.id, { shippingAddress: CORSICA });
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'not_editable']);
  });

  it('lets the events of an order edited during the hold go out at once, not after the held label', async () => {
    await start(merchant((config) => (config.fulfilment = { holdMinutes: 60 })));
    const booked = await bookMugs(1);
    expect((await patch(booked.id, { shippingAddress: CORSICA })).statusCode).toBe(200);
    await app.relay.drain();
    const done = (await app.store.listOutboxJobs('test', 'done', 100)).map((job) => job.type);
    expect(done).toEqual(expect.arrayContaining(['order.accepted', 'order.updated']));
    const pending = (await app.store.listOutboxJobs('test', 'pending', 100)).map((job) => job.type);
    expect(pending).toEqual(['shipment.requested']); // the label alone waits out the hour
  });
});
