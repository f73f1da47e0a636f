/** The OpenAPI document, generated from the route schemas, at /openapi.json, and its UI at /docs. */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

type Responses = Record<string, { description?: string; content?: Record<string, unknown> }>;
type OpenApiDocument = { paths?: Record<string, Record<string, { responses?: Responses }>> };

/**
 * Every operation may answer 500 internal_error (a fault on our side, never an input) and 503 unavailable (while
 * the process shuts down): declared once here, with the error body the 4xx answers use, rather than on each route.
 */
function withServerErrors(document: OpenApiDocument): OpenApiDocument {
  const operations = Object.values(document.paths ?? {}).flatMap((methods) => Object.values(methods));
  const errorBody = operations.map((operation) => operation.responses?.['4XX']?.content).find(Boolean);
  for (const operation of operations) {
    if (!operation.responses || '5XX' in operation.responses) continue;
    operation.responses['5XX'] = {
      description: 'internal_error (a fault on our side, logged), or unavailable while the server shuts down',
      ...(errorBody ? { content: errorBody } : {}),
    };
  }
  return document;
}

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
            'delivery dates. Errors are `{code, message, details?, requestId}`.',
        },
        components: {
          securitySchemes: {
            secretKey: { type: 'http', scheme: 'bearer', description: 'a secret key, sk_test_… or sk_live_…' },
            publishableKey: { type: 'apiKey', in: 'query', name: 'key', description: 'a publishable key, pk_…' },
          },
        },
      },
      transformObject: (documents) =>
        'openapiObject' in documents
          ? (withServerErrors(documents.openapiObject as OpenApiDocument) as typeof documents.openapiObject)
          : documents.swaggerObject,
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
