// Takes the README's screenshots of the console with Debian's Chromium (puppeteer-core, no download), after giving
// the demo merchant a few weeks of orders through the API: booked in the past with the test key's `at`, delivered
// on time or late by pushed tracking events, one failed attempt (an exception) and one webhook endpoint.
// Usage: PROMESSE_ALLOW_PRIVATE_WEBHOOKS=true PROMESSE_DATA_DIR=$(mktemp -d) npm start (in another shell), then:
//   node console/screenshot.mjs [http://127.0.0.1:8787]
import puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS, requireChromium } from '../widget/chromium.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:8787';
const KEY = { authorization: 'Bearer sk_test_demo', 'content-type': 'application/json' };
const DAY = 86_400_000;
const api = async (method, path, body) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...KEY, 'idempotency-key': crypto.randomUUID() },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return response.json();
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Books one order at `at`, waits for its label, and has the carrier deliver it `lateBy` days after `latest`. */
async function deliveredOrder(at, sku, postalCode, lateBy, pick = 0) {
  const promise = await (
    await fetch(`${base}/v1/promise?key=pk_test_demo&items=${sku}:1&country=FR&postalCode=${postalCode}&at=${at}`)
  ).json();
  // Home services only (a pickup point's parcel waits at the counter): the first, second or third of them.
  const home = (promise.options ?? []).filter((o) => o.deliveryType === 'home');
  const option = home[pick % Math.max(1, home.length)];
  if (!option) return null;
  const order = await api('POST', '/v1/orders', {
    reference: `MD-${Math.floor(Date.parse(at) / 60_000) % 1_000_000}`,
    optionId: option.id,
    items: [{ sku, quantity: 1, unitPrice: 1290 }],
    shippingAddress: { name: 'Client Démo', line1: '10 rue de la Roquette', postalCode, city: 'Paris', country: 'FR' },
    totals: { items: 1290, shipping: option.price.amount, tax: 0, total: 1290 + option.price.amount, currency: 'EUR' },
    at,
  });
  for (let i = 0; i < 40; i++) {
    const current = await api('GET', `/v1/orders/${order.id}`);
    const shipment = current.shipments?.[0];
    if (shipment?.trackingNumber) {
      const latest = Date.parse(`${shipment.promisedDelivery.latest}T10:00:00Z`);
      const events =
        lateBy === null
          ? [{ status: 'failed_attempt', occurredAt: new Date(latest - 3600_000).toISOString() }]
          : [{ status: 'delivered', occurredAt: new Date(latest + lateBy * DAY).toISOString() }];
      await api('POST', '/v1/tracking/events', {
        events: [
          { status: 'in_transit', occurredAt: new Date(Date.parse(at) + 8 * 3600_000).toISOString() },
          ...events,
        ].map((e) => ({ ...e, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber })),
      });
      return current;
    }
    await sleep(250);
  }
  return order;
}

const now = Date.now();
const orders = [];
for (let day = 42; day >= 3; day -= 1) {
  const at = new Date(now - day * DAY + 9 * 3600_000).toISOString();
  const lateBy = day % 5 === 0 ? 1 : day % 7 === 0 ? 2 : -1;
  orders.push(await deliveredOrder(at, day % 2 ? 'MUG-01' : 'TEE-02', day % 4 ? '75011' : '69002', lateBy, day % 3));
}
orders.push(await deliveredOrder(new Date(now - 2 * DAY).toISOString(), 'CANDLE-03', '75011', null));
await api('POST', '/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/erp', events: ['*'] });
await sleep(3000);

const browser = await puppeteer.launch({ executablePath: requireChromium(), args: CHROMIUM_FLAGS });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 860 });
  await page.goto(`${base}/console/`, { waitUntil: 'networkidle0' });
  await page.type('input[name=secretKey]', 'sk_test_demo');
  await page.click('button[type=submit]');
  await page.waitForSelector('nav');
  const late = orders.find((o) => o?.id) ?? null;
  const shots = [
    ['orders', '#/orders'],
    ['order', late ? `#/orders/${late.id}` : '#/orders'],
    ['exceptions', '#/exceptions'],
    ['stock', '#/stock'],
    ['webhooks', '#/webhooks'],
    ['accuracy', '#/accuracy'],
  ];
  for (const [name, hash] of shots) {
    await page.goto(`${base}/console/${hash}`, { waitUntil: 'networkidle0' });
    await sleep(600);
    await page.screenshot({ path: `console/screenshots/${name}.png`, fullPage: name === 'accuracy' });
  }
  await page.goto(`${base}/console/#/simulator`, { waitUntil: 'networkidle0' });
  await page.click('pc-simulator form button');
  await sleep(2500);
  await page.screenshot({ path: 'console/screenshots/simulator.png' });
  await page.goto(`${base}/console/`, { waitUntil: 'networkidle0' });
  await page.click('header button');
  await page.waitForSelector('pc-sign-in');
  await page.screenshot({ path: 'console/screenshots/sign-in.png' });
  console.log('wrote console/screenshots/*.png');
} finally {
  await browser.close();
}
