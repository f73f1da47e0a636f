/** The exception queue (secret key): list by state, acknowledge, resolve with a note. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '../../../../shared/src/errors.ts';
import { EXCEPTION_STATES, ShipmentException } from '../../../../shared/src/pipeline.ts';
import { HttpError } from '../../http-error.ts';
import { callerOf } from '../../plugins/auth.ts';

const State = Type.Enum(EXCEPTION_STATES);
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export async function exceptionRoutes(instance: FastifyInstance): Promise<void> {
  // Typed from the route schemas: params, query and body as validated, replies as their schema says.
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const common = { onRequest: app.requireSecretKey };
  app.get(
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
        response: { 200: Type.Object({ data: Type.Array(ShipmentException) }), '4xx': ApiError },
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
    app.post(
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
          response: { 200: ShipmentException, '4xx': ApiError },
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
