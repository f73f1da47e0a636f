/** An expected failure of a request: a status, a stable code, a sentence, and per-field details. */
import type { ErrorCode, ErrorDetail } from '../../shared/src/errors.ts';
import { errorBody } from './service-error.ts';

export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: ErrorCode;
  readonly details: (ErrorDetail | Record<string, unknown>)[] | undefined;
  readonly headers: Record<string, string>;
  /** more top-level fields of the error body (e.g. orderId) */
  readonly extra: Record<string, unknown>;

  constructor(
    statusCode: number,
    code: ErrorCode,
    message: string,
    options: {
      details?: (ErrorDetail | Record<string, unknown>)[];
      headers?: Record<string, string>;
      extra?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
    this.extra = options.extra ?? {};
  }

  /** The body the API answers with. */
  get body(): Record<string, unknown> {
    return errorBody(this);
  }
}

/** 400 invalid_request about one field. */
export function invalidField(field: string, code: string, message: string): HttpError {
  return new HttpError(400, 'invalid_request', message, { details: [{ field, code }] });
}

/** A 422 validation_failed naming one field: the request is well formed but cannot be done as asked. */
export function validationFailed(field: string, code: string, message: string): HttpError {
  return new HttpError(422, 'validation_failed', message, { details: [{ field, code }] });
}
