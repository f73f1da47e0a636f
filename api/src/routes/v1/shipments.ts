/** Shipment labels, customs declarations (CN23) and the outbox's dead letters (secret keys). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { formatInTimeZone } from 'date-fns-tz';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '../../../../shared/src/errors.ts';
import { OUTBOX_STATES, OutboxJobView } from '../../../../shared/src/pipeline.ts';
import { ObjectId } from '../../../../shared/src/primitives.ts';
import { customsDeclaration } from '../../booking/customs.ts';
import { HttpError } from '../../http-error.ts';
import { cn23Pdf } from '../../pipeline/customs/cn23.ts';
import { labelledAt } from '../../pipeline/shipment-jobs.ts';
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
    '/v1/shipments/:id/customs',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: "A shipment's customs declaration (CN23), once its label exists",
        description:
          'For parcels that cross the EU customs border: the CN23 with every line (description, quantity, net weight, value, HS tariff number, origin), the totals, the incoterm, EORI and IOSS. 409 not_ready before the label, 404 for a shipment that needs none.',
        tags: ['shipments'],
        security: [{ secretKey: [] }],
        params: Type.Object({ id: ObjectId }),
        response: {
          200: {
            description: 'the CN23, an A4 PDF',
            content: { 'application/pdf': { schema: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }) } },
          },
          '4xx': ApiError,
        },
      },
    },
    async (request, reply) => {
      const runtime = callerOf(request).merchant;
      const merchantId = runtime.merchant.id;
      const shipmentId = request.params.id;
      const orderId = await app.store.findOrderOf(merchantId, shipmentId);
      const order = orderId ? await app.store.getOrder(merchantId, orderId) : null;
      const shipment = order?.shipments.find((s) => s.id === shipmentId);
      if (!order || !shipment) throw new HttpError(404, 'not_found', `No shipment ${shipmentId}.`);
      const declaration = customsDeclaration(runtime.merchant, order, shipment);
      if (!declaration) {
        throw new HttpError(404, 'not_found', `Shipment ${shipmentId} stays within the EU customs union: no CN23.`);
      }
      const label = await app.store.getLabel(merchantId, shipmentId);
      if (!label)
        throw new HttpError(409, 'not_ready', `Shipment ${shipmentId} has no label yet; its CN23 follows it.`);
      const timeZone = runtime.merchant.warehouseById.get(shipment.warehouse)?.timeZone ?? 'UTC';
      const pdf = await cn23Pdf({
        merchant: runtime.merchant,
        order,
        shipment,
        declaration,
        trackingNumber: label.trackingNumber,
        // Dated the day its label was made, in the warehouse's time zone: the day the parcel was declared.
        date: formatInTimeZone(labelledAt(order, shipment.id), timeZone, 'yyyy-MM-dd'),
      });
      return reply
        .type('application/pdf')
        .header('Content-Disposition', `inline; filename="CN23-${label.trackingNumber}.pdf"`)
        .header('Cache-Control', 'private, no-cache')
        .send(Buffer.from(pdf));
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
