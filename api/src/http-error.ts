/** An expected failure of a request: a status, a stable code, a sentence, and per-field details. */
import type { ErrorDetail } from '../../shared/src/errors.ts';

export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly details: ErrorDetail[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    statusCode: number,
    code: string,
    message: string,
    options: { details?: ErrorDetail[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

/** 400 invalid_request about one field. */
export function invalidField(field: string, code: string, message: string): HttpError {
  return new HttpError(400, 'invalid_request', message, { details: [{ field, code }] });
}
