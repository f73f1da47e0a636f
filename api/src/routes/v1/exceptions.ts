/** The exception queue (secret key): list by state, acknowledge, resolve with a note. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '../../../../shared/src/errors.ts';
import { HttpError } from '../../http-error.ts';
import { callerOf } from '../../plugins/auth.ts';

const State = Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('resolved')]);
const ExceptionView = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('shipment'), Type.Literal('outbox')], {
    description: 'shipment: carrier news or silence about a parcel; outbox: a job that gave up (webhook, label)',
  }),
  orderId: Type.String(),
  shipmentId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String({
    description:
      'failed_attempt, exception, returned_to_sender, label_voided, no_scan, late (shipment); delivery_failed, job_failed (outbox)',
  }),
  nextAction: Type.String(),
  detail: Type.Union([Type.String(), Type.Null()]),
  state: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export async function exceptionRoutes(app: FastifyInstance): Promise<void> {
  const common = { onRequest: app.requireSecretKey };
  app.get<{ Querystring: { state?: 'open' | 'acknowledged' | 'resolved'; limit?: number } }>(
    '/v1/exceptions',
    {
      ...common,
      schema: {
        summary:
          'Shipments that need someone, oldest first: failed attempts, carrier exceptions, returns, silence, lateness',
        tags: ['exceptions'],
        security: [{ secretKey: [] }],
        querystring: Type.Object({
          state: Type.Optional(State),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Object({ data: Type.Array(ExceptionView) }), '4xx': ApiError },
      },
    },
    async (request) => ({
      data: await app.store.listExceptions(
        callerOf(request).merchant.merchant.id,
        request.query.state ?? 'open',
        request.query.limit ?? 100,
      ),
    }),
  );

  for (const [action, state] of [
    ['acknowledge', 'acknowledged'],
    ['resolve', 'resolved'],
  ] as const) {
    app.post<{ Params: { id: string }; Body: { note?: string } }>(
      `/v1/exceptions/:id/${action}`,
      {
        ...common,
        preValidation: async (request) => {
          request.body ??= {};
        },
        schema: {
          summary: `Mark an exception ${state}`,
          tags: ['exceptions'],
          security: [{ secretKey: [] }],
          params: Id,
          body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
          response: { 200: ExceptionView, '4xx': ApiError },
        },
      },
      async (request) => {
        const updated = await app.store.updateException(callerOf(request).merchant.merchant.id, request.params.id, {
          state,
          note: request.body.note ?? null,
          updatedAt: new Date(app.clock()).toISOString(),
        });
        if (!updated) throw new HttpError(404, 'not_found', `No exception ${request.params.id}.`);
        return updated;
      },
    );
  }
}
