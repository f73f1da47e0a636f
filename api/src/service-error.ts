/**
 * An expected failure of a service (bookings, and the services after it): what kind of failure it is and a
 * stable code, never an HTTP status. Routes and the error handler turn the kind into a status, in one table.
 */
import type { ErrorCode, ErrorDetail } from '../../shared/src/errors.ts';

/** `invalid`: the request cannot be done as sent; `not_found`; `conflict`: not in the current state of things. */
export type ServiceErrorType = 'invalid' | 'not_found' | 'conflict';

export class ServiceError extends Error {
  readonly type: ServiceErrorType;
  readonly code: ErrorCode;
  readonly details: (ErrorDetail | Record<string, unknown>)[] | undefined;
  /** more top-level fields of the error body (e.g. the orderId a duplicate reference names) */
  readonly extra: Record<string, unknown>;

  constructor(
    type: ServiceErrorType,
    code: ErrorCode,
    message: string,
    options: { details?: (ErrorDetail | Record<string, unknown>)[]; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'ServiceError';
    this.type = type;
    this.code = code;
    this.details = options.details;
    this.extra = options.extra ?? {};
  }

  /** The body the API answers with. */
  get body(): Record<string, unknown> {
    return errorBody(this);
  }
}

/** The one error body of the API (CONTRACT §4): `{code, message, details?}` and any extra top-level fields. */
export function errorBody(error: {
  code: ErrorCode;
  message: string;
  details: (ErrorDetail | Record<string, unknown>)[] | undefined;
  extra: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    code: error.code,
    message: error.message,
    ...(error.details ? { details: error.details } : {}),
    ...error.extra,
  };
}

/** The HTTP status of each kind of service failure: the one place it is decided. */
export const STATUS_OF: Readonly<Record<ServiceErrorType, number>> = { invalid: 422, not_found: 404, conflict: 409 };
