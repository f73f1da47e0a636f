/** Shipment labels and the outbox's dead letters (secret keys). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '../../../../shared/src/errors.ts';
import { OUTBOX_STATES, OutboxJobView } from '../../../../shared/src/pipeline.ts';
import { ObjectId } from '../../../../shared/src/primitives.ts';
import { HttpError } from '../../http-error.ts';
import { callerOf } from '../../plugins/auth.ts';

export async function shipmentRoutes(instance: FastifyInstance): Promise<void> {
  // Typed from the route schemas: params, query and body as validated, replies as their schema says.
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/shipments/:id/label',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: "A shipment's label: a 4×6 in PDF with the tracking barcode",
        tags: ['shipments'],
        security: [{ secretKey: [] }],
        params: Type.Object({ id: ObjectId }),
        response: {
          200: {
            description: 'the label, a 4×6 in PDF',
            content: { 'application/pdf': { schema: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }) } },
          },
          '4xx': ApiError,
        },
      },
    },
    async (request, reply) => {
      const label = await app.store.getLabel(callerOf(request).merchant.merchant.id, request.params.id);
      if (!label) throw new HttpError(404, 'not_found', `No label for shipment ${request.params.id} (yet).`);
      return reply
        .type('application/pdf')
        .header('Content-Disposition', `inline; filename="${label.trackingNumber}.pdf"`)
        .header('Cache-Control', 'private, max-age=86400')
        .send(Buffer.from(label.pdf));
    },
  );

  app.get(
    '/v1/outbox',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'Pipeline jobs by state (default: dead, the ones that failed every attempt)',
        tags: ['pipeline'],
        security: [{ secretKey: [] }],
        querystring: Type.Object({
          state: Type.Optional(Type.Enum(OUTBOX_STATES)),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Object({ data: Type.Array(OutboxJobView) }), '4xx': ApiError },
      },
    },
    async (request) => ({
      data: await app.store.listOutboxJobs(
        callerOf(request).merchant.merchant.id,
        request.query.state ?? 'dead',
        request.query.limit ?? 100,
      ),
    }),
  );

  app.post(
    '/v1/outbox/:id/replay',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'Send a dead job round again, from its first attempt',
        tags: ['pipeline'],
        security: [{ secretKey: [] }],
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Object({ replayed: Type.Boolean() }), '4xx': ApiError },
      },
    },
    async (request) => {
      const replayed = await app.store.replayOutboxJob(
        callerOf(request).merchant.merchant.id,
        request.params.id,
        app.clock(),
      );
      if (!replayed) throw new HttpError(404, 'not_found', `No dead job ${request.params.id}.`);
      return { replayed };
    },
  );
}
