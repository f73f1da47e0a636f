/** Webhook endpoints (CONTRACT §4 "Downstream"): register, list, read, delete, rotate the secret, re-enable, log. */
import { randomBytes } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '../../../../shared/src/errors.ts';
import { WebhookAttempt, WebhookEndpointView } from '../../../../shared/src/pipeline.ts';
import { HttpError } from '../../http-error.ts';
import { EVENT_TYPES } from '../../pipeline/events.ts';
import { checkWebhookUrl, UrlRefused } from '../../pipeline/webhooks/ssrf-guard.ts';
import { callerOf } from '../../plugins/auth.ts';
import type { WebhookEndpoint } from '../../store/store.ts';
import { NoBody } from '../documented.ts';

const ROTATION_OVERLAP_MS = 24 * 3_600_000;
/** Endpoints per merchant: each costs delivery slots, and a merchant's slots are bounded (see the relay's lanes). */
export const MAX_ENDPOINTS = 16;

const EndpointInput = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    events: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 20, uniqueItems: true }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const view = (endpoint: WebhookEndpoint, withSecret = false): WebhookEndpointView => ({
  id: endpoint.id,
  url: endpoint.url,
  events: endpoint.events,
  description: endpoint.description,
  state: endpoint.state,
  disabledReason: endpoint.disabledReason,
  createdAt: endpoint.createdAt,
  ...(withSecret ? { secret: endpoint.secret } : {}),
});

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export async function webhookEndpointRoutes(instance: FastifyInstance): Promise<void> {
  // Typed from the route schemas: params, query and body as validated, replies as their schema says.
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['webhooks'];
  const security = [{ secretKey: [] }];
  const find = async (merchantId: string, id: string) => {
    const endpoint = await app.store.getWebhookEndpoint(merchantId, id);
    if (!endpoint) throw new HttpError(404, 'not_found', `No webhook endpoint ${id}.`);
    return endpoint;
  };

  app.post(
    '/v1/webhook-endpoints',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'Register a webhook endpoint; the answer carries its signing secret',
        description: `Events: ${EVENT_TYPES.join(', ')}, or "*". URLs resolving to loopback, private, link-local or metadata addresses are refused.`,
        tags,
        security,
        body: EndpointInput,
        response: { 201: WebhookEndpointView, '4xx': ApiError },
      },
    },
    async (request, reply) => {
      const merchantId = callerOf(request).merchant.merchant.id;
      if ((await app.store.listWebhookEndpoints(merchantId)).length >= MAX_ENDPOINTS) {
        throw new HttpError(
          409,
          'limit_reached',
          `A merchant may have ${MAX_ENDPOINTS} webhook endpoints; delete one first (an endpoint may take every event).`,
        );
      }
      const unknown = request.body.events.findIndex(
        (e) => e !== '*' && !(EVENT_TYPES as readonly string[]).includes(e),
      );
      if (unknown >= 0) {
        throw new HttpError(422, 'validation_failed', `Unknown event type "${request.body.events[unknown]}".`, {
          details: [{ field: `events[${unknown}]`, code: 'unknown_event_type' }],
        });
      }
      try {
        await checkWebhookUrl(request.body.url, app.webhookTargets);
      } catch (error) {
        if (!(error instanceof UrlRefused)) throw error;
        throw new HttpError(422, 'validation_failed', error.message, { details: [{ field: 'url', code: error.code }] });
      }
      const endpoint: WebhookEndpoint = {
        id: `we_${randomBytes(12).toString('base64url')}`,
        url: request.body.url,
        events: request.body.events,
        description: request.body.description ?? null,
        secret: newSecret(),
        previousSecret: null,
        previousUntil: null,
        state: 'enabled',
        disabledReason: null,
        failingSince: null,
        createdAt: new Date(app.clock()).toISOString(),
      };
      await app.store.saveWebhookEndpoint(merchantId, endpoint);
      return reply.status(201).send(view(endpoint, true));
    },
  );

  app.get(
    '/v1/webhook-endpoints',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'List webhook endpoints',
        tags,
        security,
        response: { 200: Type.Object({ data: Type.Array(WebhookEndpointView) }), '4xx': ApiError },
      },
    },
    async (request) => ({
      data: (await app.store.listWebhookEndpoints(callerOf(request).merchant.merchant.id)).map((e) => view(e)),
    }),
  );

  app.get(
    '/v1/webhook-endpoints/:id',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'A webhook endpoint',
        tags,
        security,
        params: Id,
        response: { 200: WebhookEndpointView, '4xx': ApiError },
      },
    },
    async (request) => view(await find(callerOf(request).merchant.merchant.id, request.params.id)),
  );

  app.delete(
    '/v1/webhook-endpoints/:id',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'Delete a webhook endpoint; pending deliveries are dropped',
        tags,
        security,
        params: Id,
        response: { 204: NoBody('Deleted'), '4xx': ApiError },
      },
    },
    async (request, reply) => {
      const deleted = await app.store.deleteWebhookEndpoint(callerOf(request).merchant.merchant.id, request.params.id);
      if (!deleted) throw new HttpError(404, 'not_found', `No webhook endpoint ${request.params.id}.`);
      return reply.status(204).send();
    },
  );

  app.post(
    '/v1/webhook-endpoints/:id/rotate-secret',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'Rotate the signing secret; deliveries carry both signatures for 24 hours',
        tags,
        security,
        params: Id,
        response: { 200: WebhookEndpointView, '4xx': ApiError },
      },
    },
    async (request) => {
      const merchantId = callerOf(request).merchant.merchant.id;
      const endpoint = await find(merchantId, request.params.id);
      const rotated = {
        ...endpoint,
        secret: newSecret(),
        previousSecret: endpoint.secret,
        previousUntil: app.clock() + ROTATION_OVERLAP_MS,
      };
      await app.store.saveWebhookEndpoint(merchantId, rotated);
      return view(rotated, true);
    },
  );

  app.post(
    '/v1/webhook-endpoints/:id/enable',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'Enable an endpoint again after it was disabled',
        tags,
        security,
        params: Id,
        response: { 200: WebhookEndpointView, '4xx': ApiError },
      },
    },
    async (request) => {
      const merchantId = callerOf(request).merchant.merchant.id;
      const enabled = {
        ...(await find(merchantId, request.params.id)),
        state: 'enabled' as const,
        disabledReason: null,
        failingSince: null,
      };
      await app.store.saveWebhookEndpoint(merchantId, enabled);
      return view(enabled);
    },
  );

  app.get(
    '/v1/webhook-endpoints/:id/attempts',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary:
          'The delivery log of an endpoint: every attempt with its status, duration and an excerpt of the answer',
        tags,
        security,
        params: Id,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        response: { 200: Type.Object({ data: Type.Array(WebhookAttempt) }), '4xx': ApiError },
      },
    },
    async (request) => {
      const merchantId = callerOf(request).merchant.merchant.id;
      await find(merchantId, request.params.id);
      return { data: await app.store.webhookAttempts(merchantId, request.params.id, request.query.limit ?? 100) };
    },
  );

  app.post(
    '/v1/webhook-endpoints/:id/messages/:messageId/replay',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'Deliver a message again (same webhook-id, signed afresh), whatever became of it before',
        tags,
        security,
        params: Type.Object({ id: Type.String({ maxLength: 64 }), messageId: Type.String({ maxLength: 128 }) }),
        response: { 202: Type.Object({ replayed: Type.Boolean() }), '4xx': ApiError },
      },
    },
    async (request, reply) => {
      const merchantId = callerOf(request).merchant.merchant.id;
      await find(merchantId, request.params.id);
      const job = await app.store.findDeliveryJob(merchantId, request.params.messageId);
      if (!job || job.payload.endpointId !== request.params.id) {
        throw new HttpError(404, 'not_found', `No message ${request.params.messageId} for this endpoint.`);
      }
      await app.store.enqueueOutbox(
        merchantId,
        [
          {
            type: job.type,
            orderId: `${job.orderId}:replay`,
            payload: job.payload,
            ...(job.laneKey ? { laneKey: job.laneKey } : {}),
          },
        ],
        app.clock(),
      );
      return reply.status(202).send({ replayed: true });
    },
  );
}
