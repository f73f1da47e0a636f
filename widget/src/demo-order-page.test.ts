/// <reference types="mocha" />
// The demo storefront's order page (demo/site/order.html), in the browser: it lives beside the element's tests
// because the browser test runner runs widget/src. The page is loaded as it is, from the test server, with its
// fetch answered by an order whose every field carries markup.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';

const SITE = new URL('../../demo/site/', import.meta.url);
const XSS = '<img src=x onerror="parent.demoXss=true">';
// What the order page rendered with innerHTML before: a bare tag, one that closes an attribute, one that closes a
// tag the page wrote.
const markup = (field: string) => `${field} ${XSS} "><img src=x onerror="parent.demoXss=true"> </small>${XSS}`;

const order = {
  id: 'ord_1',
  reference: markup('MD-REF'),
  channel: 'demo',
  status: markup('status'),
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:05:00.000Z',
  promiseId: null,
  optionId: 'colissimo-home',
  items: [{ sku: markup('SKU'), quantity: 1, unitPrice: 100 }],
  shippingAddress: {
    name: markup('Name'),
    line1: markup('Line'),
    postalCode: '75011',
    city: markup('City'),
    country: 'FR',
  },
  totals: { items: 100, shipping: 0, tax: 0, total: 100, currency: 'EUR' },
  shipments: [
    {
      id: markup('shp'),
      warehouse: 'paris',
      carrier: markup('carrier'),
      service: 'home',
      items: [{ sku: markup('SKU'), quantity: 1 }],
      reservations: [],
      dispatchDate: '2026-11-23',
      promisedDelivery: { earliest: markup('2026-11-24'), latest: markup('2026-11-25') },
      status: markup('shipment-status'),
      trackingNumber: markup('TRACK'),
    },
  ],
  timeline: [
    { at: '2026-11-23T09:00:00.000Z', type: 'order.accepted', actor: 'system', message: 'Order accepted.' },
    {
      at: '2026-11-23T09:03:00.000Z',
      type: 'shipment.tracking',
      actor: 'carrier:sandbox',
      message: `in transit (Paris): ${markup('tracking')}`,
    },
    {
      at: '2026-11-23T09:05:00.000Z',
      type: 'order.cancelled',
      actor: 'api_key:abc',
      message: markup('cancel reason'),
    },
  ],
};

type DemoWindow = Window & { demoOrder?: unknown; demoXss?: boolean; demoCalls?: { url: string; body: unknown }[] };

describe('demo storefront order page', () => {
  afterEach(() => {
    delete (window as DemoWindow).demoOrder;
    delete (window as DemoWindow).demoXss;
    delete (window as DemoWindow).demoCalls;
  });

  it('shows markup in tracking descriptions, cancel reasons and other order data as text, never as elements', async () => {
    Object.assign(window, { demoOrder: order });
    const page = await (await fetch(new URL('order.html', SITE))).text();
    // The page's own file, from its own folder, with fetch answering the order (a classic script runs before modules).
    const stub = `<base href="${SITE}"><script>window.fetch = async () =>
      new Response(JSON.stringify(parent.demoOrder), { headers: { 'content-type': 'application/json' } });</script>`;
    const frame = await fixture<HTMLIFrameElement>(html`<iframe title="order page"></iframe>`);
    frame.srcdoc = page.replace('<head>', `<head>${stub}`);
    await waitUntil(
      () => (frame.contentDocument?.querySelectorAll('#timeline li').length ?? 0) === 3,
      'the order page did not render the timeline',
      { timeout: 5000 },
    );
    const doc = frame.contentDocument as Document;
    const text = (selector: string) => doc.querySelector(selector)?.textContent ?? '';

    expect(doc.querySelectorAll('img').length).to.equal(0);
    expect(text('#title')).to.equal(`Commande ${order.reference}`);
    expect(text('#summary')).to.equal(`Statut : ${order.status}`);
    const shipment = text('#shipments li');
    for (const field of ['carrier', 'TRACK', '2026-11-24', '2026-11-25', 'shipment-status', 'SKU']) {
      expect(shipment).to.contain(markup(field));
    }
    expect(doc.querySelector('#shipments a[data-label]')?.getAttribute('data-label')).to.equal(markup('shp'));
    const timeline = [...doc.querySelectorAll('#timeline li')].map((li) => li.textContent ?? '');
    expect(timeline[1]).to.contain(`in transit (Paris): ${markup('tracking')}`);
    expect(timeline[2]).to.contain(markup('cancel reason'));
    expect((window as DemoWindow).demoXss).to.equal(undefined);
  });

  it('asks for a return of delivered items and plays the back office: the inspection sends every unit resellable', async () => {
    const delivered = {
      ...order,
      reference: 'MD-RET',
      status: 'delivered',
      items: [{ sku: 'MUG-01', quantity: 2, unitPrice: 1290 }],
      shipments: [
        {
          ...order.shipments[0],
          id: 'shp_1',
          items: [{ sku: 'MUG-01', quantity: 2 }],
          status: 'delivered',
          deliveredAt: '2026-11-25T10:00:00.000Z',
        },
      ],
      returns: [
        {
          id: 'ret_1',
          orderId: 'ord_1',
          status: 'received',
          method: 'label',
          items: [{ sku: 'MUG-01', quantity: 1, reason: 'damaged', shipmentId: 'shp_1' }],
          warehouse: 'paris',
          label: { trackingNumber: 'CA123456789FR', carrier: 'colissimo', service: 'colissimo-home' },
          inspection: null,
          refund: null,
          createdAt: '2026-11-26T09:00:00.000Z',
          updatedAt: '2026-11-27T09:00:00.000Z',
          timeline: [],
        },
      ],
    };
    Object.assign(window, { demoOrder: delivered, demoCalls: [] });
    const page = await (await fetch(new URL('order.html', SITE))).text();
    const stub = `<base href="${SITE}"><script>window.fetch = async (url, init = {}) => {
      if (init.method === 'POST') parent.demoCalls.push({ url: String(url), body: JSON.parse(init.body) });
      return new Response(JSON.stringify(parent.demoOrder), { headers: { 'content-type': 'application/json' } });
    };</script>`;
    const frame = await fixture<HTMLIFrameElement>(html`<iframe title="order page"></iframe>`);
    frame.srcdoc = page.replace('<head>', `<head>${stub}`);
    await waitUntil(() => frame.contentDocument?.querySelector('#return-list li'), 'no returns rendered', {
      timeout: 5000,
    });
    const doc = frame.contentDocument as Document;
    expect((doc.getElementById('returns') as HTMLElement).hidden).to.equal(false);
    expect(doc.querySelector('#return-list li')?.textContent).to.contain('reçu');
    const quantity = doc.querySelector('input[data-sku="MUG-01"]') as HTMLInputElement;
    expect(quantity.max).to.equal('1'); // two delivered, one already coming back
    quantity.value = '1';
    (doc.querySelector('select[data-reason="MUG-01"]') as HTMLSelectElement).value = 'wrong_item';
    (doc.querySelector('#return-form button[type="submit"]') as HTMLButtonElement).click();
    const calls = () => (window as DemoWindow).demoCalls ?? [];
    await waitUntil(() => calls().length === 1, 'the return was not asked for', { timeout: 5000 });
    expect(calls()[0]).to.deep.equal({
      url: '/v1/orders/ord_1/returns',
      body: { items: [{ sku: 'MUG-01', quantity: 1, reason: 'wrong_item' }], method: 'label' },
    });
    (doc.querySelector('#return-list button[data-action="inspect"]') as HTMLButtonElement).click();
    await waitUntil(() => calls().length === 2, 'the inspection was not sent', { timeout: 5000 });
    expect(calls()[1]).to.deep.equal({
      url: '/v1/returns/ret_1/inspect',
      body: { items: [{ sku: 'MUG-01', quantity: 1, condition: 'resellable' }] },
    });
  });
});
