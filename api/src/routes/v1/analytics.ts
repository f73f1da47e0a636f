/** GET /v1/analytics/promise-accuracy (secret key): how the promises of a period held, by group (CONTRACT §6). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ACCURACY_GROUPINGS, PromiseAccuracy } from '../../../../shared/src/analytics.ts';
import { ApiError } from '../../../../shared/src/errors.ts';
import { IsoDate } from '../../../../shared/src/primitives.ts';
import { AccuracyTally } from '../../history/accuracy.ts';
import { invalidField } from '../../http-error.ts';
import { callerOf } from '../../plugins/auth.ts';
import { dayFromIso, isoFromDay } from '../../promise/local-date.ts';
import type { OrderCursor } from '../../store/ports/orders.ts';

/** The longest period one request may span. */
const MAX_DAYS = 366;
const PAGE = 1000;

export async function analyticsRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/analytics/promise-accuracy',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'How promises held: shipments of the orders placed from `from` to `to`, grouped, on time or not',
        tags: ['estimates'],
        security: [{ secretKey: [] }],
        querystring: Type.Object({
          from: IsoDate,
          to: IsoDate,
          groupBy: Type.Optional(Type.Enum(ACCURACY_GROUPINGS, { description: 'default service' })),
          service: Type.Optional(
            Type.String({ minLength: 1, maxLength: 64, description: "only this service's shipments" }),
          ),
          warehouse: Type.Optional(
            Type.String({ minLength: 1, maxLength: 64, description: "only this warehouse's shipments" }),
          ),
        }),
        response: { 200: PromiseAccuracy, '4xx': ApiError },
      },
    },
    async (request) => {
      const { merchant } = callerOf(request).merchant;
      const { from, to, groupBy = 'service', service, warehouse } = request.query;
      const first = dayFromIso(from);
      const last = dayFromIso(to);
      if (first === null) throw invalidField('from', 'invalid_date', 'from: not a calendar date.');
      if (last === null) throw invalidField('to', 'invalid_date', 'to: not a calendar date.');
      if (last < first) throw invalidField('to', 'before_from', 'to: must be on or after from.');
      if (last - first >= MAX_DAYS) throw invalidField('to', 'too_long', `at most ${MAX_DAYS} days per request.`);
      // Orders placed on those dates (UTC), read a page at a time.
      const range = { from: `${from}T00:00:00.000Z`, to: `${isoFromDay(last + 1)}T00:00:00.000Z` };
      const tally = new AccuracyTally(merchant, groupBy, { service, warehouse });
      for (let after: OrderCursor | null = null; ; ) {
        const page = await app.store.ordersCreatedBetween(merchant.id, range, { after, limit: PAGE });
        for (const order of page) tally.add(order);
        const last = page.at(-1);
        if (!last || page.length < PAGE) break;
        after = { createdAt: last.createdAt, id: last.id };
      }
      return { from, to, groups: tally.groups() };
    },
  );
}
