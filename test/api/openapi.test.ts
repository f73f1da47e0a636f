/**
 * The OpenAPI document against the server: a full flow (promise, booking, label, stock, imports, history,
 * webhooks, tracking, exceptions, errors) through every operation the document lists, each real answer checked
 * against it with ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses): its status is declared, its media type is
 * declared, and its body validates (each line of a JSON-lines answer; a PDF's bytes). An operation the flow does
 * not reach, or one it reaches that the document lacks, fails the test, so the document cannot drift.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sender } from '../../api/src/pipeline/webhooks/send.ts';
import { SECRET, testApp } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';

// ajv-formats is CommonJS: its default export arrives as the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

const CARRIER_SECRET = 'carrier-shared-secret-0123456789';
const CHANNEL_SECRET = 'shopify-app-secret-0123456789';
const JSON_HEADERS = { ...SECRET, 'content-type': 'application/json' };

let app: FastifyInstance;
let doc: Document;
let ajv: Ajv2020;
/** `GET /v1/orders/{id}` → the statuses seen */
const seen = new Map<string, Set<number>>();
const problems: string[] = [];

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Checks one real answer against the document's operation `method template`. */
function check(method: string, template: string, response: LightMyRequestResponse): void {
  const name = `${method.toUpperCase()} ${template}`;
  const statuses = seen.get(name) ?? new Set<number>();
  statuses.add(response.statusCode);
  seen.set(name, statuses);
  const operation = doc.paths[template]?.[method];
  if (!operation) {
    problems.push(`${name}: not in the document`);
    return;
  }
  const status = String(response.statusCode);
  const key = status in operation.responses ? status : `${status[0]}XX`;
  const declared = operation.responses[key];
  if (!declared) {
    problems.push(`${name}: answered ${status}, which the document does not declare`);
    return;
  }
  const type = String(response.headers['content-type'] ?? '').split(';')[0] ?? '';
  if (response.rawPayload.length === 0) {
    if (declared.content) problems.push(`${name} ${status}: no body, but the document declares content`);
    return;
  }
  const media = declared.content?.[type];
  if (!media) {
    problems.push(`${name} ${status}: ${type} is not among ${Object.keys(declared.content ?? {}).join(', ')}`);
    return;
  }
  const schemaRef = `doc#/${pointer('paths', template, method, 'responses', key, 'content', type, 'schema')}`;
  const validate = ajv.getSchema(schemaRef);
  if (!validate) {
    problems.push(`${name} ${status}: no schema for ${type}`);
    return;
  }
  const bodies =
    type === 'application/x-ndjson'
      ? response.body
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line))
      : type === 'application/json'
        ? [response.json()]
        : [];
  if (type === 'application/pdf' && !response.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-'))) {
    problems.push(`${name} ${status}: not a PDF`);
  }
  for (const body of bodies) {
    if (!validate(body)) {
      problems.push(`${name} ${status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(body).slice(0, 300)}`);
    }
  }
}

/** Injects a request and checks its answer against `method template`. */
async function call(method: string, template: string, options: InjectOptions): Promise<LightMyRequestResponse> {
  const response = await app.inject({ method: method.toUpperCase() as 'GET', ...options });
  check(method, template, response);
  return response;
}

const book = (reference = randomUUID()) =>
  call('post', '/v1/orders', {
    url: '/v1/orders',
    headers: { ...JSON_HEADERS, 'idempotency-key': randomUUID() },
    payload: {
      reference,
      optionId: 'colissimo-home',
      items: [{ sku: 'MUG-01', quantity: 1, unitPrice: 100 }],
      shippingAddress: { name: 'A', line1: '1 rue', postalCode: '75011', city: 'Paris', country: 'FR' },
      totals: { items: 100, shipping: 0, tax: 0, total: 100, currency: 'EUR' },
    },
  });

beforeAll(async () => {
  const config = baseConfig();
  (config.carriers[0] as { trackingSecret?: string }).trackingSecret = CARRIER_SECRET;
  config.channels = [{ id: 'shop', type: 'shopify', secret: CHANNEL_SECRET }];
  // A Swiss lane and what customs need, for the CN23.
  const lane = config.carriers[0]?.services[0]?.lanes[0];
  if (lane) lane.to = ['FR', 'CH'];
  config.merchant.eori = 'FR12345678901';
  for (const product of config.products) Object.assign(product, { hsCode: '691200', originCountry: 'FR' });
  const send: Sender = async () => ({ status: 200, excerpt: 'ok' });
  app = await testApp({
    merchants: [config],
    pipeline: { allowPrivateWebhooks: false, resolve: async () => ['93.184.216.34'], send },
  });
  doc = (await app.inject('/openapi.json')).json();
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'doc');
});

afterAll(async () => app?.close());

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and declares every answer of a full flow, with bodies that validate against it', async () => {
    expect(doc.openapi).toBe('3.1.0');

    // Operations
    await call('get', '/health', { url: '/health' });
    await call('get', '/ready', { url: '/ready' });

    // Promises: 200, 304, 400, 401
    const promiseUrl = '/v1/promise?key=pk_test_fixture&sku=MUG-01&country=FR&postalCode=75011';
    const promise = await call('get', '/v1/promise', { url: promiseUrl });
    await call('get', '/v1/promise', { url: promiseUrl, headers: { 'if-none-match': String(promise.headers.etag) } });
    await call('get', '/v1/promise', { url: '/v1/promise?key=pk_test_fixture&sku=MUG-01&country=XX' });
    await call('get', '/v1/promise', { url: '/v1/promise?sku=MUG-01&country=FR' });

    // Bookings: 201, a replay, 400 without a key, 401, 403 with a publishable key, 404, 409
    const booked = (await book()).json();
    const replayKey = randomUUID();
    const replayBody = {
      reference: randomUUID(),
      optionId: 'colissimo-home',
      items: [{ sku: 'MUG-01', quantity: 1, unitPrice: 100 }],
      shippingAddress: { name: 'A', line1: '1 rue', postalCode: '75011', city: 'Paris', country: 'FR' },
      totals: { items: 100, shipping: 0, tax: 0, total: 100, currency: 'EUR' },
    };
    for (let i = 0; i < 2; i++) {
      await call('post', '/v1/orders', {
        url: '/v1/orders',
        headers: { ...JSON_HEADERS, 'idempotency-key': replayKey },
        payload: replayBody,
      });
    }
    await call('post', '/v1/orders', { url: '/v1/orders', headers: JSON_HEADERS, payload: replayBody });
    await call('post', '/v1/orders', { url: '/v1/orders', payload: replayBody });
    await call('post', '/v1/orders', {
      url: '/v1/orders?key=pk_test_fixture',
      headers: { authorization: 'Bearer pk_test_fixture', 'content-type': 'application/json' },
      payload: replayBody,
    });
    await book(booked.reference); // 409 duplicate_reference
    await call('get', '/v1/orders/{id}', { url: `/v1/orders/${booked.id}`, headers: SECRET });
    await call('get', '/v1/orders/{id}', { url: '/v1/orders/ord_nope', headers: SECRET });
    await call('get', '/v1/orders', { url: `/v1/orders?reference=${booked.reference}`, headers: SECRET });
    await call('get', '/v1/orders', { url: '/v1/orders?status=nope', headers: SECRET });
    await call('get', '/v1/orders', { url: '/v1/orders?status=accepted&from=2026-11-01&limit=5', headers: SECRET });
    await call('get', '/v1/orders', { url: '/v1/orders?from=2026-01-01&to=2026-12-31', headers: SECRET });

    // An edit before the label (200), a refused one (422); after the label, 409 (below).
    const edit = (payload: Record<string, unknown>) =>
      call('patch', '/v1/orders/{id}', {
        url: `/v1/orders/${booked.id}`,
        headers: { ...JSON_HEADERS, 'idempotency-key': randomUUID() },
        payload,
      });
    await edit({ shippingAddress: { name: 'B', line1: '2 rue', postalCode: '75012', city: 'Paris', country: 'FR' } });
    await edit({ items: [{ sku: 'NOPE', quantity: 1 }] });

    // A Swiss order: its CN23 is not ready before the label (409), a PDF after it.
    const swiss = (
      await call('post', '/v1/orders', {
        url: '/v1/orders',
        headers: { ...JSON_HEADERS, 'idempotency-key': randomUUID() },
        payload: {
          reference: randomUUID(),
          optionId: 'colissimo-home',
          items: [{ sku: 'MUG-01', quantity: 1, unitPrice: 100 }],
          shippingAddress: { name: 'A', line1: '1 rue', postalCode: '1204', city: 'Genève', country: 'CH' },
          totals: { items: 100, shipping: 0, tax: 0, total: 100, currency: 'EUR' },
        },
      })
    ).json().shipments[0];
    const customs = '/v1/shipments/{id}/customs';
    await call('get', customs, { url: `/v1/shipments/${swiss.id}/customs`, headers: SECRET });

    // Labels through the pipeline, then the label PDF
    await app.relay.drain();
    await call('get', customs, { url: `/v1/shipments/${swiss.id}/customs`, headers: SECRET });
    await call('get', customs, { url: '/v1/shipments/shp_nope/customs', headers: SECRET });
    await edit({ shippingAddress: { name: 'B', line1: '3 rue', postalCode: '75013', city: 'Paris', country: 'FR' } });
    const labelled = (await app.inject({ url: `/v1/orders/${booked.id}`, headers: SECRET })).json();
    const shipment = labelled.shipments[0];
    await call('get', '/v1/shipments/{id}/label', { url: `/v1/shipments/${shipment.id}/label`, headers: SECRET });
    await call('get', '/v1/shipments/{id}/label', { url: '/v1/shipments/shp_nope/label', headers: SECRET });
    await call('get', '/v1/outbox', { url: '/v1/outbox', headers: SECRET });
    await call('get', '/v1/outbox', { url: '/v1/outbox?state=done', headers: SECRET });
    await call('post', '/v1/outbox/{id}/replay', { url: '/v1/outbox/job_nope/replay', headers: SECRET });

    // Stock
    await call('get', '/v1/inventory', { url: '/v1/inventory', headers: SECRET });
    await call('get', '/v1/inventory/{sku}', { url: '/v1/inventory/MUG-01', headers: SECRET });
    await call('get', '/v1/inventory/{sku}', { url: '/v1/inventory/NOPE', headers: SECRET });
    await call('get', '/v1/inventory/{sku}/movements', { url: '/v1/inventory/MUG-01/movements', headers: SECRET });
    await call('put', '/v1/inventory/{warehouse}/{sku}', {
      url: '/v1/inventory/paris/MUG-01',
      headers: JSON_HEADERS,
      payload: { onHand: 50, incoming: [{ quantity: 5, expectedAt: '2026-12-01' }] },
    });
    await call('put', '/v1/inventory/{warehouse}/{sku}', {
      url: '/v1/inventory/paris/MUG-01',
      headers: JSON_HEADERS,
      payload: { onHand: -1 },
    });
    await call('post', '/v1/inventory/{warehouse}/{sku}/adjustments', {
      url: '/v1/inventory/paris/MUG-01/adjustments',
      headers: JSON_HEADERS,
      payload: { onHandDelta: -1, note: 'broken' },
    });
    await call('post', '/v1/inventory/import', {
      url: '/v1/inventory/import',
      headers: { ...SECRET, 'content-type': 'text/csv' },
      payload: 'warehouse,sku,onHand,safetyStock,incoming\nparis,MUG-01,40,,\nparis,NOPE,1,,',
    });
    await call('post', '/v1/inventory/import', {
      url: '/v1/inventory/import',
      headers: { ...SECRET, 'content-type': 'text/plain' },
      payload: 'x',
    });

    // Delivery history and accuracy
    await call('post', '/v1/transit-history/import', {
      url: '/v1/transit-history/import',
      headers: { ...SECRET, 'content-type': 'application/x-ndjson' },
      payload: [
        { service: 'colissimo-home', warehouse: 'paris', country: 'FR', postalCode: '75011' },
        {
          service: 'colissimo-home',
          warehouse: 'paris',
          country: 'FR',
          postalCode: '75011',
          dispatchedAt: '2026-11-02T15:00:00Z',
          deliveredAt: '2026-11-04T10:00:00Z',
        },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    });
    await call('get', '/v1/analytics/promise-accuracy', {
      url: '/v1/analytics/promise-accuracy?from=2026-11-01&to=2026-11-30&groupBy=week',
      headers: SECRET,
    });
    await call('get', '/v1/analytics/promise-accuracy', {
      url: '/v1/analytics/promise-accuracy?from=2026-11-30&to=2026-11-01',
      headers: SECRET,
    });

    // Webhook endpoints: create, list, read, rotate, deliveries and their attempts, replay, enable, delete
    const endpoint = (
      await call('post', '/v1/webhook-endpoints', {
        url: '/v1/webhook-endpoints',
        headers: JSON_HEADERS,
        payload: { url: 'https://hooks.example.com/promesse', events: ['*'] },
      })
    ).json();
    await call('post', '/v1/webhook-endpoints', {
      url: '/v1/webhook-endpoints',
      headers: JSON_HEADERS,
      payload: { url: 'https://hooks.example.com/x', events: ['order.eaten'] },
    });
    await call('get', '/v1/webhook-endpoints', { url: '/v1/webhook-endpoints', headers: SECRET });
    const endpointUrl = `/v1/webhook-endpoints/${endpoint.id}`;
    await call('get', '/v1/webhook-endpoints/{id}', { url: endpointUrl, headers: SECRET });
    await call('post', '/v1/webhook-endpoints/{id}/rotate-secret', {
      url: `${endpointUrl}/rotate-secret`,
      headers: SECRET,
    });
    await book();
    await app.relay.drain();
    const attempts = (
      await call('get', '/v1/webhook-endpoints/{id}/attempts', { url: `${endpointUrl}/attempts`, headers: SECRET })
    ).json();
    expect(attempts.data.length).toBeGreaterThan(0);
    await call('post', '/v1/webhook-endpoints/{id}/messages/{messageId}/replay', {
      url: `${endpointUrl}/messages/${attempts.data[0].messageId}/replay`,
      headers: SECRET,
    });
    await call('post', '/v1/webhook-endpoints/{id}/messages/{messageId}/replay', {
      url: `${endpointUrl}/messages/msg_nope/replay`,
      headers: SECRET,
    });
    await call('post', '/v1/webhook-endpoints/{id}/enable', { url: `${endpointUrl}/enable`, headers: SECRET });

    // Tracking, by secret key and by a carrier's signed push; a failed attempt opens an exception
    await call('post', '/v1/tracking/events', {
      url: '/v1/tracking/events',
      headers: JSON_HEADERS,
      payload: {
        events: [
          {
            carrier: 'colissimo',
            trackingNumber: shipment.trackingNumber,
            code: 'PCK',
            occurredAt: '2026-11-23T16:00:00Z',
          },
          { carrier: 'colissimo', trackingNumber: 'NOPE', code: 'PCK', occurredAt: '2026-11-23T16:00:00Z' },
        ],
      },
    });
    await call('post', '/v1/tracking/events', { url: '/v1/tracking/events', headers: JSON_HEADERS, payload: {} });
    const push = JSON.stringify({
      events: [{ trackingNumber: shipment.trackingNumber, code: 'FAT', occurredAt: '2026-11-25T10:00:00Z' }],
    });
    const signature = `sha256=${createHmac('sha256', CARRIER_SECRET).update(push).digest('hex')}`;
    const pushUrl = '/v1/tracking/carriers/test/colissimo/events';
    const template = '/v1/tracking/carriers/{merchant}/{carrier}/events';
    await call('post', template, {
      url: pushUrl,
      headers: { 'content-type': 'application/json', 'x-promesse-signature': signature },
      payload: push,
    });
    await call('post', template, {
      url: pushUrl,
      headers: { 'content-type': 'application/json', 'x-promesse-signature': 'sha256=00' },
      payload: push,
    });
    // Karrio's webhooks: no Karrio carrier in this config, so every secret is wrong.
    await call('post', '/v1/carriers/karrio/{merchantId}/webhooks', {
      url: '/v1/carriers/karrio/test/webhooks',
      headers: { 'content-type': 'application/json', 'x-event-id': 'not-the-secret' },
      payload: { event: 'tracker.updated', data: { tracking_number: shipment.trackingNumber } },
    });

    // A shop platform's order webhook: stored (202), a topic left alone (200), a wrong signature (401).
    const channelOrder = JSON.stringify({ id: 1001, name: '#1001', currency: 'EUR', line_items: [] });
    for (const [topic, signature] of [
      ['orders/create', createHmac('sha256', CHANNEL_SECRET).update(channelOrder).digest('base64')],
      ['orders/paid', createHmac('sha256', CHANNEL_SECRET).update(channelOrder).digest('base64')],
      ['orders/create', 'AAAA'],
    ] as const) {
      await call('post', '/v1/channels/{merchant}/{channelId}/webhooks', {
        url: '/v1/channels/test/shop/webhooks',
        headers: { 'content-type': 'application/json', 'x-shopify-topic': topic, 'x-shopify-hmac-sha256': signature },
        payload: channelOrder,
      });
    }

    await app.relay.drain();
    const exceptions = (await call('get', '/v1/exceptions', { url: '/v1/exceptions', headers: SECRET })).json();
    const exception = exceptions.data.find((e: { reason: string }) => e.reason === 'failed_attempt');
    expect(exception).toBeDefined();
    await call('post', '/v1/exceptions/{id}/acknowledge', {
      url: `/v1/exceptions/${exception.id}/acknowledge`,
      headers: JSON_HEADERS,
      payload: {},
    });
    await call('post', '/v1/exceptions/{id}/resolve', {
      url: `/v1/exceptions/${exception.id}/resolve`,
      headers: JSON_HEADERS,
      payload: { note: 'redelivered' },
    });
    await call('post', '/v1/exceptions/{id}/resolve', {
      url: '/v1/exceptions/exc_nope/resolve',
      headers: JSON_HEADERS,
      payload: {},
    });

    // Returns: a delivered order's return, from request to refund, and the refusals on the way
    const returned = (await book()).json();
    await app.relay.drain();
    const delivered = (await app.inject({ url: `/v1/orders/${returned.id}`, headers: SECRET })).json();
    await app.inject({
      method: 'POST',
      url: '/v1/tracking/events',
      headers: JSON_HEADERS,
      payload: {
        events: [
          {
            carrier: 'colissimo',
            trackingNumber: delivered.shipments[0].trackingNumber,
            status: 'delivered',
            occurredAt: '2026-11-24T10:00:00Z',
          },
        ],
      },
    });
    const returnBody = { method: 'label', items: [{ sku: 'MUG-01', quantity: 1, reason: 'damaged' }] };
    const returnsOf = '/v1/orders/{id}/returns';
    const ret = (
      await call('post', returnsOf, {
        url: `/v1/orders/${returned.id}/returns`,
        headers: JSON_HEADERS,
        payload: returnBody,
      })
    ).json();
    await call('post', returnsOf, {
      url: `/v1/orders/${returned.id}/returns`,
      headers: JSON_HEADERS,
      payload: returnBody,
    });
    await call('post', returnsOf, { url: '/v1/orders/ord_nope/returns', headers: JSON_HEADERS, payload: returnBody });
    await call('get', returnsOf, { url: `/v1/orders/${returned.id}/returns`, headers: SECRET });
    await call('get', returnsOf, { url: '/v1/orders/ord_nope/returns', headers: SECRET });
    const retUrl = `/v1/returns/${ret.id}`;
    await call('get', '/v1/returns/{id}', { url: retUrl, headers: SECRET });
    await call('get', '/v1/returns/{id}', { url: '/v1/returns/ret_nope', headers: SECRET });
    await call('get', '/v1/returns/{id}/label', { url: `${retUrl}/label`, headers: SECRET });
    const step = (action: string, payload: Record<string, unknown> = {}) =>
      call('post', `/v1/returns/{id}/${action}`, { url: `${retUrl}/${action}`, headers: JSON_HEADERS, payload });
    await step('refund');
    await step('approve', { note: 'ok' });
    await app.relay.drain();
    await call('get', '/v1/returns/{id}/label', { url: `${retUrl}/label`, headers: SECRET });
    await call('get', '/v1/returns/{id}/label', { url: '/v1/returns/ret_nope/label', headers: SECRET });
    await step('receive');
    await step('inspect', { items: [{ sku: 'MUG-01', quantity: 2, condition: 'resellable' }] });
    await step('inspect', { items: [{ sku: 'MUG-01', quantity: 1, condition: 'resellable' }] });
    await step('refund');
    await step('reject');

    // Cancelling, then the endpoint's deletion (204) and a second one (404)
    const other = (await book()).json();
    await call('post', '/v1/orders/{id}/cancel', {
      url: `/v1/orders/${other.id}/cancel`,
      headers: JSON_HEADERS,
      payload: { reason: 'customer asked' },
    });
    await call('post', '/v1/orders/{id}/cancel', {
      url: '/v1/orders/ord_nope/cancel',
      headers: JSON_HEADERS,
      payload: {},
    });
    await call('delete', '/v1/webhook-endpoints/{id}', { url: endpointUrl, headers: SECRET });
    await call('delete', '/v1/webhook-endpoints/{id}', { url: endpointUrl, headers: SECRET });

    expect(problems).toEqual([]);
    const listed = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect([...seen.keys()].sort()).toEqual(listed.sort());
    // Every answer a booking can give in the flow above, as declared.
    expect([...(seen.get('POST /v1/orders') ?? [])].sort()).toEqual([201, 400, 401, 403, 409]);
  });
});
