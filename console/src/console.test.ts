/// <reference types="mocha" />
// The merchant console in Chromium, page by page: sign-in, a search or a filter, an action, the charts drawn from
// fixture data, axe on every page, keyboard-only use of the orders and exceptions pages, an expired session and
// a viewer. The API is a fake `fetch` answering fixtures and recording each request (the sessions, CSRF and
// role checks themselves are held to the real API in test/api/console-session.test.ts).
import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import './app.ts';
import type { PromesseConsole } from './app.ts';
import { setLocale } from './i18n.ts';

interface Call {
  method: string;
  url: string;
  body: unknown;
  csrf: string | null;
}

const SESSION = {
  merchant: { id: 'demo', name: 'Maison Démo', currency: 'EUR' },
  role: 'operator',
  email: 'ops@shop.example',
  csrfToken: 'csrf-1',
  sessionMinutes: 30,
  publishableKey: 'pk_test_demo',
  warehouses: [
    { id: 'paris', name: 'Paris Nord' },
    { id: 'lyon', name: 'Lyon' },
  ],
  services: [
    { id: 'colissimo-home', name: 'Colissimo Domicile' },
    { id: 'chrono-13', name: 'Chronopost 13h' },
  ],
  skus: [{ sku: 'MUG-01', name: 'Mug' }],
};

const shipment = {
  id: 'shp_1',
  warehouse: 'paris',
  carrier: 'colissimo',
  service: 'colissimo-home',
  items: [{ sku: 'MUG-01', quantity: 2 }],
  reservations: [],
  dispatchDate: '2026-11-23',
  promisedDelivery: { earliest: '2026-11-24', latest: '2026-11-25' },
  status: 'delivered',
  trackingNumber: 'CA123456789FR',
  deliveredAt: '2026-11-27T10:00:00.000Z',
};
const ORDER = {
  id: 'ord_1',
  reference: 'MD-1001',
  channel: null,
  status: 'delivered',
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  promiseId: null,
  optionId: 'colissimo-home',
  items: [{ sku: 'MUG-01', quantity: 2, unitPrice: 1290 }],
  shippingAddress: { name: 'A', line1: '1 rue', postalCode: '75011', city: 'Paris', country: 'FR' },
  totals: { items: 2580, shipping: 590, tax: 0, total: 3170, currency: 'EUR' },
  shipments: [shipment],
  timeline: [
    { at: '2026-11-23T09:00:00.000Z', type: 'order.accepted', actor: 'api_key:k', message: 'Order accepted.' },
    {
      at: '2026-11-23T16:00:00.000Z',
      type: 'shipment.tracking',
      actor: 'carrier:colissimo',
      message: 'picked up (Paris)',
      shipmentId: 'shp_1',
    },
    {
      at: '2026-11-27T10:00:00.000Z',
      type: 'shipment.tracking',
      actor: 'carrier:colissimo',
      message: 'delivered',
      shipmentId: 'shp_1',
    },
  ],
};
const PENDING = {
  ...ORDER,
  id: 'ord_2',
  reference: 'MD-1002',
  status: 'accepted',
  shipments: [{ ...shipment, id: 'shp_2', status: 'pending', trackingNumber: null, deliveredAt: null }],
  timeline: [],
};
const EXCEPTION = {
  id: 'exc_1',
  kind: 'shipment',
  orderId: 'ord_1',
  shipmentId: 'shp_1',
  reason: 'late',
  nextAction: 'Tell the shopper and ask the carrier',
  detail: null,
  state: 'open',
  note: null,
  createdAt: '2026-11-26T08:00:00.000Z',
  updatedAt: '2026-11-26T08:00:00.000Z',
};
const group = (key: string, onTimeRate: number, meanRangeDays: number) => ({
  key,
  shipments: 10,
  delivered: 10,
  onTime: Math.round(onTimeRate * 10),
  early: 0,
  late: 10 - Math.round(onTimeRate * 10),
  onTimeRate,
  meanRangeDays,
  lateDays: { p50: 1, p95: 2 },
  transitDays: { p50: 2, p95: 4 },
});

type Answer = { status?: number; body?: unknown; text?: string; type?: string };

let calls: Call[] = [];
let route: (call: Call) => Answer | undefined = () => undefined;
const realFetch = window.fetch;

/** Answers the console's requests from fixtures. */
function defaults(call: Call): Answer {
  const path = call.url.replace(location.origin, '');
  if (path === '/console/api/session') return { body: SESSION };
  if (path === '/console/api/sign-in') return { body: SESSION };
  if (path === '/console/api/sign-out') return { status: 204 };
  if (path.startsWith('/v1/orders?')) return { body: { data: [ORDER, PENDING] } };
  if (path === '/v1/orders/ord_1') return { body: ORDER };
  if (path === '/v1/orders/ord_2') return { body: PENDING };
  if (path === '/v1/orders/ord_2/cancel') return { body: { ...PENDING, status: 'cancelled' } };
  if (path.startsWith('/v1/exceptions?')) return { body: { data: [EXCEPTION] } };
  if (path.startsWith('/v1/exceptions/exc_1/')) return { body: { ...EXCEPTION, state: 'acknowledged' } };
  if (path === '/v1/inventory')
    return {
      body: {
        data: [
          {
            sku: 'MUG-01',
            warehouses: [
              {
                warehouse: 'paris',
                onHand: 40,
                reserved: 3,
                safetyStock: 2,
                available: 35,
                incoming: [{ quantity: 100, expectedAt: '2026-12-30' }],
              },
              { warehouse: 'lyon', onHand: 0, reserved: 0, safetyStock: 0, available: 0, incoming: [] },
            ],
          },
        ],
      },
    };
  if (path.startsWith('/v1/inventory/MUG-01/movements'))
    return {
      body: {
        sku: 'MUG-01',
        movements: [
          {
            at: '2026-11-30T10:00:00.000Z',
            warehouse: 'paris',
            onHandDelta: 1,
            reservedDelta: 0,
            reason: 'return',
            orderId: 'ord_1',
            note: 'return ret_1',
          },
        ],
      },
    };
  if (path === '/v1/inventory/import')
    return {
      type: 'application/x-ndjson',
      text: [
        { type: 'progress', processed: 1, applied: 1, failed: 0 },
        { type: 'error', line: 3, code: 'unknown_sku', message: 'No product NOPE.' },
        { type: 'summary', processed: 2, applied: 1, failed: 1 },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    };
  if (path === '/v1/webhook-endpoints')
    return {
      body: {
        data: [
          {
            id: 'we_1',
            url: 'https://erp.example.com/hook',
            events: ['*'],
            description: null,
            state: 'disabled',
            disabledReason: 'failing for 5 days',
            createdAt: '2026-11-01T00:00:00.000Z',
          },
        ],
      },
    };
  if (path.startsWith('/v1/webhook-endpoints/we_1/attempts'))
    return {
      body: {
        data: [
          {
            endpointId: 'we_1',
            messageId: 'msg_7_we_1',
            eventType: 'order.accepted',
            attempt: 3,
            at: '2026-11-26T08:00:00.000Z',
            status: 500,
            durationMs: 120,
            error: null,
            excerpt: 'Internal Server Error',
            outcome: 'answered',
          },
        ],
      },
    };
  if (path.startsWith('/v1/webhook-endpoints/we_1/rotate-secret'))
    return {
      body: {
        id: 'we_1',
        url: 'https://erp.example.com/hook',
        events: ['*'],
        description: null,
        state: 'enabled',
        disabledReason: null,
        createdAt: '2026-11-01T00:00:00.000Z',
        secret: 'whsec_new',
      },
    };
  if (path.startsWith('/v1/webhook-endpoints/we_1/')) return { status: 202, body: { replayed: true } };
  if (path.startsWith('/v1/analytics/promise-accuracy')) {
    const query = new URL(call.url, location.origin).searchParams;
    if (query.get('groupBy') === 'lane') return { body: { from: '', to: '', groups: [group('paris→FR', 0.9, 1)] } };
    const fast = query.get('service') === 'chrono-13';
    return {
      body: {
        from: '',
        to: '',
        groups: [group('2026-W47', fast ? 0.95 : 0.8, 1), group('2026-W48', fast ? 0.97 : 0.85, 1.5)],
      },
    };
  }
  return { status: 404, body: { code: 'not_found', message: `no fixture for ${path}` } };
}

function stubFetch() {
  window.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input instanceof Request ? input.url : input);
    const headers = new Headers(init.headers);
    const text = typeof init.body === 'string' ? init.body : null;
    const call: Call = {
      method: init.method ?? 'GET',
      url,
      body: text === null ? null : headers.get('content-type') === 'application/json' ? JSON.parse(text) : text,
      csrf: headers.get('x-csrf-token'),
    };
    calls.push(call);
    const answer = route(call) ?? defaults(call);
    return new Response(answer.status === 204 ? null : (answer.text ?? JSON.stringify(answer.body ?? {})), {
      status: answer.status ?? 200,
      headers: { 'content-type': answer.type ?? 'application/json' },
    });
  };
}

async function open(hash: string): Promise<PromesseConsole> {
  location.hash = hash;
  const app = await fixture<PromesseConsole>(html`<promesse-console></promesse-console>`);
  await waitUntil(() => app.querySelector('main h1'), 'the console did not render a page', { timeout: 5000 });
  await aTimeout(50);
  return app;
}

const posts = () => calls.filter((c) => c.method !== 'GET');

describe('merchant console', () => {
  beforeEach(() => {
    calls = [];
    route = () => undefined;
    setLocale('en');
    stubFetch();
  });
  afterEach(() => {
    window.fetch = realFetch;
    location.hash = '';
  });

  it('signs in with a field labelled "Secret key", then shows the sections', async () => {
    let signedIn = false;
    route = (call) =>
      call.url.endsWith('/console/api/session') && !signedIn
        ? { status: 401, body: { code: 'unauthorized', message: 'Sign in to the console.' } }
        : undefined;
    const app = await fixture<PromesseConsole>(html`<promesse-console></promesse-console>`);
    await waitUntil(() => app.querySelector('pc-sign-in form'), 'no sign-in form');
    const field = [...app.querySelectorAll('label')]
      .find((l) => l.textContent?.includes('Secret key'))
      ?.querySelector('input');
    expect(field, 'a "Secret key" field').to.exist;
    await expect(app).to.be.accessible();
    (field as HTMLInputElement).value = 'sk_test_demo';
    signedIn = true;
    (app.querySelector('pc-sign-in button[type=submit]') as HTMLButtonElement).click();
    await waitUntil(() => app.querySelector('nav'), 'not signed in');
    expect(posts()[0]).to.deep.include({ url: '/console/api/sign-in', body: { secretKey: 'sk_test_demo' } });
    expect([...app.querySelectorAll('nav a')].map((a) => a.textContent?.trim())).to.deep.equal([
      'Orders',
      'Exceptions',
      'Stock',
      'Webhooks',
      'Promise accuracy',
      'Promise simulator',
    ]);
  });

  it('orders: searches by reference, status and date, and is usable with the keyboard alone', async () => {
    const app = await open('#/orders');
    await waitUntil(() => app.querySelector('tbody tr'), 'no orders');
    await expect(app).to.be.accessible();
    // The late order says so: delivered on the 27th, promised by the 25th.
    expect(app.querySelector('tbody tr .late')?.textContent).to.equal('late');
    (app.querySelector('input[name=reference]') as HTMLInputElement).value = 'MD-1001';
    (app.querySelector('select[name=status]') as HTMLSelectElement).value = 'delivered';
    (app.querySelector('input[name=from]') as HTMLInputElement).value = '2026-11-01';
    (app.querySelector('form[role=search] button') as HTMLButtonElement).click();
    await waitUntil(() => calls.some((c) => c.url.includes('reference=MD-1001')), 'no search');
    expect(calls.at(-1)?.url).to.equal('/v1/orders?reference=MD-1001&status=delivered&from=2026-11-01');
    // Keyboard only: Tab from the search button to the first order's link, Enter opens it.
    (app.querySelector('form[role=search] button') as HTMLButtonElement).focus();
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement?.textContent).to.equal('MD-1001');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => app.querySelector('pc-order-detail h1'), 'the order did not open');
    expect(location.hash).to.equal('#/orders/ord_1');
  });

  it('order detail: promised range against the delivery, scans on a time line, and cancel with the CSRF token', async () => {
    const app = await open('#/orders/ord_1');
    await waitUntil(() => app.querySelector('pc-order-detail .card'), 'no shipment');
    const card = app.querySelector('pc-order-detail .card') as HTMLElement;
    expect(card.textContent).to.contain('Promised 2026-11-24 – 2026-11-25');
    expect(card.querySelector('.late')?.textContent).to.equal('late');
    expect([...card.querySelectorAll('.scans li')].map((li) => li.textContent?.trim())).to.have.length(2);
    await expect(app).to.be.accessible();
    location.hash = '#/orders/ord_2';
    await waitUntil(() => app.querySelector('pc-order-detail button.danger'), 'no cancel button');
    const confirm = window.confirm;
    window.confirm = () => true;
    (app.querySelector('pc-order-detail button.danger') as HTMLButtonElement).click();
    await waitUntil(() => posts().length === 1, 'no cancel');
    window.confirm = confirm;
    expect(posts()[0]).to.deep.include({ method: 'POST', url: '/v1/orders/ord_2/cancel', csrf: 'csrf-1' });
  });

  it('exceptions: filters, then acknowledges with the keyboard alone', async () => {
    const app = await open('#/exceptions');
    await waitUntil(() => app.querySelector('tr[data-exception]'), 'no exception');
    await expect(app).to.be.accessible();
    expect(app.querySelector('tr[data-exception]')?.textContent).to.contain('Tell the shopper and ask the carrier');
    const state = app.querySelector('pc-exceptions select') as HTMLSelectElement;
    state.value = 'acknowledged';
    state.dispatchEvent(new Event('change'));
    await waitUntil(() => calls.some((c) => c.url.includes('state=acknowledged')), 'no filter');
    // Keyboard only: focus the order link, Tab to Acknowledge, Space presses it.
    (app.querySelector('tr[data-exception] a') as HTMLAnchorElement).focus();
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement?.textContent?.trim()).to.equal('Acknowledge');
    await sendKeys({ press: 'Space' });
    await waitUntil(() => posts().length === 1, 'not acknowledged');
    expect(posts()[0]).to.deep.include({ url: '/v1/exceptions/exc_1/acknowledge', csrf: 'csrf-1' });
  });

  it('stock: levels per warehouse, the ledger of a sku, and an import with its progress and per-line errors', async () => {
    const app = await open('#/stock');
    await waitUntil(() => app.querySelector('pc-stock tbody tr'), 'no levels');
    await expect(app).to.be.accessible();
    const first = app.querySelector('pc-stock tbody tr') as HTMLElement;
    expect([...first.querySelectorAll('td')].map((td) => td.textContent?.trim())).to.deep.equal([
      'Paris Nord',
      '40',
      '3',
      '2',
      '35',
      '100 (2026-12-30)',
    ]);
    (first.querySelector('button.link') as HTMLButtonElement).click();
    await waitUntil(() => app.querySelector('#ledger-title'), 'no ledger');
    expect(app.querySelector('#ledger-title')?.parentElement?.textContent).to.contain('return ret_1');
    const input = app.querySelector('input[type=file]') as HTMLInputElement;
    const files = new DataTransfer();
    files.items.add(
      new File(['warehouse,sku,onHand\nparis,MUG-01,41\nparis,NOPE,1\n'], 'stock.csv', { type: 'text/csv' }),
    );
    input.files = files.files;
    (app.querySelector('pc-stock form button') as HTMLButtonElement).click();
    await waitUntil(() => app.querySelector('pc-stock .errors li'), 'no import errors');
    expect(app.querySelector('pc-stock .errors li')?.textContent).to.contain('Line 3: unknown_sku');
    expect((app.querySelector('pc-stock progress') as HTMLProgressElement).value).to.equal(2);
    expect(posts()[0]).to.deep.include({ url: '/v1/inventory/import', csrf: 'csrf-1' });
  });

  it('webhooks: an endpoint with its attempts; replay, rotate the secret, re-enable', async () => {
    const app = await open('#/webhooks');
    await waitUntil(() => app.querySelector('pc-webhooks tbody tr'), 'no attempts');
    await expect(app).to.be.accessible();
    expect(app.querySelector('pc-webhooks tbody tr')?.textContent).to.contain('Internal Server Error');
    const button = (label: string) =>
      [...app.querySelectorAll('pc-webhooks button')].find((b) => b.textContent?.trim() === label) as HTMLButtonElement;
    button('Replay').click();
    await waitUntil(() => posts().length === 1, 'no replay');
    expect(posts()[0]?.url).to.equal('/v1/webhook-endpoints/we_1/messages/msg_7_we_1/replay');
    button('Rotate secret').click();
    await waitUntil(() => app.querySelector('pc-webhooks .message')?.textContent?.includes('whsec_new'), 'no secret');
    button('Re-enable').click();
    await waitUntil(() => posts().some((c) => c.url.endsWith('/enable')), 'not re-enabled');
  });

  it('promise accuracy: draws the on-time rate and range width per service from the analytics, with the figures as tables', async () => {
    const app = await open('#/accuracy');
    await waitUntil(() => app.querySelectorAll('pc-chart canvas').length === 2, 'no charts drawn');
    await expect(app).to.be.accessible();
    const [rate] = [...app.querySelectorAll('pc-chart')];
    expect(rate?.querySelector('canvas')?.getAttribute('aria-label')).to.equal('On-time rate by week');
    const rows = [...(rate?.querySelectorAll('details tbody tr') ?? [])].map((tr) =>
      [...tr.children].map((cell) => cell.textContent?.trim()).join(' '),
    );
    expect(rows).to.deep.equal(['2026-W47 80% 95%', '2026-W48 85% 97%']);
    expect(calls.some((c) => c.url.includes('groupBy=week&service=chrono-13'))).to.equal(true);
    expect(app.querySelector('#lanes-title')?.parentElement?.querySelector('tbody')?.textContent).to.contain(
      'paris→FR',
    );
    const by = app.querySelector('select[name=by]') as HTMLSelectElement;
    by.value = 'warehouse';
    by.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => calls.some((c) => c.url.includes('warehouse=lyon')), 'not by warehouse');
  });

  it('promise simulator: renders the element itself for a cart, a destination and an instant', async () => {
    const app = await open('#/simulator');
    await expect(app).to.be.accessible();
    (app.querySelector('input[name=items]') as HTMLInputElement).value = 'MUG-01:2';
    (app.querySelector('input[name=postalCode]') as HTMLInputElement).value = '69002';
    (app.querySelector('input[name=at]') as HTMLInputElement).value = '2026-11-23T10:00';
    (app.querySelector('pc-simulator form button') as HTMLButtonElement).click();
    await waitUntil(() => app.querySelector('delivery-promise'), 'no element');
    const element = app.querySelector('delivery-promise') as HTMLElement;
    expect(element.getAttribute('key')).to.equal('pk_test_demo');
    expect(element.getAttribute('items')).to.equal('MUG-01:2');
    expect(element.getAttribute('postal-code')).to.equal('69002');
    expect(element.getAttribute('at')).to.equal(new Date('2026-11-23T10:00').toISOString());
  });

  it('shows a viewer what it may read and disables what only operators do', async () => {
    route = (call) =>
      call.url.endsWith('/console/api/session') ? { body: { ...SESSION, role: 'viewer' } } : undefined;
    const app = await open('#/exceptions');
    await waitUntil(() => app.querySelector('tr[data-exception] button'), 'no exception');
    expect((app.querySelector('tr[data-exception] button') as HTMLButtonElement).disabled).to.equal(true);
    expect(app.querySelector('pc-exceptions .hint')?.textContent).to.contain('Viewers can read');
  });

  it('brings the sign-in back, saying so, when the session expires', async () => {
    const app = await open('#/orders');
    route = (call) =>
      call.url.includes('/v1/exceptions')
        ? { status: 401, body: { code: 'unauthorized', message: 'Your console session has expired: sign in again.' } }
        : undefined;
    location.hash = '#/exceptions';
    await waitUntil(() => app.querySelector('pc-sign-in'), 'no sign-in after expiry');
    expect(app.querySelector('pc-sign-in .notice')?.textContent).to.contain('expired');
  });

  it('speaks French', async () => {
    setLocale('fr');
    const app = await open('#/orders');
    expect(app.querySelector('main h1')?.textContent).to.equal('Commandes');
    expect(app.querySelector('nav a[href="#/accuracy"]')?.textContent).to.equal('Fiabilité des promesses');
  });
});
