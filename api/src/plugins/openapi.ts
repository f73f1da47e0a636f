/** The OpenAPI document, generated from the route schemas, at /openapi.json, and its UI at /docs. */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const openapiPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Promesse API',
          version: '1',
          description:
            'Delivery promises for online shops: available-to-promise stock, sourcing, carrier rating, cut-offs and ' +
            'delivery dates. Errors are `{code, message, details?}`.',
        },
        components: {
          securitySchemes: {
            secretKey: { type: 'http', scheme: 'bearer', description: 'a secret key, sk_test_… or sk_live_…' },
            publishableKey: { type: 'apiKey', in: 'query', name: 'key', description: 'a publishable key, pk_…' },
          },
        },
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
