/**
 * Returns (CONTRACT §9): asked for on an order, then approved or rejected, received (by the carrier's delivery
 * scan, or by hand), inspected and refunded. Secret keys only; every return is its merchant's.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '../../../../shared/src/errors.ts';
import { InspectRequest, Return, ReturnActionRequest, ReturnRequest } from '../../../../shared/src/returns.ts';
import { HttpError } from '../../http-error.ts';
import { callerOf } from '../../plugins/auth.ts';
import { ACTIONS, type ReturnAction } from '../../returns/decide-return.ts';
import { byApiKey } from '../../services/booking-service.ts';
import { documented } from '../documented.ts';
import { idempotencyKeyOf, instantOf, sendJson, writeLimit } from '../writes.ts';

const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const ACTION_SUMMARIES: Record<ReturnAction, string> = {
  approve: 'Approve a requested return (a label return then gets its label)',
  reject: 'Reject a return, requested or received (nothing is refunded or restocked)',
  receive: 'Mark a return received at the warehouse (a drop-off, or a parcel before its scan)',
  refund: "Hand the inspected return's refund to the merchant's systems (event return.refunded)",
};

export async function returnRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/v1/orders/:id/returns',
    {
      onRequest: app.requireSecretKey,
      config: {
        rateLimit: writeLimit,
        ...documented({
          headers: Type.Object({
            'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'e.g. a UUID' })),
          }),
        }),
      },
      schema: {
        summary: 'Ask for a return of delivered items',
        description:
          "201 with the return, `requested` (or `approved` under returns.autoApprove). 422 not_returnable, each refused line named in `details` (`window_closed` with its lastDay, `more_than_returnable` with what still is, `not_delivered`, `not_in_order`, `not_returnable_sku`, `reason_not_accepted`, `method_not_offered`): the window counts returns.windowDays from each delivery's local date, and units already being returned count against what was delivered. With an optional `Idempotency-Key`, the 201 is stored with the return and replayed.",
        tags: ['returns'],
        security: [{ secretKey: [] }],
        params: Id,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: ReturnRequest,
        response: { 201: Return, '4xx': ApiError },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const now = instantOf(app, request.presentedKey, request.body.at);
      const orderId = request.params.id;
      const header = request.headers['idempotency-key'];
      const result =
        header === undefined
          ? { ...(await app.returns.request(byApiKey(caller), orderId, request.body, now)), replayed: false }
          : await app.bookings.idempotent(
              caller.merchant.merchant.id,
              // Scoped to the order and the route; a header cannot carry a line break, so no client key is one.
              `return\n${orderId}\n${idempotencyKeyOf(header, 'return request')}`,
              request.body,
              now,
              (idempotency) => app.returns.request(byApiKey(caller), orderId, request.body, now, idempotency),
            );
      if (result.replayed) reply.header('Idempotent-Replayed', 'true');
      if (result.statusCode === 201) reply.header('Location', `/v1/returns/${JSON.parse(result.body).id}`);
      return sendJson(reply, result.statusCode, result.body);
    },
  );

  app.get(
    '/v1/orders/:id/returns',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: "An order's returns, oldest first",
        tags: ['returns'],
        security: [{ secretKey: [] }],
        params: Id,
        response: { 200: Type.Object({ data: Type.Array(Return) }), '4xx': ApiError },
      },
    },
    async (request) => {
      const order = await app.store.getOrder(callerOf(request).merchant.merchant.id, request.params.id);
      if (!order) throw new HttpError(404, 'not_found', `No order ${request.params.id}.`);
      return { data: order.returns ?? [] };
    },
  );

  app.get(
    '/v1/returns/:id',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'A return: its status, label, inspection, refund and timeline',
        tags: ['returns'],
        security: [{ secretKey: [] }],
        params: Id,
        response: { 200: Return, '4xx': ApiError },
      },
    },
    async (request) => {
      const found = await app.returns.find(callerOf(request).merchant.merchant.id, request.params.id);
      if (!found) throw new HttpError(404, 'not_found', `No return ${request.params.id}.`);
      return found.ret;
    },
  );

  app.get(
    '/v1/returns/:id/label',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: "A return's label, for the shopper to stick on the parcel: a 4×6 in PDF",
        tags: ['returns'],
        security: [{ secretKey: [] }],
        params: Id,
        response: {
          200: {
            description: 'the return label, a 4×6 in PDF',
            content: { 'application/pdf': { schema: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }) } },
          },
          '4xx': ApiError,
        },
      },
    },
    async (request, reply) => {
      const merchantId = callerOf(request).merchant.merchant.id;
      const found = await app.returns.find(merchantId, request.params.id);
      if (!found) throw new HttpError(404, 'not_found', `No return ${request.params.id}.`);
      const label = found.ret.label ? await app.store.getLabel(merchantId, found.ret.id) : null;
      if (!label) throw new HttpError(409, 'not_ready', `Return ${found.ret.id} has no label (yet).`);
      return reply
        .type('application/pdf')
        .header('Content-Disposition', `inline; filename="return-${label.trackingNumber}.pdf"`)
        .header('Cache-Control', 'private, max-age=86400')
        .send(Buffer.from(label.pdf));
    },
  );

  for (const action of Object.keys(ACTIONS) as ReturnAction[]) {
    app.post(
      `/v1/returns/:id/${action}`,
      {
        onRequest: app.requireSecretKey,
        // No body is an action without a note.
        preValidation: async (request) => {
          request.body ??= {};
        },
        config: { rateLimit: writeLimit },
        schema: {
          summary: ACTION_SUMMARIES[action],
          description: `From ${ACTIONS[action].from.join(', ')}; 409 invalid_state from any other status.`,
          tags: ['returns'],
          security: [{ secretKey: [] }],
          params: Id,
          body: ReturnActionRequest,
          response: { 200: Return, '4xx': ApiError },
        },
      },
      async (request) => {
        const body = request.body ?? {};
        const now = instantOf(app, request.presentedKey, body.at);
        return app.returns.act(byApiKey(callerOf(request)), request.params.id, action, body.note, now);
      },
    );
  }

  app.post(
    '/v1/returns/:id/inspect',
    {
      onRequest: app.requireSecretKey,
      config: { rateLimit: writeLimit },
      schema: {
        summary: 'Inspect a received return: resellable units back on hand, damaged ones recorded, the refund computed',
        description:
          "Every unit of the return, each `resellable` or `damaged` (422 validation_failed when the counts differ from the return's). Resellable units go back on hand at the return's warehouse (a bundle as its components) with a `return` ledger line. The refund: each refunded unit at its order line's unit price (damaged units only when the reason puts the fault on the merchant), the order's shipping per returns.refundShipping once its last unit is back, minus returns.labelFee for a label the shopper pays.",
        tags: ['returns'],
        security: [{ secretKey: [] }],
        params: Id,
        body: InspectRequest,
        response: { 200: Return, '4xx': ApiError },
      },
    },
    async (request) => {
      const now = instantOf(app, request.presentedKey, request.body.at);
      return app.returns.inspect(byApiKey(callerOf(request)), request.params.id, request.body, now);
    },
  );
}
