/**
 * Running Promesse behind a load balancer and in production: which proxies are believed about client
 * addresses, who may read /metrics, the security headers, and a start that fails when the port is taken or a
 * setting is bad.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppOptions, buildApp } from '../../api/src/app.ts';
import { parseTrustProxy } from '../../api/src/settings.ts';
import { sqliteStore } from '../../api/src/store/sqlite/sqlite-store.ts';
import { MONDAY_MORNING } from '../fixtures/app.ts';
import { baseConfig } from '../fixtures/merchant.ts';

const PROMISE = '/v1/promise?key=pk_test_fixture&sku=MUG-01&country=FR&postalCode=75011';

async function app(options: Partial<AppOptions> = {}) {
  const config = baseConfig();
  config.limits = { promisePerMinutePerIp: 2 };
  const built = await buildApp({
    merchants: [config],
    store: sqliteStore({ dataDir: ':memory:' }),
    clock: () => MONDAY_MORNING,
    secret: 'test-secret',
    ...options,
  });
  await built.ready();
  return built;
}

describe('PROMESSE_TRUST_PROXY', () => {
  it('reads false, true, a hop count, or addresses and CIDR ranges', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.4,::1')).toEqual(['10.0.0.0/8', '192.168.1.4', '::1']);
    expect(() => parseTrustProxy('lb.internal')).toThrow(/PROMESSE_TRUST_PROXY.*"lb.internal"/);
  });

  it('gives each shopper behind a trusted proxy a per-IP promise budget of their own', async () => {
    const behind = await app({ trustProxy: 1 });
    try {
      const from = (ip: string) => behind.inject({ url: PROMISE, headers: { 'x-forwarded-for': ip } });
      expect((await from('203.0.113.1')).statusCode).toBe(200);
      expect((await from('203.0.113.1')).statusCode).toBe(200);
      expect((await from('203.0.113.1')).statusCode).toBe(429);
      expect((await from('203.0.113.2')).statusCode).toBe(200);
    } finally {
      await behind.close();
    }
  });

  it('believes no X-Forwarded-For by default: a client cannot pick its own address', async () => {
    const direct = await app();
    try {
      const from = (ip: string) => direct.inject({ url: PROMISE, headers: { 'x-forwarded-for': ip } });
      await from('203.0.113.1');
      await from('203.0.113.2');
      expect((await from('203.0.113.3')).statusCode).toBe(429);
    } finally {
      await direct.close();
    }
  });
});

describe('GET /metrics', () => {
  it('answers a direct loopback client when no token is set, and nobody else', async () => {
    const open = await app();
    try {
      expect((await open.inject('/metrics')).statusCode).toBe(200);
      expect((await open.inject({ url: '/metrics', remoteAddress: '10.1.2.3' })).statusCode).toBe(404);
      const proxied = await open.inject({ url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(proxied.statusCode).toBe(404);
    } finally {
      await open.close();
    }
  });

  it('takes the bearer token when one is set, from anywhere, and refuses anything else', async () => {
    const guarded = await app({ metricsToken: 'metrics-token-0123456789' });
    try {
      const scrape = (authorization?: string) =>
        guarded.inject({
          url: '/metrics',
          remoteAddress: '10.1.2.3',
          headers: authorization ? { authorization } : {},
        });
      expect((await scrape()).statusCode).toBe(404);
      expect((await scrape('Bearer wrong')).statusCode).toBe(404);
      expect((await guarded.inject('/metrics')).statusCode).toBe(404); // loopback without the token, too
      const ok = await scrape('Bearer metrics-token-0123456789');
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('promesse_outbox_jobs');
    } finally {
      await guarded.close();
    }
  });
});

describe('security headers', () => {
  it('sends nosniff, a frame policy, a referrer policy and HSTS on API answers', async () => {
    const api = await app();
    try {
      const response = await api.inject(PROMISE);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(response.headers['x-powered-by']).toBeUndefined();
    } finally {
      await api.close();
    }
  });
});

describe('GET /health and GET /ready', () => {
  it('is live and ready with the store answering and migrated', async () => {
    const built = await app();
    try {
      expect((await built.inject('/health')).json()).toEqual({ status: 'ok' });
      const ready = await built.inject('/ready');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', checks: { config: 'ok', store: 'ok', migrations: 'ok' } });
    } finally {
      await built.close();
    }
  });

  it('stays live but answers 503 not ready when the store fails or lacks a migration', async () => {
    const store = sqliteStore({ dataDir: ':memory:' });
    const built = await app({ store });
    try {
      const pending = store.pendingMigrations;
      store.pendingMigrations = async () => 1;
      const behind = await built.inject('/ready');
      expect(behind.statusCode).toBe(503);
      expect(behind.json().checks).toEqual({ config: 'ok', store: 'ok', migrations: 'failed' });
      store.pendingMigrations = async () => {
        throw new Error('disk I/O error');
      };
      const down = await built.inject('/ready');
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({
        status: 'not_ready',
        checks: { config: 'ok', store: 'failed', migrations: 'failed' },
      });
      expect((await built.inject('/health')).statusCode).toBe(200);
      store.pendingMigrations = pending;
      expect((await built.inject('/ready')).statusCode).toBe(200);
    } finally {
      await built.close();
    }
  });
});

describe('request ids', () => {
  it("gives every answer an X-Request-Id, names it in error bodies, and keeps a caller's plain one", async () => {
    const built = await app();
    try {
      const ok = await built.inject(PROMISE);
      expect(ok.headers['x-request-id']).toMatch(/^req_[0-9a-f-]{36}$/);
      const missing = await built.inject('/v1/orders/ord_nope');
      expect(missing.statusCode).toBe(401);
      expect(missing.json().requestId).toBe(missing.headers['x-request-id']);
      const traced = await built.inject({ url: '/nowhere', headers: { 'x-request-id': 'lb-7f3a.42' } });
      expect(traced.headers['x-request-id']).toBe('lb-7f3a.42');
      expect(traced.json()).toMatchObject({ code: 'not_found', requestId: 'lb-7f3a.42' });
      // Anything else (spaces, newlines for a log line of its own, too long) is replaced, not echoed.
      const odd = await built.inject({ url: '/nowhere', headers: { 'x-request-id': 'a b' } });
      expect(odd.headers['x-request-id']).toMatch(/^req_/);
    } finally {
      await built.close();
    }
  });
});

describe('a start that cannot listen', () => {
  let taken: Server | undefined;
  afterEach(() => taken?.close());

  it('exits non-zero when the port is in use, instead of staying up without HTTP', async () => {
    const server = createServer();
    taken = server;
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/cli.ts', 'serve'], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'fatal',
        PROMESSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'promesse-port-')),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => {
      const guard = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 30_000);
      child.on('exit', (exit) => {
        clearTimeout(guard);
        resolve(exit);
      });
    });
    expect(code).toBe(1);
    expect(stderr).toContain('EADDRINUSE');
  });

  it('exits 1 on a bad setting, printing the message that names it and nothing more', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/cli.ts', 'serve'], {
      env: { ...process.env, PROMESSE_NO_SCAN_HOURS: 'abc' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('PROMESSE_NO_SCAN_HOURS must be a positive number, got "abc"');
  });
});
