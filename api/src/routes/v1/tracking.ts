/**
 * Tracking ingestion (CONTRACT §4 "Downstream"): batches of carrier events, with a secret key. Each event is
 * mapped to a normalized status (by its carrier adapter's code table, or given normalized), kept once, and
 * applied; the answer says what became of every event.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { ApiError } from '../../../../shared/src/errors.ts';
import { HttpError } from '../../http-error.ts';
import type { MerchantRuntime } from '../../merchants/registry.ts';
import type { TrackingEvent } from '../../pipeline/tracking/apply-event.ts';
import { readEvent, TRACKING_STATUSES, type TrackingStatus } from '../../pipeline/tracking/statuses.ts';
import { callerOf } from '../../plugins/auth.ts';
import { parseInstant } from '../../promise/instant.ts';
import { documented } from '../documented.ts';
import { applyEvents, IngestResult, type Rejected } from './tracking-ingest.ts';

const EventFields = {
  trackingNumber: Type.String({ minLength: 4, maxLength: 64 }),
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: "the carrier's own event code" })),
  status: Type.Optional(Type.String({ description: 'a normalized status, instead of code' })),
  occurredAt: Type.String({ maxLength: 40 }),
  location: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.Optional(Type.String({ maxLength: 500 })),
  eventId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
};
const EventInput = Type.Object(
  { ...EventFields, carrier: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

type EventInputs = Static<typeof EventInput>[];
/** A carrier's own push: the carrier is the one the URL and the signature name (any `carrier` given is ignored). */
const PushBatch = Type.Object(
  {
    events: Type.Array(
      Type.Object(
        { ...EventFields, carrier: Type.Optional(Type.String({ maxLength: 64 })) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);
/** Reads a batch of inputs into tracking events (rejecting what cannot be read), and applies them. */
async function ingest(app: FastifyInstance, runtime: MerchantRuntime, events: EventInputs): Promise<IngestResult> {
  const rejected: Rejected[] = [];
  const read: { index: number; event: TrackingEvent }[] = [];
  for (const [index, input] of events.entries()) {
    const carrier = runtime.merchant.carriers.find((c) => c.id === input.carrier);
    if (!carrier) {
      rejected.push({ index, code: 'unknown_carrier' });
      continue;
    }
    // Our own vocabulary is checked; a carrier's code is read with its table (an unknown one is kept, not guessed).
    if (input.code === undefined && !(TRACKING_STATUSES as readonly string[]).includes(input.status ?? '')) {
      rejected.push({ index, code: 'unknown_status' });
      continue;
    }
    const occurred = parseInstant(input.occurredAt);
    if (occurred === null) {
      rejected.push({ index, code: 'invalid_instant' });
      continue;
    }
    const { trackingNumber, location, description, eventId } = input;
    const common = { occurredAt: new Date(occurred).toISOString(), location, description, eventId };
    const event: TrackingEvent =
      input.code !== undefined
        ? readEvent(carrier, trackingNumber, { ...common, code: input.code })
        : {
            ...common,
            trackingNumber,
            carrier: carrier.id,
            status: input.status as TrackingStatus,
            code: input.status ?? '',
          };
    read.push({ index, event });
  }
  return applyEvents(app, runtime, read, rejected);
}

export async function trackingRoutes(instance: FastifyInstance): Promise<void> {
  // Typed from the route schemas: params, query and body as validated, replies as their schema says.
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/v1/tracking/events',
    {
      onRequest: app.requireSecretKey,
      bodyLimit: 4 * 1_048_576,
      schema: {
        summary: 'Ingest tracking events in batches (up to 1,000)',
        description: `Each event gives a carrier \`code\` (mapped by the carrier's adapter) or a normalized \`status\`: ${TRACKING_STATUSES.join(', ')}. Duplicates are ignored; late events enter the timeline without moving the status back.`,
        tags: ['tracking'],
        security: [{ secretKey: [] }],
        body: Type.Object(
          { events: Type.Array(EventInput, { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: IngestResult, '4xx': ApiError },
      },
    },
    async (request) => ingest(app, callerOf(request).merchant, request.body.events),
  );

  // Carrier pushes: no API key, but an HMAC of the exact bytes with the carrier's trackingSecret.
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: 4 * 1_048_576 },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/v1/tracking/carriers/:merchant/:carrier/events',
      {
        // The body is read raw (the signature is over its bytes), then checked against PushBatch.
        config: documented({ body: PushBatch }),
        schema: {
          summary: 'A carrier pushes tracking events, signed with X-Promesse-Signature: sha256=<hex HMAC of the body>',
          tags: ['tracking'],
          params: Type.Object({ merchant: Type.String({ maxLength: 64 }), carrier: Type.String({ maxLength: 64 }) }),
          response: { 200: IngestResult, '4xx': ApiError },
        },
      },
      async (request) => {
        const runtime = app.merchants.byId(request.params.merchant);
        const carrier = runtime?.merchant.carriers.find((c) => c.id === request.params.carrier);
        const given = String(request.headers['x-promesse-signature'] ?? '');
        // No body at all (no content type) reaches here as undefined: it is the empty body, signed or not.
        const body = typeof request.body === 'string' ? request.body : '';
        if (!runtime || !carrier?.trackingSecret || !validSignature(carrier.trackingSecret, body, given)) {
          throw new HttpError(401, 'unauthorized', 'Missing or wrong X-Promesse-Signature.');
        }
        let batch: unknown;
        try {
          batch = JSON.parse(body);
        } catch {
          throw new HttpError(400, 'invalid_request', 'The body is not JSON.');
        }
        if (!Value.Check(PushBatch, batch)) {
          throw new HttpError(400, 'invalid_request', 'Expected {events: [...]} of at most 1,000 events.');
        }
        const events = batch.events.map((event) => ({ ...event, carrier: carrier.id }));
        return ingest(app, runtime, events);
      },
    );
  });
}

function validSignature(secret: string, body: string, header: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
