/** Orders (CONTRACT §4, §9): book with an Idempotency-Key, read, find by reference, edit, cancel. Secret keys only. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '../../../../shared/src/errors.ts';
import { CancelRequest, EditOrderRequest, Order, OrderRequest, OrderStatus } from '../../../../shared/src/orders.ts';
import { IsoDate } from '../../../../shared/src/primitives.ts';
import { HttpError, invalidField } from '../../http-error.ts';
import { callerOf } from '../../plugins/auth.ts';
import { dayFromIso, isoFromDay } from '../../promise/local-date.ts';
import { byApiKey } from '../../services/booking-service.ts';
import type { OrderCursor } from '../../store/store.ts';
import { idempotencyHeader, idempotencyKeyOf, instantOf, sendJson, writeLimit } from '../writes.ts';

const OrderId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export async function orderRoutes(instance: FastifyInstance): Promise<void> {
  // Typed from the route schemas: params, query and body as validated, replies as their schema says.
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/v1/orders',
    {
      onRequest: app.requireSecretKey,
      config: { rateLimit: writeLimit, ...idempotencyHeader },
      schema: {
        summary: 'Book an order',
        description:
          'Requires an `Idempotency-Key` header. Reserves stock in one transaction; never oversells. The first final ' +
          'answer (201, or 409 out_of_stock / duplicate_reference / promise_expired) is stored for 24 h and replayed ' +
          'byte for byte with `Idempotent-Replayed: true`; 400, 422 and 429 are not stored.',
        tags: ['orders'],
        security: [{ secretKey: [] }],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: OrderRequest,
        response: { 201: Order, '4xx': ApiError },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const key = idempotencyKeyOf(request.headers['idempotency-key'], 'booking');
      const now = instantOf(app, request.presentedKey, request.body.at);
      const merchantId = caller.merchant.merchant.id;
      const result = await app.bookings.idempotent(merchantId, key, request.body, now, (idempotency) =>
        app.bookings.book(byApiKey(caller), request.body, idempotency),
      );
      if (result.replayed) reply.header('Idempotent-Replayed', 'true');
      if (result.statusCode === 201) reply.header('Location', `/v1/orders/${JSON.parse(result.body).id}`);
      return sendJson(reply, result.statusCode, result.body);
    },
  );

  app.get(
    '/v1/orders/:id',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'An order: status, shipments, promised dates and timeline',
        tags: ['orders'],
        security: [{ secretKey: [] }],
        params: OrderId,
        response: { 200: Order, '4xx': ApiError },
      },
    },
    async (request) => {
      const order = await app.store.getOrder(callerOf(request).merchant.merchant.id, request.params.id);
      if (!order) throw new HttpError(404, 'not_found', `No order ${request.params.id}.`);
      return order;
    },
  );

  app.get(
    '/v1/orders',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'Find orders: by reference (and channel), or by status and creation date, newest first',
        description:
          'With `reference`, the orders that carry it, oldest first. Otherwise the orders created from `from` to `to` (calendar dates, UTC; default the last 30 days, at most 92), with `status` if given, the newest `limit` (default 50) first.',
        tags: ['orders'],
        security: [{ secretKey: [] }],
        querystring: Type.Object({
          reference: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          channel: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
          status: Type.Optional(OrderStatus),
          from: Type.Optional(IsoDate),
          to: Type.Optional(IsoDate),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
        response: { 200: Type.Object({ data: Type.Array(Order) }), '4xx': ApiError },
      },
    },
    async (request) => {
      const merchantId = callerOf(request).merchant.merchant.id;
      const { reference, channel, status, from, to, limit = 50 } = request.query;
      const wanted = (order: Order) =>
        (!status || order.status === status) &&
        (!from || order.createdAt.slice(0, 10) >= from) &&
        (!to || order.createdAt.slice(0, 10) <= to);
      if (reference !== undefined) {
        const found = await app.store.findOrders(merchantId, {
          reference,
          ...(channel !== undefined ? { channel } : {}),
        });
        // Oldest first, as a reference look-up has always answered.
        return { data: found.filter(wanted).slice(0, limit) };
      }
      const today = new Date(app.clock()).toISOString().slice(0, 10);
      const last = dayFromIso(to ?? today);
      if (last === null) throw invalidField('to', 'invalid_date', 'to: not a calendar date.');
      const first = from ? dayFromIso(from) : last - 29;
      if (first === null) throw invalidField('from', 'invalid_date', 'from: not a calendar date.');
      if (last < first) throw invalidField('to', 'before_from', 'to: must be on or after from.');
      if (last - first >= 92) throw invalidField('from', 'too_long', 'at most 92 days per request.');
      const range = { from: `${isoFromDay(first)}T00:00:00.000Z`, to: `${isoFromDay(last + 1)}T00:00:00.000Z` };
      // Pages come oldest first: the newest `limit` matches are kept as they pass.
      const matches: Order[] = [];
      for (let after: OrderCursor | null = null; ; ) {
        const page = await app.store.ordersCreatedBetween(merchantId, range, { after, limit: 500 });
        for (const order of page) {
          if (channel !== undefined && order.channel !== channel) continue;
          if (!status || order.status === status) matches.push(order);
        }
        if (matches.length > limit) matches.splice(0, matches.length - limit);
        const end = page.at(-1);
        if (!end || page.length < 500) break;
        after = { createdAt: end.createdAt, id: end.id };
      }
      return { data: matches.reverse() };
    },
  );

  app.patch(
    '/v1/orders/:id',
    {
      onRequest: app.requireSecretKey,
      config: { rateLimit: writeLimit, ...idempotencyHeader },
      schema: {
        summary: 'Edit an order before its labels: a new address, lines lowered or removed',
        description:
          'Requires an `Idempotency-Key`. Re-quotes and re-promises the order for what it keeps and where it goes; releases the stock of removed units. 409 not_editable once a shipment has a label (see fulfilment.holdMinutes); 409 promise_expired, with the options that serve it, when its option no longer does; 422 customs_incomplete when the new destination must be declared and cannot be.',
        tags: ['orders'],
        security: [{ secretKey: [] }],
        params: OrderId,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: EditOrderRequest,
        response: { 200: Order, '4xx': ApiError },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const key = idempotencyKeyOf(request.headers['idempotency-key'], 'edit');
      const now = instantOf(app, request.presentedKey, request.body.at);
      const merchantId = caller.merchant.merchant.id;
      // Keys are the merchant's: an edit's key is scoped to its order, so one key never serves two routes. A
      // header cannot hold a line break, so no key a client sends can be one of these.
      const scoped = `edit\n${request.params.id}\n${key}`;
      const { at: _at, ...edit } = request.body;
      const result = await app.bookings.idempotent(merchantId, scoped, request.body, now, (idempotency) =>
        app.bookings.edit(byApiKey(caller), request.params.id, edit, idempotency),
      );
      if (result.replayed) reply.header('Idempotent-Replayed', 'true');
      return sendJson(reply, result.statusCode, result.body);
    },
  );

  app.post(
    '/v1/orders/:id/cancel',
    {
      onRequest: app.requireSecretKey,
      // No body means the whole order.
      preValidation: async (request) => {
        request.body ??= {};
      },
      config: { rateLimit: writeLimit },
      schema: {
        summary: 'Cancel an order, whole or some lines',
        description:
          'Releases the reserved stock. 409 not_cancellable once a shipment holding a cancelled line has left.',
        tags: ['orders'],
        security: [{ secretKey: [] }],
        params: OrderId,
        body: CancelRequest,
        response: { 200: Order, '4xx': ApiError },
      },
    },
    async (request) => app.bookings.cancel(byApiKey(callerOf(request)), request.params.id, request.body ?? {}),
  );
}
