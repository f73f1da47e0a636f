/**
 * Orders from Shopify and WooCommerce (CONTRACT §8) on both stores, with the platforms' own payloads
 * (fixtures/channels/README.md): signed the platform's way, stored and answered at once, booked from the outbox
 * exactly once however often they are redelivered, cancelled when the platform cancels, refused with 401 when
 * the signature is wrong, and a failure raised as a channel_order_failed exception that a replay books once
 * fixed.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MONDAY_MORNING, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import {
  channelMerchant,
  fixtureJson,
  fixtureText,
  platformSignature,
  postShopify,
  SHOPIFY_SECRET,
  WOOCOMMERCE_SECRET,
} from '../fixtures/channels.ts';

const stores = await storeFactories();

describe.each(stores)('shop platform webhooks on %s', (_name, makeStore) => {
  let app: FastifyInstance;

  let now = MONDAY_MORNING;

  beforeEach(async () => {
    now = MONDAY_MORNING;
    // A second merchant with a channel of the same id, signed with a secret of its own.
    const other = channelMerchant();
    other.merchant.id = 'other';
    other.keys = [{ key: 'sk_test_other', type: 'secret' }];
    other.channels = [{ id: 'shopify-main', type: 'shopify', secret: 'shpss_other_merchant_0123456789' }];
    app = await testApp({ store: await makeStore(), now: () => now, merchants: [channelMerchant(), other] });
  });
  afterEach(async () => app.close());

  const shopify = (body: string, topic = 'orders/create', secret = SHOPIFY_SECRET, merchant = 'test') =>
    postShopify(app, body, { topic, secret, merchant });
  const woocommerce = (body: string, topic = 'order.created', secret = WOOCOMMERCE_SECRET) =>
    app.inject({
      method: 'POST',
      url: '/v1/channels/test/woo/webhooks',
      headers: {
        'content-type': 'application/json',
        'x-wc-webhook-topic': topic,
        'x-wc-webhook-delivery-id': '42',
        'x-wc-webhook-signature': platformSignature(body, secret),
      },
      payload: body,
    });
  const ordersOf = async (reference: string, channel: string) =>
    (
      await app.inject({
        url: `/v1/orders?reference=${encodeURIComponent(reference)}&channel=${channel}`,
        headers: SECRET,
      })
    ).json().data as Record<string, unknown>[];
  const exceptions = async () =>
    (await app.inject({ url: '/v1/exceptions?state=open', headers: SECRET })).json().data as Record<string, unknown>[];
  const available = async (sku: string) =>
    (await app.inject({ url: `/v1/inventory/${sku}`, headers: SECRET })).json().warehouses[0].available as number;

  /** Shopify's documented order #1001 (REST Admin API example), as its orders/create webhook. */
  const documentedOrder = () => fixtureJson('shopify-orders-create.json');

  it("books Shopify's documented order once, with its discounts, tax and address, however often it is redelivered", async () => {
    const body = JSON.stringify(documentedOrder());
    const first = await shopify(body);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ received: true, action: 'queued' });
    // Redelivered before and after the booking ran: still one order.
    expect((await shopify(body)).statusCode).toBe(202);
    await app.relay.drain();
    expect((await shopify(body)).statusCode).toBe(202);
    await app.relay.drain();

    const orders = await ordersOf('#1001', 'shopify-main');
    expect(orders).toHaveLength(1);
    const order = orders[0] as Record<string, unknown>;
    expect(order.status).toBe('in_preparation'); // its label bought by the same outbox run
    // 3 × 199.00 less the TENOFF code's allocations (3.34, 3.33, 3.33); tax on top; free shipping; 598.94 in all.
    expect(order.totals).toEqual({ items: 58700, shipping: 0, tax: 1194, total: 59894, currency: 'USD' });
    expect(order.shippingAddress).toEqual({
      name: 'Bob Norman',
      line1: 'Chestnut Street 92',
      postalCode: '40202',
      city: 'Louisville',
      country: 'US',
      phone: '+1(502)-459-2181',
      email: 'bob.norman@mail.example.com',
    });
    expect(order.timeline).toContainEqual(
      expect.objectContaining({ type: 'order.accepted', actor: 'channel:shopify-main' }),
    );
    for (const sku of ['IPOD2008GREEN', 'IPOD2008RED', 'IPOD2008BLACK']) expect(await available(sku)).toBe(4);
    expect(await exceptions()).toEqual([]);
  });

  it('takes the option the storefront saved from dp-select among the note attributes', async () => {
    const order = documentedOrder();
    order.note_attributes = [
      ...(order.note_attributes as unknown[]),
      { name: 'promesse_option_id', value: 'colissimo-express' },
    ];
    expect((await shopify(JSON.stringify(order))).statusCode).toBe(202);
    await app.relay.drain();
    const [booked] = await ordersOf('#1001', 'shopify-main');
    expect((booked?.shipments as { service: string }[] | undefined)?.[0]?.service).toBe('colissimo-express');
  });

  it('cancels the booked order on orders/cancelled and gives its stock back', async () => {
    const order = documentedOrder();
    await shopify(JSON.stringify(order));
    await app.relay.drain();
    expect(await available('IPOD2008RED')).toBe(4);
    const cancelled = { ...order, cancelled_at: '2008-01-10T11:00:00-05:00', cancel_reason: 'customer' };
    expect((await shopify(JSON.stringify(cancelled), 'orders/cancelled')).statusCode).toBe(202);
    await app.relay.drain();
    const [booked] = await ordersOf('#1001', 'shopify-main');
    expect(booked?.status).toBe('cancelled');
    expect(await available('IPOD2008RED')).toBe(5);
    // Redelivered: still cancelled, nothing raised.
    await shopify(JSON.stringify(cancelled), 'orders/cancelled');
    await app.relay.drain();
    expect(await exceptions()).toEqual([]);
  });

  it('cancels nothing when a signed orders/create body is sent again under the orders/cancelled topic', async () => {
    const body = JSON.stringify(documentedOrder());
    await shopify(body);
    await app.relay.drain();
    // The topic header is not signed: only a body that says it is cancelled (cancelled_at) cancels.
    expect((await shopify(body, 'orders/cancelled')).statusCode).toBe(202);
    await app.relay.drain();
    expect((await ordersOf('#1001', 'shopify-main'))[0]?.status).toBe('in_preparation');
  });

  it("keeps every digit of Shopify's sample order id (above 2^53) and raises its totals that do not add up", async () => {
    // Shopify's own test notification (two lines of one sku, a 5.00 discount allocated to none), as an order
    // not cancelled yet: its text with cancelled_at emptied, every other byte as Shopify wrote it.
    const sample = fixtureText('shopify-orders-cancelled.json');
    const created = sample.replace('"cancelled_at": "2021-12-31T19:00:00-05:00"', '"cancelled_at": null');
    expect(created).not.toBe(sample);
    const queued = await shopify(created);
    expect(queued.statusCode).toBe(202);
    await app.relay.drain();
    const [raised] = await exceptions();
    expect(raised).toMatchObject({
      kind: 'channel',
      reason: 'channel_order_failed',
      orderId: 'ch:shopify-main:820982911946154508',
    });
    expect(raised?.detail).toContain('Shopify order #9999 (id 820982911946154508) could not be booked');
    expect(raised?.detail).toContain('totals.total does_not_add_up');
    expect(raised?.detail).not.toContain('Shipping Street'); // no personal data in the exception
    expect(await ordersOf('#9999', 'shopify-main')).toEqual([]);
    // The same order cancelled (the sample byte for byte): it will never book, even if the failed job is
    // replayed days later, when idempotency keys of its time have long expired.
    await shopify(sample, 'orders/cancelled');
    await app.relay.drain();
    now += 3 * 24 * 3_600_000;
    const [dead] = (await app.inject({ url: '/v1/outbox?state=dead', headers: SECRET })).json().data;
    expect(
      (await app.inject({ method: 'POST', url: `/v1/outbox/${dead.id}/replay`, headers: SECRET })).statusCode,
    ).toBe(200);
    await app.relay.drain();
    expect(await ordersOf('#9999', 'shopify-main')).toEqual([]);
  });

  it('refuses a tampered body, a wrong secret, another merchant and no signature with 401, and books nothing', async () => {
    const body = JSON.stringify(documentedOrder());
    const tampered = body.replace('"quantity":1', '"quantity":2');
    const refused = [
      await postShopify(app, tampered, { signature: platformSignature(body, SHOPIFY_SECRET) }),
      await shopify(body, 'orders/create', 'shpss_another_secret_0123456789'),
      await shopify(body, 'orders/create', SHOPIFY_SECRET, 'other-merchant'),
      // Another merchant with a channel of the same id: its own secret, not this one's, signs its webhooks.
      await shopify(body, 'orders/create', SHOPIFY_SECRET, 'other'),
      await app.inject({
        method: 'POST',
        url: '/v1/channels/test/shopify-main/webhooks',
        headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create' },
        payload: body,
      }),
      // A PrestaShop channel takes no webhooks.
      await app.inject({
        method: 'POST',
        url: '/v1/channels/test/presta/webhooks',
        headers: {
          'content-type': 'application/json',
          'x-wc-webhook-signature': platformSignature(body, SHOPIFY_SECRET),
        },
        payload: body,
      }),
    ];
    expect(refused.map((r) => [r.statusCode, r.json().code])).toEqual(Array(6).fill([401, 'unauthorized']));
    await app.relay.drain();
    expect(await ordersOf('#1001', 'shopify-main')).toEqual([]);
    expect((await app.inject({ url: '/v1/outbox?state=pending', headers: SECRET })).json().data).toEqual([]);
  });

  it('answers a signed body that is not JSON with 400, and topics it does not act on with 200', async () => {
    const junk = await shopify('{"id": 1,');
    expect([junk.statusCode, junk.json().code]).toEqual([400, 'invalid_request']);
    const other = await shopify(JSON.stringify(documentedOrder()), 'orders/paid');
    expect([other.statusCode, other.json().action]).toEqual([200, 'ignored']);
  });

  /** WooCommerce's documented order 727; the docs' first line has no sku, which a shop selling it would set. */
  const wooOrder = (sku = 'WOO-ALBUM') => {
    const order = fixtureJson<{ line_items: { sku: string }[] } & Record<string, unknown>>(
      'woocommerce-order-created.json',
    );
    if (order.line_items[0]) order.line_items[0].sku = sku;
    return order;
  };

  it("answers WooCommerce's unsigned ping with 200 and books nothing", async () => {
    const ping = await app.inject({
      method: 'POST',
      url: '/v1/channels/test/woo/webhooks',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'webhook_id=15',
    });
    expect([ping.statusCode, ping.json().action]).toEqual([200, 'ping']);
    await app.relay.drain();
    expect((await app.inject({ url: '/v1/outbox?state=dead', headers: SECRET })).json().data).toEqual([]);
    // Any other unsigned body is refused.
    const unsigned = await app.inject({
      method: 'POST',
      url: '/v1/channels/test/woo/webhooks',
      headers: { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.created' },
      payload: JSON.stringify(wooOrder()),
    });
    expect(unsigned.statusCode).toBe(401);
  });

  it("books WooCommerce's documented order once and cancels it on order.updated to cancelled", async () => {
    const body = JSON.stringify(wooOrder());
    expect((await woocommerce(body)).statusCode).toBe(202);
    expect((await woocommerce(body, 'order.updated')).statusCode).toBe(202); // "processing" again: booked once
    await app.relay.drain();
    const [order, ...more] = await ordersOf('727', 'woo');
    expect(more).toEqual([]);
    expect(order?.totals).toEqual({ items: 1800, shipping: 1000, tax: 135, total: 2935, currency: 'USD' });
    expect(order?.shippingAddress).toEqual({
      name: 'John Doe',
      line1: '969 Market',
      postalCode: '94103',
      city: 'San Francisco',
      country: 'US',
      phone: '(555) 555-5555',
      email: 'john.doe@example.com',
    });
    expect(await available('WOO-ALBUM')).toBe(3);
    const cancelled = JSON.stringify({ ...wooOrder(), status: 'cancelled' });
    await woocommerce(cancelled, 'order.updated');
    await app.relay.drain();
    expect((await ordersOf('727', 'woo'))[0]?.status).toBe('cancelled');
    expect(await available('WOO-ALBUM')).toBe(5);
  });

  it('cancels a booked WooCommerce order whose payment failed, and books nothing for an order created as failed', async () => {
    await woocommerce(JSON.stringify({ ...wooOrder(), status: 'pending' }));
    await app.relay.drain();
    expect(await available('WOO-ALBUM')).toBe(3);
    await woocommerce(JSON.stringify({ ...wooOrder(), status: 'failed' }), 'order.updated');
    await app.relay.drain();
    expect((await ordersOf('727', 'woo'))[0]?.status).toBe('cancelled');
    expect(await available('WOO-ALBUM')).toBe(5);
    await woocommerce(JSON.stringify({ ...wooOrder(), id: 728, number: '728', status: 'failed' }));
    await app.relay.drain();
    expect(await ordersOf('728', 'woo')).toEqual([]);
  });

  it("raises WooCommerce's order with an unknown sku as channel_order_failed, and a replay books it once fixed", async () => {
    const body = JSON.stringify(wooOrder('ALBUM-NOT-IN-CATALOGUE'));
    await woocommerce(body);
    await app.relay.drain();
    const [raised] = await exceptions();
    expect(raised).toMatchObject({ kind: 'channel', reason: 'channel_order_failed', orderId: 'ch:woo:727' });
    expect(raised?.detail).toContain('WooCommerce order 727 (id 727) could not be booked: validation_failed');
    expect(raised?.detail).toContain('items[0].sku unknown_sku');
    expect(await ordersOf('727', 'woo')).toEqual([]);
    // Out of stock is raised the same way; once stock arrives, replaying the job books it.
    await woocommerce(JSON.stringify(wooOrder()));
    await app.inject({
      method: 'PUT',
      url: '/v1/inventory/paris/Bar3',
      headers: { ...SECRET, 'content-type': 'application/json' },
      payload: { onHand: 0 },
    });
    await app.relay.drain();
    const dead = (await app.inject({ url: '/v1/outbox?state=dead', headers: SECRET })).json().data as {
      id: number;
      lastError: string;
    }[];
    const outOfStock = dead.find((job) => job.lastError.includes('out_of_stock'));
    expect(outOfStock?.lastError).toContain('out_of_stock (items[1] out_of_stock Bar3)');
    await app.inject({
      method: 'PUT',
      url: '/v1/inventory/paris/Bar3',
      headers: { ...SECRET, 'content-type': 'application/json' },
      payload: { onHand: 3 },
    });
    await app.inject({ method: 'POST', url: `/v1/outbox/${outOfStock?.id}/replay`, headers: SECRET });
    await app.relay.drain();
    expect(await ordersOf('727', 'woo')).toHaveLength(1);
    expect(await available('Bar3')).toBe(2);
  });
});

describe('logs around channel orders', () => {
  it('hold no personal data: neither the address, the name, the phone nor the e-mail of a booked or failed order', async () => {
    const { buildApp } = await import('../../api/src/app.ts');
    const { sqliteStore } = await import('../../api/src/store/sqlite/sqlite-store.ts');
    const lines: string[] = [];
    const app = await buildApp({
      merchants: [channelMerchant()],
      store: sqliteStore({ dataDir: ':memory:' }),
      clock: () => Date.parse('2026-11-23T09:00:00Z'),
      secret: 'test-secret',
      logger: { level: 'trace', stream: { write: (line: string) => lines.push(line) } },
    });
    await app.ready();
    const send = (body: string) => postShopify(app, body);
    const order = fixtureJson('shopify-orders-create.json');
    await send(JSON.stringify(order));
    // And one that fails: its sku unknown.
    await send(
      JSON.stringify({
        ...order,
        id: 450789470,
        name: '#1002',
        line_items: [{ sku: 'NOPE', quantity: 1, price: '1.00' }],
      }),
    );
    await app.relay.drain();
    await app.close();
    const logged = lines.join('\n');
    expect(logged).toContain('outbox job failed'); // the failure was logged …
    for (const personal of [
      'Bob',
      'Norman',
      'Chestnut',
      'Louisville',
      '40202',
      '459-2181',
      'bob.norman@mail.example.com',
    ]) {
      expect(logged).not.toContain(personal); // … without any of the shopper's data
    }
  });
});

describe('limits on channel webhooks', () => {
  it('answers 429 past the merchant’s write limit per channel, and 413 past 2 MB', async () => {
    const config = channelMerchant();
    config.limits = { writesPerMinutePerKey: 2 };
    const app = await testApp({ merchants: [config] });
    const body = JSON.stringify(fixtureJson('shopify-orders-create.json'));
    const send = (payload: string) => postShopify(app, payload);
    const statuses = [(await send(body)).statusCode, (await send(body)).statusCode];
    const limited = await send(body);
    expect([...statuses, limited.statusCode, limited.json().code]).toEqual([202, 202, 429, 'rate_limited']);
    await app.close();

    const roomy = await testApp({ merchants: [channelMerchant()] });
    const huge = await roomy.inject({
      method: 'POST',
      url: '/v1/channels/test/shopify-main/webhooks',
      headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': 'x' },
      payload: `{"note":"${'x'.repeat(2 * 1_048_576)}"}`,
    });
    expect([huge.statusCode, huge.json().code]).toEqual([413, 'payload_too_large']);
    await roomy.close();
  });
});
