/**
 * Static assets on the API's port: the element's bundle under /widget/ (any origin may load it: module scripts
 * are fetched with CORS), the merchant console under /console/ and, with `demo: true`, the demo storefront under
 * /demo/ (and `/` sends there).
 * Content-hashed files are immutable; the stable name `delivery-promise.js` is cached briefly so a new release
 * reaches shops within minutes.
 */
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { projectPath } from '../paths.ts';

export const WIDGET_DIST = `${projectPath('widget', 'dist')}/`;
export const DEMO_SITE = `${projectPath('demo', 'site')}/`;
export const CONSOLE_DIST = `${projectPath('console', 'dist')}/`;

/**
 * The console's page may run only its own bundle, and never inside another site's frame. `style-src` allows
 * inline styles: uPlot sizes its canvas with them.
 */
const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Vite's chunk names (`fr-DoHzFli3.js`) and the alias (`delivery-promise.45049a6764.js`) carry a content hash. */
const HASHED = /[.-][A-Za-z0-9_-]{8,10}\.js$/;

export interface AssetsOptions {
  /**
   * Serve the demo storefront at /demo/ and send `/` there. The storefront books and reads orders with the demo
   * merchant's test secret key, so a deployment with real merchants leaves it off. Default false.
   */
  demo?: boolean;
}

export const assetsPlugin = fp(
  async (app: FastifyInstance, options: AssetsOptions) => {
    if (existsSync(WIDGET_DIST)) {
      await app.register(fastifyStatic, {
        root: WIDGET_DIST,
        prefix: '/widget/',
        decorateReply: false,
        cacheControl: false,
        setHeaders: (response, path) => {
          response.header('Access-Control-Allow-Origin', '*');
          response.header('Cross-Origin-Resource-Policy', 'cross-origin');
          const immutable = HASHED.test(path) && !path.endsWith('/delivery-promise.js');
          response.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
        },
      });
    } else {
      app.log.warn({ path: WIDGET_DIST }, 'widget bundle not built: run `npm run build` (npm start does)');
    }
    if (existsSync(CONSOLE_DIST)) {
      await app.register(fastifyStatic, {
        root: CONSOLE_DIST,
        prefix: '/console/',
        decorateReply: false,
        cacheControl: false,
        setHeaders: (response, path) => {
          response.header('Content-Security-Policy', CONSOLE_CSP);
          response.header('X-Frame-Options', 'DENY');
          response.header(
            'Cache-Control',
            path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
        },
      });
    } else {
      app.log.warn({ path: CONSOLE_DIST }, 'console not built: run `npm run build` (npm start does)');
    }
    if (!options.demo) return;
    await app.register(fastifyStatic, {
      root: DEMO_SITE,
      prefix: '/demo/',
      decorateReply: false,
      cacheControl: false,
      setHeaders: (response) => response.header('Cache-Control', 'no-cache'),
    });
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/demo/'));
  },
  { name: 'assets' },
);
