/**
 * The `karrio` carrier adapter against a fake Karrio held to Karrio's published OpenAPI document
 * (fixtures/fake-karrio.ts), on both stores: one label per shipment whatever fails, refusals dead-lettered with
 * the carrier's message, cancellations voiding the label, tracking by polling and by webhooks (out of order and
 * duplicated), and Karrio's webhook secret refused when wrong.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MerchantConfig } from '../../shared/src/config.ts';
import { bookOne, MONDAY_MORNING, SECRET, storeFactories, testApp } from '../fixtures/app.ts';
import { FakeKarrio } from '../fixtures/fake-karrio.ts';
import { baseConfig, WAREHOUSE_ADDRESS } from '../fixtures/merchant.ts';

const stores = await storeFactories();
const WEBHOOK_SECRET = 'whsec_fake_karrio_0123456789';
const HOUR = 3_600_000;

function karrioConfig(fake: FakeKarrio): MerchantConfig {
  const config = baseConfig();
  const carrier = config.carriers[0];
  if (!carrier) throw new Error('fixture without carrier');
  carrier.adapter = 'karrio';
  carrier.settings = {
    baseUrl: fake.baseUrl,
    apiKey: fake.apiKey,
    webhookSecret: WEBHOOK_SECRET,
    serviceCodes: Object.fromEntries(carrier.services.map((s) => [s.id, 'colissimo_home'])),
    timeoutMs: 2000,
  };
  for (const w of config.warehouses) {
    w.address = { ...WAREHOUSE_ADDRESS };
  }
  // Switzerland too, and what its customs need.
  const lane = carrier.services[0]?.lanes[0];
  if (lane) lane.to = ['FR', 'CH'];
  config.merchant.eori = 'FR12345678901';
  for (const product of config.products) Object.assign(product, { hsCode: '691200', originCountry: 'PT' });
  return config;
}

describe.each(stores)('the karrio adapter on %s', (_name, makeStore) => {
  let fake: FakeKarrio;
  let app: FastifyInstance;
  let now = MONDAY_MORNING;

  beforeAll(async () => {
    fake = await new FakeKarrio().start();
  });
  afterAll(async () => fake.stop());
  beforeEach(async () => {
    fake.shipments.clear();
    fake.trackers.clear();
    fake.violations.length = 0;
    fake.requests.length = 0;
    fake.received.length = 0;
    now = MONDAY_MORNING;
    app = await testApp({ store: await makeStore(), now: () => now, merchants: [karrioConfig(fake)] });
  });
  afterEach(async () => {
    await app.close();
    expect(fake.violations).toEqual([]);
  });

  const order = async (id: string) => (await app.inject({ url: `/v1/orders/${id}`, headers: SECRET })).json();
  /** Runs the outbox until nothing is due, an hour later each round (retries wait their backoff). */
  const work = async (rounds = 8) => {
    for (let i = 0; i < rounds; i++) {
      await app.relay.drain();
      now += HOUR;
    }
  };
  const book = async () => {
    const response = await bookOne(app);
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  };
  const webhook = (payload: unknown, secret = WEBHOOK_SECRET) =>
    app.inject({
      method: 'POST',
      url: '/v1/carriers/karrio/test/webhooks',
      headers: { 'content-type': 'application/json', 'x-event-id': secret },
      payload: payload as Record<string, unknown>,
    });

  it("buys one label, with Karrio's tracking number, through a lost answer, a 500 and a 429", async () => {
    fake.fault('createShipment', 'lose');
    fake.fault('listShipments', 'fail500', 'busy429');
    const id = await book();
    await work();
    const booked = await order(id);
    const shipment = booked.shipments[0];
    expect(fake.labelsBought).toBe(1);
    const [bought] = [...fake.shipments.values()];
    expect(shipment.trackingNumber).toBe(bought?.tracking_number);
    expect(bought).toMatchObject({
      reference: shipment.id,
      service: 'colissimo_home',
      metadata: { promesse_shipment_id: shipment.id },
    });
    expect(bought?.recipient).toMatchObject({ country_code: 'FR', postal_code: expect.any(String) });
    expect(bought?.shipper).toMatchObject({ person_name: 'Entrepôt Paris Nord', city: 'Saint-Denis' });
    // The lost answer was looked up before buying again.
    expect(fake.requests.filter((r) => r === 'POST /v1/shipments')).toHaveLength(1);
    const label = await app.inject({ url: `/v1/shipments/${shipment.id}/label`, headers: SECRET });
    expect(label.statusCode).toBe(200);
    expect(label.body.startsWith('%PDF-')).toBe(true);
  });

  it('sends the customs of a parcel to Switzerland in the shipment request, as Karrio documents them', async () => {
    const response = await bookOne(app, {
      items: [{ sku: 'MUG-01', quantity: 2, unitPrice: 1290 }],
      shippingAddress: { name: 'A', line1: '1 rue du Rhône', postalCode: '1204', city: 'Genève', country: 'CH' },
      totals: { items: 2580, shipping: 0, tax: 0, total: 2580, currency: 'EUR' },
    });
    expect(response.statusCode).toBe(201);
    await work(2);
    const [sent] = fake.received;
    // The fake checked the body against Karrio's ShipmentData (CustomsData, CommodityData) already.
    expect(sent?.customs).toEqual({
      commodities: [
        {
          weight: 450,
          weight_unit: 'G',
          title: 'Mug',
          description: 'Mug',
          quantity: 2,
          sku: 'MUG-01',
          hs_code: '691200',
          value_amount: 12.9,
          value_currency: 'EUR',
          origin_country: 'PT',
        },
      ],
      content_type: 'merchandise',
      incoterm: 'DAP',
      invoice: expect.any(String),
      commercial_invoice: true,
      certify: true,
      signer: 'Test Shop',
      duty: { paid_by: 'recipient', currency: 'EUR' },
      options: { eori_number: 'FR12345678901' },
    });
    // Within the EU, no customs.
    await bookOne(app);
    await work(2);
    expect(fake.received[1]?.customs).toBeUndefined();
  });

  it("dead-letters a refusal at once, with the carrier's message, as a carrier_refused exception", async () => {
    fake.fault('createShipment', 'refuse424');
    const id = await book();
    await work();
    const refused = await order(id);
    expect(refused.shipments[0]).toMatchObject({ status: 'pending', trackingNumber: null });
    expect(refused.timeline.map((t: { type: string }) => t.type)).toContain('shipment.label_refused');
    const exceptions = (await app.inject({ url: '/v1/exceptions', headers: SECRET })).json().data;
    expect(exceptions).toEqual([
      expect.objectContaining({
        reason: 'carrier_refused',
        orderId: id,
        detail: expect.stringContaining('Le code postal du destinataire est invalide'),
      }),
    ]);
    expect(fake.requests).toEqual(['GET /v1/shipments', 'POST /v1/shipments']);
    const dead = (await app.inject({ url: '/v1/outbox?state=dead', headers: SECRET })).json().data;
    expect(dead).toHaveLength(1);
  });

  it('voids the label when an order that has not left is cancelled', async () => {
    const id = await book();
    await work(2);
    const cancel = await app.inject({
      method: 'POST',
      url: `/v1/orders/${id}/cancel`,
      headers: { ...SECRET, 'content-type': 'application/json' },
      payload: {},
    });
    expect(cancel.statusCode).toBe(200);
    await work(2);
    expect([...fake.shipments.values()].map((s) => s.status)).toEqual(['cancelled']);
    expect((await order(id)).timeline.map((t: { type: string }) => t.type)).toContain('shipment.label_cancelled');
  });

  it('follows the tracker by polling to delivered', async () => {
    const id = await book();
    await work(2);
    const tn = (await order(id)).shipments[0].trackingNumber as string;
    fake.scan(tn, 'in_transit', { date: '2026-11-23', time: '06:10 PM' }, 'Pris en charge');
    await app.trackingPoller.runOnce();
    expect((await order(id)).shipments[0].status).toBe('in_transit');
    now += 2 * 86_400_000;
    fake.scan(tn, 'delivered', { date: '2026-11-25', time: '11:02 AM' }, 'Votre colis est livré');
    await app.trackingPoller.runOnce();
    const delivered = await order(id);
    expect(delivered.status).toBe('delivered');
    expect(delivered.shipments[0]).toMatchObject({ status: 'delivered', deliveredAt: '2026-11-25T10:02:00.000Z' });
    expect(delivered.timeline.map((t: { message: string }) => t.message)).toContain('Votre colis est livré (Paris)');
  });

  /** A delivered order with a return approved: its id and the return's. */
  const approvedReturn = async () => {
    const id = await book();
    await work(2);
    const tn = (await order(id)).shipments[0].trackingNumber as string;
    fake.scan(tn, 'delivered', { date: '2026-11-24', time: '11:02 AM' }, 'Votre colis est livré');
    await app.trackingPoller.runOnce();
    const asked = await app.inject({
      method: 'POST',
      url: `/v1/orders/${id}/returns`,
      headers: { ...SECRET, 'content-type': 'application/json' },
      payload: { method: 'label', items: [{ sku: 'MUG-01', quantity: 1, reason: 'changed_mind' }] },
    });
    expect(asked.statusCode).toBe(201);
    const returnId = asked.json().id as string;
    await app.inject({ method: 'POST', url: `/v1/returns/${returnId}/approve`, headers: SECRET });
    return { id, returnId };
  };

  it('buys a return label from the shopper to the warehouse (is_return), and its tracker marks the return received', async () => {
    const { returnId } = await approvedReturn();
    await work(2);
    const sent = fake.received.at(-1);
    expect(sent).toMatchObject({
      reference: returnId,
      options: { is_return: true },
      shipper: { postal_code: '75011', country_code: 'FR' },
      recipient: { postal_code: WAREHOUSE_ADDRESS.postalCode, address_line1: WAREHOUSE_ADDRESS.line1 },
    });
    const ret = (await app.inject({ url: `/v1/returns/${returnId}`, headers: SECRET })).json();
    expect(ret).toMatchObject({ status: 'label_created', label: { carrier: 'colissimo' } });
    fake.scan(ret.label.trackingNumber, 'delivered', { date: '2026-11-27', time: '09:30 AM' }, 'Livré');
    now += 3 * 86_400_000;
    await app.trackingPoller.runOnce();
    expect((await app.inject({ url: `/v1/returns/${returnId}`, headers: SECRET })).json().status).toBe('received');
  });

  it("announces an approved return even when the carrier refuses its label, and says why on the return's timeline", async () => {
    const { id, returnId } = await approvedReturn();
    fake.fault('createShipment', 'refuse424');
    await work();
    const ret = (await app.inject({ url: `/v1/returns/${returnId}`, headers: SECRET })).json();
    expect(ret).toMatchObject({ status: 'approved', label: null });
    expect(ret.timeline.map((t: { type: string }) => t.type)).toContain('return.label_refused');
    const done = (await app.inject({ url: '/v1/outbox?state=done', headers: SECRET })).json().data;
    expect(done.map((job: { type: string }) => job.type)).toContain('return.approved');
    const exceptions = (await app.inject({ url: '/v1/exceptions', headers: SECRET })).json().data;
    expect(exceptions).toContainEqual(expect.objectContaining({ reason: 'carrier_refused', orderId: id }));
  });

  it("voids a rejected return's label at Karrio", async () => {
    const { returnId } = await approvedReturn();
    await work(2);
    expect((await app.inject({ url: `/v1/returns/${returnId}`, headers: SECRET })).json().status).toBe('label_created');
    const rejected = await app.inject({ method: 'POST', url: `/v1/returns/${returnId}/reject`, headers: SECRET });
    expect(rejected.json().status).toBe('rejected');
    await work(2);
    expect(fake.requests.filter((r) => r.endsWith('/cancel'))).toHaveLength(1);
    const ret = (await app.inject({ url: `/v1/returns/${returnId}`, headers: SECRET })).json();
    expect(ret.timeline.map((t: { type: string }) => t.type)).toContain('return.label_cancelled');
  });

  it("applies Karrio's webhooks once, out of order, and refuses a wrong secret", async () => {
    const id = await book();
    await work(2);
    const tn = (await order(id)).shipments[0].trackingNumber as string;
    fake.scan(tn, 'in_transit', { date: '2026-11-23', time: '18:10' }, 'Pris en charge');
    const early = fake.webhook(tn);
    fake.scan(tn, 'out_for_delivery', { date: '2026-11-25', time: '08:00' }, 'En cours de livraison');
    fake.scan(tn, 'delivered', { date: '2026-11-25', time: '11:02' }, 'Livré');
    const late = fake.webhook(tn);

    expect((await webhook(late, 'wrong-secret')).statusCode).toBe(401);
    expect((await webhook(late, '')).statusCode).toBe(401);
    expect((await order(id)).shipments[0].status).toBe('label_created');

    const first = await webhook(late);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ applied: 4, duplicates: 0, rejected: [] });
    const again = await webhook(late);
    expect(again.json()).toMatchObject({ applied: 0, duplicates: 4 });
    // The older state arrives last: it adds its status to the timeline but moves nothing back.
    const older = await webhook(early);
    expect(older.json()).toMatchObject({ applied: 1, duplicates: 1 });
    const settled = await order(id);
    expect(settled.shipments[0].status).toBe('delivered');
    expect(settled.status).toBe('delivered');
    // Karrio's other events are acknowledged and left alone.
    const other = await webhook({ event: 'shipment.purchased', data: { id: 'shp_x' } });
    expect(other.json()).toEqual({ applied: 0, unknown: 0, duplicates: 0, rejected: [] });
  });
});
