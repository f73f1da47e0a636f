/**
 * The console's sessions (CONTRACT §10) on both stores: sign-in by secret key or as a configured user (scrypt
 * hashes from `promesse hash-password`), a server-side session in an HttpOnly, SameSite=Strict cookie, CSRF tokens
 * and a same-origin Origin on every state change, viewers refused what operators may do, idle expiry by the app's
 * clock, sign-out, a rate-limited sign-in, and one merchant's session unable to reach another's orders.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../api/src/console/passwords.ts';
import type { MerchantConfig } from '../../shared/src/config.ts';
import { bookOne, MONDAY_MORNING, storeFactories, testApp } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';

const stores = await storeFactories();
const ORIGIN = 'http://localhost:80';
const PASSWORD = 'correct horse battery staple';
let operatorHash = '';

beforeAll(async () => {
  operatorHash = await hashPassword(PASSWORD);
});

function merchants(): MerchantConfig[] {
  const shop = baseConfig();
  shop.users = [
    { email: 'ops@shop.example', passwordHash: operatorHash, role: 'operator' },
    { email: 'Viewer@shop.example', passwordHash: operatorHash, role: 'viewer' },
  ];
  shop.console = { sessionMinutes: 20 };
  const other = baseConfig();
  other.merchant.id = 'other';
  other.keys = [{ key: 'sk_test_other', type: 'secret' }];
  return [shop, other];
}

/** The store's key of a session: its id (the cookie's value before the signature), hashed. */
const storedId = (cookie: string) =>
  createHash('sha256')
    .update(decodeURIComponent(cookie.split('=')[1] ?? '').split('.')[0] ?? '')
    .digest('base64url');

const cookieOf = (response: LightMyRequestResponse) => {
  const header = response.headers['set-cookie'];
  const line = (Array.isArray(header) ? header : [header ?? '']).find((c) => c.startsWith('promesse_console='));
  return line?.split(';')[0] ?? '';
};

describe.each(stores)('console sessions on %s', (_name, makeStore) => {
  let app: FastifyInstance;
  let now = MONDAY_MORNING;
  // A test may run two apps on one store: the second to close finds the store closed already.
  afterEach(async () => app.close().catch(() => {}));
  const start = async () => {
    now = MONDAY_MORNING;
    app = await testApp({ store: await makeStore(), now: () => now, merchants: merchants() });
  };
  const signIn = async (body: Record<string, string>) => {
    const response = await app.inject({
      method: 'POST',
      url: '/console/api/sign-in',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      payload: body,
    });
    return { response, cookie: cookieOf(response), csrf: response.json().csrfToken as string };
  };

  it('signs in with a secret key into an HttpOnly, SameSite=Strict session that reads and, with its token, acts', async () => {
    await start();
    const order = (await bookOne(app)).json();
    const { response, cookie, csrf } = await signIn({ secretKey: 'sk_test_fixture' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      merchant: { id: 'test' },
      role: 'operator',
      email: null,
      sessionMinutes: 20,
    });
    const set = String(response.headers['set-cookie']);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    expect(set).not.toMatch(/Secure/); // plain HTTP here; behind TLS the cookie is Secure
    expect(set).not.toMatch(/Max-Age|Expires/); // until the browser closes; the server ends it when idle
    expect((await app.inject({ url: `/v1/orders/${order.id}`, headers: { cookie } })).statusCode).toBe(200);
    const cancel = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/cancel`,
        headers: { cookie, ...headers },
        payload: {},
      });
    // No token, a wrong one, another site's Origin: refused before anything changes.
    expect((await cancel({ origin: ORIGIN })).json().code).toBe('forbidden');
    expect((await cancel({ origin: ORIGIN, 'x-csrf-token': 'nope' })).statusCode).toBe(403);
    expect((await cancel({ origin: 'https://evil.example', 'x-csrf-token': csrf })).statusCode).toBe(403);
    expect((await app.inject({ url: `/v1/orders/${order.id}`, headers: { cookie } })).json().status).toBe('accepted');
    const done = await cancel({ origin: ORIGIN, 'x-csrf-token': csrf });
    expect(done.statusCode).toBe(200);
    expect(done.json().timeline.at(-1).actor).toMatch(/^api_key:/);
  });

  it("signs users in by e-mail (any case) and password; a viewer reads but is refused an operator's action", async () => {
    await start();
    const order = (await bookOne(app)).json();
    expect((await signIn({ email: 'ops@shop.example', password: 'wrong password!' })).response.statusCode).toBe(401);
    expect((await signIn({ email: 'nobody@shop.example', password: PASSWORD })).response.statusCode).toBe(401);
    const viewer = await signIn({ email: 'viewer@shop.example', password: PASSWORD });
    expect(viewer.response.json()).toMatchObject({ role: 'viewer', email: 'Viewer@shop.example' });
    expect((await app.inject({ url: `/v1/orders/${order.id}`, headers: { cookie: viewer.cookie } })).statusCode).toBe(
      200,
    );
    const refused = await app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/cancel`,
      headers: { cookie: viewer.cookie, origin: ORIGIN, 'x-csrf-token': viewer.csrf },
      payload: {},
    });
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'forbidden']);
    const operator = await signIn({ email: 'ops@shop.example', password: PASSWORD });
    const cancelled = await app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/cancel`,
      headers: { cookie: operator.cookie, origin: ORIGIN, 'x-csrf-token': operator.csrf },
      payload: {},
    });
    expect(cancelled.json().timeline.at(-1).actor).toBe('user:ops@shop.example');
  });

  it('signs out after console.sessionMinutes idle by the app clock, and at sign-out', async () => {
    await start();
    const { cookie, csrf } = await signIn({ secretKey: 'sk_test_fixture' });
    now += 19 * 60_000;
    expect((await app.inject({ url: '/console/api/session', headers: { cookie } })).statusCode).toBe(200);
    now += 19 * 60_000; // 19 minutes after the last request: still in
    expect((await app.inject({ url: '/v1/exceptions', headers: { cookie } })).statusCode).toBe(200);
    now += 21 * 60_000;
    const expired = await app.inject({ url: '/v1/exceptions', headers: { cookie } });
    expect([expired.statusCode, expired.json().message]).toEqual([401, expect.stringContaining('expired')]);
    expect((await app.inject({ url: '/v1/exceptions', headers: { cookie } })).statusCode).toBe(401);

    const again = await signIn({ secretKey: 'sk_test_fixture' });
    const out = await app.inject({
      method: 'POST',
      url: '/console/api/sign-out',
      headers: { cookie: again.cookie, origin: ORIGIN, 'x-csrf-token': again.csrf },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/promesse_console=;.*Expires=Thu, 01 Jan 1970/);
    expect((await app.inject({ url: '/console/api/session', headers: { cookie: again.cookie } })).statusCode).toBe(401);
    expect(csrf).not.toBe(again.csrf);
  });

  it('reads a session it cannot parse as none, and one for a merchant no longer served as expired', async () => {
    await start();
    const { cookie } = await signIn({ secretKey: 'sk_test_fixture' });
    const id = storedId(cookie);
    await app.store.setSession(id, '{not json', Date.now() + 60_000);
    expect((await app.inject({ url: '/v1/exceptions', headers: { cookie } })).statusCode).toBe(401);
    const again = await signIn({ secretKey: 'sk_test_fixture' });
    const againId = storedId(again.cookie);
    const data = JSON.parse((await app.store.getSession(againId, Date.now())) ?? '{}');
    data.console.merchantId = 'gone';
    await app.store.setSession(againId, JSON.stringify(data), Date.now() + 60_000);
    const gone = await app.inject({ url: '/v1/exceptions', headers: { cookie: again.cookie } });
    expect([gone.statusCode, gone.json().code]).toEqual([401, 'unauthorized']);
  });

  it('ends the sessions of a user removed from the config, or made a viewer, and of a key rotated out', async () => {
    const store = await makeStore();
    const before = merchants();
    const after = merchants();
    const shop = after[0] as MerchantConfig;
    shop.users = [{ email: 'ops@shop.example', passwordHash: operatorHash, role: 'viewer' }];
    shop.keys = [{ key: 'sk_test_rotated', type: 'secret' }];
    // Two processes on one store: the first with the old config, the second restarted with the new one.
    app = await testApp({ store, now: () => now, merchants: before });
    const restarted = await testApp({ store, now: () => now, merchants: after });
    try {
      const bodies: Record<string, string>[] = [
        { secretKey: 'sk_test_fixture' },
        { email: 'ops@shop.example', password: PASSWORD },
      ];
      for (const body of bodies) {
        const { cookie } = await signIn(body);
        expect((await app.inject({ url: '/v1/exceptions', headers: { cookie } })).statusCode).toBe(200);
        const ended = await restarted.inject({ url: '/v1/exceptions', headers: { cookie } });
        expect([ended.statusCode, ended.json().message]).toEqual([401, expect.stringContaining('changed')]);
      }
    } finally {
      await restarted.close().catch(() => {});
    }
  });

  it("keeps a session to its merchant: another merchant's order is not found", async () => {
    await start();
    const theirs = (await bookOne(app, {}, 'sk_test_other')).json();
    const { cookie } = await signIn({ secretKey: 'sk_test_fixture' });
    expect((await app.inject({ url: `/v1/orders/${theirs.id}`, headers: { cookie } })).statusCode).toBe(404);
  });

  it('refuses a sign-in from another origin, and limits sign-ins per address', async () => {
    await start();
    const foreign = await app.inject({
      method: 'POST',
      url: '/console/api/sign-in',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      payload: { secretKey: 'sk_test_fixture' },
    });
    expect(foreign.statusCode).toBe(403);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await signIn({ secretKey: 'sk_test_wrong' })).response.statusCode);
    expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect((await app.inject({ url: '/console/api/session' })).statusCode).toBe(401);
  });
});
