/**
 * Pipeline benchmarks, in process: booking commit → first webhook attempt (the relay as npm start runs it,
 * delivering to a receiver on loopback), and tracking events ingested per second in batches of 1,000.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../api/src/app.ts';
import { sqliteStore } from '../api/src/store/sqlite/sqlite-store.ts';
import { benchMerchant } from './bench-merchant.ts';

const SECRET = { authorization: 'Bearer sk_test_demo', 'content-type': 'application/json' };

function bookingBody() {
  return {
    reference: randomUUID(),
    optionId: 'colissimo-home',
    items: [{ sku: 'BENCH-001', quantity: 1, unitPrice: 100 }],
    shippingAddress: { name: 'Bench', line1: '1 rue', postalCode: '75011', city: 'Paris', country: 'FR' },
    totals: { items: 100, shipping: 0, tax: 0, total: 100, currency: 'EUR' },
  };
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;

export async function webhookLatency(bookings = 100): Promise<{ p50: number; p95: number; delivered: number }> {
  const arrived = new Map<string, number>();
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const event = JSON.parse(body) as { type: string; data: { order?: { id: string } } };
      if (event.type === 'order.accepted' && event.data.order) arrived.set(event.data.order.id, performance.now());
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const app = await buildApp({
    merchants: [benchMerchant()],
    store: sqliteStore({ dataDir: mkdtempSync(join(tmpdir(), 'promesse-bench-')) }),
    pipeline: { allowPrivateWebhooks: true },
  });
  await app.ready();
  app.startPipeline();
  const { port } = receiver.address() as { port: number };
  await app.inject({
    method: 'POST',
    url: '/v1/webhook-endpoints',
    headers: SECRET,
    payload: { url: `http://127.0.0.1:${port}/`, events: ['order.accepted'] },
  });
  const committed = new Map<string, number>();
  for (let i = 0; i < bookings; i++) {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...SECRET, 'idempotency-key': randomUUID() },
      payload: bookingBody(),
    });
    committed.set(response.json().id, performance.now());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const deadline = Date.now() + 10_000;
  while (arrived.size < bookings && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await app.close();
  receiver.close();
  const latencies = [...committed].flatMap(([id, at]) => (arrived.has(id) ? [(arrived.get(id) as number) - at] : []));
  return { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), delivered: latencies.length };
}

export async function trackingIngestion(
  shipments = 200,
  eventsPerShipment = 10,
): Promise<{ perSecond: number; applied: number }> {
  const app = await buildApp({
    merchants: [benchMerchant()],
    store: sqliteStore({ dataDir: mkdtempSync(join(tmpdir(), 'promesse-bench-')) }),
  });
  await app.ready();
  for (let i = 0; i < shipments; i++) {
    await app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...SECRET, 'idempotency-key': randomUUID() },
      payload: bookingBody(),
    });
  }
  await app.relay.drain();
  const tracking: string[] = [];
  for (const job of await app.store.ordersInFlight({ after: null, limit: 100_000 }))
    for (const s of job.order.shipments) if (s.trackingNumber) tracking.push(s.trackingNumber);
  const codes = ['PCK', 'ACC', 'TRN', 'TRN', 'TRN', 'ARR', 'OFD', 'FAT', 'OFD', 'DLV'];
  const events = tracking.flatMap((trackingNumber) =>
    Array.from({ length: eventsPerShipment }, (_, i) => ({
      trackingNumber,
      carrier: 'colissimo',
      code: codes[i % codes.length],
      eventId: `${trackingNumber}-${i}`,
      occurredAt: new Date(Date.UTC(2026, 10, 23, 16) + i * 3_600_000).toISOString(),
    })),
  );
  const started = performance.now();
  let applied = 0;
  for (let i = 0; i < events.length; i += 1000) {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/tracking/events',
      headers: SECRET,
      payload: { events: events.slice(i, i + 1000) },
    });
    applied += response.json().applied;
  }
  const seconds = (performance.now() - started) / 1000;
  await app.close();
  return { perSecond: events.length / seconds, applied };
}
