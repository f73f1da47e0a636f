import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('serves the demo storefront and sends / there', async () => {
    expect((await app.inject('/demo/')).headers['content-type']).toMatch(/text\/html/);
    const root = await app.inject('/');
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/demo/');
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
