import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppOptions } from '../../api/src/app.ts';
import type { Sender } from '../../api/src/pipeline/webhooks/send.ts';
import type { Resolver } from '../../api/src/pipeline/webhooks/ssrf-guard.ts';
import { RETRY_SCHEDULE_MS } from '../../api/src/pipeline/webhooks/webhook-jobs.ts';
import { MONDAY_MORNING, SECRET, storeFactories, testApp } from '../fixtures/app.ts';

const stores = await storeFactories();
const json = { ...SECRET, 'content-type': 'application/json' };

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver on loopback that answers each request with the next fault of its script, then 200. */
async function receiver(
  script: ('500' | 'slow' | 'reset' | '410' | '200')[],
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      const fault = script.shift() ?? '200';
      if (fault === 'reset') return request.socket.destroy();
      if (fault === 'slow') return; // never answers: the sender's timeout ends it
      response.statusCode = Number(fault);
      response.end(fault === '200' ? 'ok' : `fault ${fault} ${'x'.repeat(2000)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hooks`, received, server };
}

describe.each(stores)('webhooks on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  let now = MONDAY_MORNING;
  let server: Server | undefined;
  afterEach(async () => {
    await app?.close();
    server?.close();
  });

  const start = async (pipeline: AppOptions['pipeline'] = {}) => {
    now = MONDAY_MORNING;
    app = await testApp({ store: await makeStore(), now: () => now, pipeline });
  };
  const register = async (url: string, events = ['*']) =>
    app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: json, payload: { url, events } });
  const book = () =>
    app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...json, 'idempotency-key': randomUUID() },
      payload: {
        reference: randomUUID(),
        optionId: 'colissimo-home',
        items: [{ sku: 'MUG-01', quantity: 1, unitPrice: 1290 }],
        shippingAddress: { name: 'Ada', line1: '1 rue', postalCode: '75011', city: 'Paris', country: 'FR' },
        totals: { items: 1290, shipping: 759, tax: 0, total: 2049, currency: 'EUR' },
      },
    });

  it('registers endpoints with a whsec_ secret shown once, refuses private URLs, and keeps merchants apart', async () => {
    await start({ allowPrivateWebhooks: false, resolve: async () => ['10.0.0.5'] });
    const refused = await register('https://intranet.example.com/hooks');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().details).toEqual([{ field: 'url', code: 'private_address' }]);
    const unknownEvent = await app.inject({
      method: 'POST',
      url: '/v1/webhook-endpoints',
      headers: json,
      payload: { url: 'https://8.8.8.8/h', events: ['order.eaten'] },
    });
    expect(unknownEvent.statusCode).toBe(422);

    const created = await register('https://8.8.8.8/hooks', ['order.accepted']);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      id: expect.stringMatching(/^we_/),
      secret: expect.stringMatching(/^whsec_/),
      state: 'enabled',
    });
    const listed = (await app.inject({ url: '/v1/webhook-endpoints', headers: SECRET })).json().data;
    expect(listed).toHaveLength(1);
    expect(listed[0].secret).toBeUndefined();
    const rotated = await app.inject({
      method: 'POST',
      url: `/v1/webhook-endpoints/${created.json().id}/rotate-secret`,
      headers: SECRET,
    });
    expect(rotated.json().secret).not.toBe(created.json().secret);
    const other = await app.inject({
      url: `/v1/webhook-endpoints/${created.json().id}`,
      headers: { authorization: 'Bearer pk_test_fixture' },
    });
    expect(other.statusCode).toBe(403);
    expect(
      (await app.inject({ method: 'DELETE', url: `/v1/webhook-endpoints/${created.json().id}`, headers: SECRET }))
        .statusCode,
    ).toBe(204);
    expect((await app.inject({ url: `/v1/webhook-endpoints/${created.json().id}`, headers: SECRET })).statusCode).toBe(
      404,
    );
  });

  it('never opens a connection to a URL that now resolves to a private address', async () => {
    const sent: string[] = [];
    const send: Sender = async (target) => {
      sent.push(target.address);
      return { status: 200, excerpt: '' };
    };
    let answer = ['93.184.216.34'];
    const resolve: Resolver = async () => answer;
    await start({ allowPrivateWebhooks: false, resolve, send });
    expect((await register('https://hooks.example.com/promesse')).statusCode).toBe(201);
    answer = ['169.254.169.254']; // DNS rebinding after registration
    await book();
    await app.relay.drain();
    expect(sent).toEqual([]);
    const endpoint = (await app.inject({ url: '/v1/webhook-endpoints', headers: SECRET })).json().data[0];
    const attempts = (
      await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/attempts`, headers: SECRET })
    ).json().data;
    expect(attempts[0].error).toMatch(/^private_address/);
  });

  it('delivers every event through 500s, a timeout and a reset, each signed and verifiable', async () => {
    const { url, received, server: s } = await receiver(['500', 'reset', 'slow']);
    server = s;
    const { httpSender } = await import('../../api/src/pipeline/webhooks/send.ts');
    await start({ allowPrivateWebhooks: true, send: httpSender({ connectTimeoutMs: 300, responseTimeoutMs: 300 }) });
    const endpoint = (await register(url)).json();
    const order = (await book()).json();
    await app.relay.drain();
    // Retries follow the schedule: advance the clock past each delay and run the relay again.
    for (const delay of RETRY_SCHEDULE_MS.slice(0, 4)) {
      now += delay * 1.2;
      await app.relay.drain();
    }
    const verifier = new Webhook(endpoint.secret);
    const delivered = new Map<string, { type: string; data: Record<string, unknown> }>();
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const request of received) {
      // The verifier rejects more than 5 minutes of skew: check each request at the time it was signed (fake clock).
      vi.setSystemTime(Number(request.headers['webhook-timestamp']) * 1000 + 1000);
      const payload = verifier.verify(request.body, {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      }) as { type: string; data: Record<string, unknown> };
      delivered.set(String(request.headers['webhook-id']), payload);
    }
    const first = received[0] as Received;
    vi.setSystemTime(Number(first.headers['webhook-timestamp']) * 1000 + 1000);
    const forged = {
      'webhook-id': String(first.headers['webhook-id']),
      'webhook-timestamp': String(first.headers['webhook-timestamp']),
      'webhook-signature': 'v1,Zm9yZ2Vk',
    };
    expect(() => verifier.verify(first.body, forged)).toThrow(/signature/i);
    vi.useRealTimers();
    const types = [...delivered.values()].map((p) => p.type).sort();
    expect(types).toEqual(['order.accepted', 'shipment.label_created']);
    expect([...delivered.values()].find((p) => p.type === 'order.accepted')?.data.order).toMatchObject({
      id: order.id,
    });
    const attempts = (
      await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/attempts`, headers: SECRET })
    ).json().data;
    expect(attempts.filter((a: { status: number | null }) => a.status === 200)).toHaveLength(2);
    expect(attempts.some((a: { status: number | null }) => a.status === 500)).toBe(true);
    expect(attempts.every((a: { excerpt: string | null }) => (a.excerpt ?? '').length <= 500)).toBe(true);
    expect((await app.inject({ url: '/v1/outbox', headers: SECRET })).json().data).toEqual([]); // nothing dead
  });

  it('redelivers after the lease when the worker delivering died', async () => {
    const { url, received, server: s } = await receiver([]);
    server = s;
    await start({ allowPrivateWebhooks: true });
    await register(url, ['order.accepted']);
    await book();
    await app.relay.runOnce(); // order.accepted fans out: one delivery job is now due
    const leased = await app.store.claimOutboxJobs('worker_killed_mid_delivery', 10, now, 30_000);
    const job = leased.find((j) => j.type === 'webhook.deliver');
    expect(job).toBeDefined();
    await app.relay.drain();
    expect(received).toHaveLength(0); // still leased by the dead worker
    now += 31_000;
    await app.relay.drain();
    expect(received.map((r) => JSON.parse(r.body).type)).toEqual(['order.accepted']);
    expect(received[0]?.headers['webhook-id']).toBe(job?.payload.messageId);

    // Replayed from the endpoint's log: delivered again with the same webhook-id.
    const endpoint = (await app.inject({ url: '/v1/webhook-endpoints', headers: SECRET })).json().data[0];
    const replay = await app.inject({
      method: 'POST',
      url: `/v1/webhook-endpoints/${endpoint.id}/messages/${String(job?.payload.messageId)}/replay`,
      headers: SECRET,
    });
    expect(replay.statusCode).toBe(202);
    await app.relay.drain();
    expect(received.map((r) => r.headers['webhook-id'])).toEqual([job?.payload.messageId, job?.payload.messageId]);
    const missing = await app.inject({
      method: 'POST',
      url: `/v1/webhook-endpoints/${endpoint.id}/messages/msg_nope/replay`,
      headers: SECRET,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('disables an endpoint that answers 410 Gone', async () => {
    const { url, received, server: s } = await receiver(['410']);
    server = s;
    await start({ allowPrivateWebhooks: true });
    const endpoint = (await register(url, ['order.accepted'])).json();
    await book();
    await app.relay.drain();
    expect(received).toHaveLength(1);
    expect((await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}`, headers: SECRET })).json()).toMatchObject({
      state: 'disabled',
      disabledReason: expect.stringContaining('410'),
    });
    await book();
    await app.relay.drain();
    expect(received).toHaveLength(1);
  });

  it('buries a delivery after its last scheduled attempt, and disables the endpoint after 5 days of failures', async () => {
    const calls: number[] = [];
    const send: Sender = async () => {
      calls.push(now);
      return { status: 503, excerpt: 'down' };
    };
    await start({ allowPrivateWebhooks: true, send });
    const endpoint = (await register('http://127.0.0.1:9/hooks', ['order.accepted'])).json();
    await book();
    await app.relay.drain();
    for (let i = 0; i < 10; i++) {
      now += 11 * 3_600_000;
      await app.relay.drain();
    }
    expect(calls.length).toBeLessThanOrEqual(8);
    const after = (await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}`, headers: SECRET })).json();
    const dead = (await app.inject({ url: '/v1/outbox', headers: SECRET })).json().data;
    // Either the schedule ran out (8 attempts, dead) or 5 days passed first (disabled): both end the retries.
    expect(calls.length === 8 ? dead.map((j: { type: string }) => j.type) : [after.state]).toEqual(
      calls.length === 8 ? ['webhook.deliver'] : ['disabled'],
    );
  });
});
