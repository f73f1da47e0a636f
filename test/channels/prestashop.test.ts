/**
 * PrestaShop orders pulled from its webservice (CONTRACT §8) on both stores, against a fake that serves
 * PrestaShop's documented JSON with a real captured order: the first poll only starts the cursor, a new order is
 * taken once (however often or concurrently the shop is polled) and booked with its address, a refused key or a
 * shop that is down moves nothing, and an order of an unknown product is raised as channel_order_failed.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import { channelMerchant } from '../fixtures/channels.ts';
import { FakePrestaShop } from '../fixtures/fake-prestashop.ts';

const stores = await storeFactories();

describe.each(stores)('PrestaShop channels on %s', (_name, makeStore) => {
  let shop: FakePrestaShop;
  let app: FastifyInstance;

  beforeAll(async () => {
    shop = await new FakePrestaShop().start();
  });
  afterAll(async () => shop.stop());
  beforeEach(async () => {
    shop.orders.length = 0;
    shop.requests.length = 0;
    shop.failWith = null;
    app = await testApp({ store: await makeStore(), merchants: [channelMerchant('EUR', shop.baseUrl)] });
  });
  afterEach(async () => app.close());

  const runtime = () => {
    const found = app.merchants.byId('test');
    const channel = found?.channels.get('presta');
    if (!found || !channel) throw new Error('no presta channel');
    return { found, channel };
  };
  const poll = async () => {
    const { found, channel } = runtime();
    return app.channelPoller.poll(found, channel);
  };
  const ordersOf = async (reference: string) =>
    (await app.inject({ url: `/v1/orders?reference=${reference}&channel=presta`, headers: SECRET })).json()
      .data as Record<string, unknown>[];

  it("starts at the shop's newest order, then books each new order once, with its delivery address", async () => {
    shop.orders.push(FakePrestaShop.capturedOrder({ id: 549084, reference: 'OLDORDER1' }));
    expect(await poll()).toBe(0); // the shop's past is not booked
    shop.orders.push(FakePrestaShop.capturedOrder());
    const taken = await Promise.all([poll(), poll()]); // two workers at once: one stores it
    expect(taken.sort()).toEqual([0, 1]);
    expect(await poll()).toBe(0);
    await app.relay.drain();
    expect(await ordersOf('OLDORDER1')).toEqual([]);
    const [order, ...more] = await ordersOf('FMHGOYBGK');
    expect(more).toEqual([]);
    expect(order?.totals).toEqual({ items: 1173, shipping: 850, tax: 0, total: 2023, currency: 'EUR' });
    expect(order?.shippingAddress).toEqual({
      name: 'Camille Martin',
      line1: '12 rue de la Paix',
      postalCode: '75002',
      city: 'Paris',
      country: 'FR',
      phone: '+33 6 12 34 56 78',
      email: 'camille.martin@example.com',
    });
    expect(shop.requests).toContainEqual(expect.stringContaining('filter%5Bid%5D=%3E%5B549084%5D'));
  });

  it('moves nothing when the key is refused, the shop is down or its address answers 404, and takes the order once it answers', async () => {
    // A 404 on the list (a wrong baseUrl, a shop in maintenance) is not an empty shop: no cursor is started.
    shop.failWith = 404;
    shop.orders.push(FakePrestaShop.capturedOrder({ id: 549084, reference: 'OLDORDER1' }));
    await expect(poll()).rejects.toThrow('answered 404');
    shop.failWith = null;
    expect(await poll()).toBe(0);
    shop.orders.push(FakePrestaShop.capturedOrder());
    shop.failWith = 503;
    await expect(poll()).rejects.toThrow('answered 503');
    shop.failWith = null;
    const { found, channel } = runtime();
    await expect(app.channelPoller.poll(found, { ...channel, apiKey: 'WRONGKEY' })).rejects.toThrow('answered 401');
    expect(await poll()).toBe(1);
  });

  it('raises an order of a product not in the catalogue as channel_order_failed', async () => {
    expect(await poll()).toBe(0);
    const order = FakePrestaShop.capturedOrder();
    const associations = order.associations as { order_rows: Record<string, unknown>[] };
    for (const row of associations.order_rows) row.product_reference = 'NOT-SOLD-HERE';
    shop.orders.push(order);
    expect(await poll()).toBe(1);
    await app.relay.drain();
    const exceptions = (await app.inject({ url: '/v1/exceptions?state=open', headers: SECRET })).json().data;
    expect(exceptions).toEqual([
      expect.objectContaining({ reason: 'channel_order_failed', orderId: 'ch:presta:549085' }),
    ]);
    expect(exceptions[0].detail).toContain('PrestaShop order FMHGOYBGK (id 549085) could not be booked');
  });

  it('cancels the booking of an order the shop cancels later, once, and releases its stock', async () => {
    expect(await poll()).toBe(0);
    const order = FakePrestaShop.capturedOrder({ current_state: 2 }); // Payment accepted
    shop.orders.push(order);
    expect(await poll()).toBe(1);
    await app.relay.drain();
    const available = async () =>
      (await app.inject({ url: '/v1/inventory/4589504961513', headers: SECRET })).json().warehouses[0].available;
    expect(await available()).toBe(4);
    order.current_state = 6; // Canceled, in the shop's back office
    await poll();
    await app.relay.drain();
    expect((await ordersOf('FMHGOYBGK'))[0]?.status).toBe('cancelled');
    expect(await available()).toBe(5);
    shop.requests.length = 0;
    await poll(); // asked again, nothing stored again
    expect(shop.requests.some((r) => r.includes('current_state'))).toBe(true);
    expect((await app.inject({ url: '/v1/outbox?state=pending', headers: SECRET })).json().data).toEqual([]);
  });
});
