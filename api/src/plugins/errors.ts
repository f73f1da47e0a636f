/**
 * One error handler for the whole API: every failure leaves as `{code, message, details?}`. Expected failures
 * keep their status and code; schema validation becomes 400 invalid_request with one detail per field; anything
 * else is a 500 whose details stay in the log.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiError, ErrorCode, ErrorDetail } from '../../../shared/src/errors.ts';
import { HttpError } from '../http-error.ts';
import { ServiceError, STATUS_OF } from '../service-error.ts';

const DETAIL_CODES: Record<string, string> = {
  required: 'required',
  type: 'invalid_type',
  pattern: 'invalid_format',
  format: 'invalid_format',
  minimum: 'too_small',
  exclusiveMinimum: 'too_small',
  maximum: 'too_large',
  minLength: 'too_short',
  maxLength: 'too_long',
  minItems: 'too_few',
  maxItems: 'too_many',
  additionalProperties: 'unknown_field',
  enum: 'invalid_value',
  const: 'invalid_value',
  anyOf: 'invalid_value',
};

function validationDetails(error: FastifyError): ErrorDetail[] {
  return (error.validation ?? []).map((issue) => {
    const params = issue.params as Record<string, unknown>;
    const path = issue.instancePath.split('/').filter(Boolean).join('.');
    const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
    const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
    const field = [path, missing ?? extra].filter(Boolean).join('.') || (error.validationContext ?? 'request');
    return { field, code: DETAIL_CODES[issue.keyword] ?? 'invalid' };
  });
}

/** Fastify's own failures of a request (body parsing, size) that are the client's doing. */
const CLIENT_ERRORS: Record<string, { status: number; code: ErrorCode }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_request' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_request' },
};

export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler<FastifyError | HttpError | ServiceError>(async (error, request, reply) => {
      let status: number;
      let body: ApiError;
      if (error instanceof HttpError) {
        status = error.statusCode;
        body = error.body as ApiError;
        reply.headers(error.headers);
      } else if (error instanceof ServiceError) {
        status = STATUS_OF[error.type];
        body = error.body as ApiError;
      } else if (error.validation) {
        status = 400;
        const details = validationDetails(error);
        const fields = [...new Set(details.map((d) => d.field))].join(', ');
        body = { code: 'invalid_request', message: `Invalid ${fields}.`, details };
      } else if (error.statusCode === 429) {
        status = 429;
        body = { code: 'rate_limited', message: error.message };
      } else if (error.code && CLIENT_ERRORS[error.code]) {
        const known = CLIENT_ERRORS[error.code] as { status: number; code: ErrorCode };
        status = known.status;
        body = { code: known.code, message: error.message };
      } else if (
        error instanceof SyntaxError ||
        (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
      ) {
        status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
        body = { code: 'invalid_request', message: error.message };
      } else {
        request.log.error({ err: error }, 'unexpected error');
        status = 500;
        body = { code: 'internal_error', message: 'Something went wrong on our side; it has been logged.' };
      }
      return reply.status(status).send({ ...body, requestId: request.id });
    });

    app.setNotFoundHandler(async (request, reply) =>
      reply.status(404).send({
        code: 'not_found',
        message: `No route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}.`,
        requestId: request.id,
      }),
    );
  },
  { name: 'errors' },
);
