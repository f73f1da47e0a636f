/** Shipment labels and the outbox's dead letters (secret keys). */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '../../../../shared/src/errors.ts';
import { HttpError } from '../../http-error.ts';
import { callerOf } from '../../plugins/auth.ts';

const OutboxJobSchema = Type.Object({
  id: Type.Integer(),
  orderId: Type.String(),
  type: Type.String(),
  payload: Type.Record(Type.String(), Type.Unknown()),
  state: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  availableAt: Type.String(),
  createdAt: Type.String(),
});

export async function shipmentRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { id: string } }>(
    '/v1/shipments/:id/label',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: "A shipment's label: a 4×6 in PDF with the tracking barcode",
        tags: ['shipments'],
        security: [{ secretKey: [] }],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { '4xx': ApiError },
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

  app.get<{ Querystring: { state?: 'pending' | 'running' | 'done' | 'dead'; limit?: number } }>(
    '/v1/outbox',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'Pipeline jobs by state (default: dead, the ones that failed every attempt)',
        tags: ['pipeline'],
        security: [{ secretKey: [] }],
        querystring: Type.Object({
          state: Type.Optional(
            Type.Union([Type.Literal('pending'), Type.Literal('running'), Type.Literal('done'), Type.Literal('dead')]),
          ),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Object({ data: Type.Array(OutboxJobSchema) }), '4xx': ApiError },
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

  app.post<{ Params: { id: number } }>(
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
