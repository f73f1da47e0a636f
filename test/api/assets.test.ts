import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetsPlugin } from '../../api/src/plugins/assets.ts';
import { testApp } from '../fixtures/app.ts';

describe('static assets', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp();
  });
  afterAll(async () => app.close());

  it('serves the element to any origin, briefly cached under its stable name', async () => {
    const response = await app.inject('/widget/delivery-promise.js');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['cache-control']).toBe('public, max-age=300');
  });

  it('serves content-hashed files as immutable', async () => {
    const manifest = (await app.inject('/widget/manifest.json')).json();
    const response = await app.inject(`/widget/${manifest.hashed}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('serves the console under its own CSP, never framed, its hashed files immutable', async () => {
    const page = await app.inject('/console/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page.body)?.[1] as string;
    const bundle = await app.inject(script);
    expect([bundle.statusCode, bundle.headers['cache-control']]).toEqual([200, 'public, max-age=31536000, immutable']);
    // The console is its own bundle: the element's does not carry it.
    expect((await app.inject('/widget/delivery-promise.js')).body).not.toContain('promesse-console');
  });

  it('does not serve the demo storefront from an app built without `demo`', async () => {
    expect((await app.inject('/demo/')).statusCode).toBe(404);
    expect((await app.inject('/demo/order.html')).statusCode).toBe(404);
    expect((await app.inject('/')).statusCode).toBe(404);
  });

  it('lets any page read promise errors (no merchant data in them)', async () => {
    const response = await app.inject({
      url: '/v1/promise?key=pk_test_nope&sku=A&country=FR',
      headers: { origin: 'https://x.example' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('the demo storefront', () => {
  async function withAssets(options: { demo?: boolean }): Promise<FastifyInstance> {
    const app = Fastify();
    await app.register(assetsPlugin, options);
    await app.ready();
    return app;
  }

  it('is served at /demo/, and / sends there, when demo is on', async () => {
    const app = await withAssets({ demo: true });
    try {
      const page = await app.inject('/demo/');
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect((await app.inject('/demo/order.html')).statusCode).toBe(200);
      const root = await app.inject('/');
      expect(root.statusCode).toBe(302);
      expect(root.headers.location).toBe('/demo/');
    } finally {
      await app.close();
    }
  });

  for (const options of [{ demo: false }, {}]) {
    it(`is 404, and so is /, when demo is ${options.demo ?? 'not set'}`, async () => {
      const app = await withAssets(options);
      try {
        expect((await app.inject('/demo/')).statusCode).toBe(404);
        expect((await app.inject('/demo/order.html')).statusCode).toBe(404);
        expect((await app.inject('/demo/shop.js')).statusCode).toBe(404);
        expect((await app.inject('/')).statusCode).toBe(404);
      } finally {
        await app.close();
      }
    });
  }
});
