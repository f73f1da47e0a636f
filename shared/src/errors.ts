/** The one error shape of the HTTP API (CONTRACT §4): a stable `code`, a sentence, and per-field details. */
import { type Static, Type } from 'typebox';

export const ErrorCode = Type.Union(
  [
    Type.Literal('invalid_request'),
    Type.Literal('unauthorized'),
    Type.Literal('forbidden'),
    Type.Literal('not_found'),
    Type.Literal('payload_too_large'),
    Type.Literal('unsupported_media_type'),
    Type.Literal('validation_failed'),
    // 422: a parcel crosses the EU customs border and its declaration lacks data (CONTRACT §9)
    Type.Literal('customs_incomplete'),
    // 422: outside the return window, a sku that cannot be returned, more than was delivered (CONTRACT §9)
    Type.Literal('not_returnable'),
    Type.Literal('rate_limited'),
    Type.Literal('internal_error'),
    // 409s (CONTRACT §4): the request was fine, the state of things says no
    Type.Literal('out_of_stock'),
    Type.Literal('duplicate_reference'),
    Type.Literal('promise_expired'),
    Type.Literal('idempotency_in_progress'),
    Type.Literal('not_cancellable'),
    Type.Literal('not_editable'),
    Type.Literal('limit_reached'),
    Type.Literal('not_ready'),
    // a return asked to do what its status does not allow (approve a refunded return …)
    Type.Literal('invalid_state'),
    // 422 on an idempotency key sent again with another body
    Type.Literal('idempotency_key_reused'),
    // 503 while the process shuts down: retry on another instance
    Type.Literal('unavailable'),
  ],
  { description: 'every error code the API answers with' },
);

export const ErrorDetail = Type.Object(
  { field: Type.String(), code: Type.String() },
  { additionalProperties: true, description: 'a field and what is wrong with it; some codes add context (e.g. sku)' },
);

export const ApiError = Type.Object(
  {
    code: ErrorCode,
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Union([ErrorDetail, Type.Record(Type.String(), Type.Unknown())]))),
    orderId: Type.Optional(Type.String({ description: 'duplicate_reference: the order that has this reference' })),
    requestId: Type.Optional(
      Type.String({ description: 'the X-Request-Id of the request, as in the logs: quote it to support' }),
    ),
  },
  { $id: 'ApiError', description: 'every 4xx and 5xx answer' },
);

export type ErrorCode = Static<typeof ErrorCode>;
export type ErrorDetail = Static<typeof ErrorDetail>;
export type ApiError = Static<typeof ApiError>;
