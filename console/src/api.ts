/**
 * The console's calls to the API on its own origin: the session cookie goes along, every state change carries the
 * session's CSRF token, and a 401 means the session is over (the app shows the sign-in again).
 */
export interface ApiFailure {
  status: number;
  code: string;
  message: string;
  details?: { field: string; code: string }[];
}

export class ApiError extends Error {
  readonly failure: ApiFailure;
  constructor(failure: ApiFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

export class ConsoleApi {
  csrfToken = '';
  /** called on a 401: the session expired or was signed out */
  onSignedOut: (message: string) => void = () => {};

  async get<T>(path: string): Promise<T> {
    return this.#call<T>('GET', path);
  }

  async send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return this.#call<T>(method, path, body);
  }

  /** A raw answer (a PDF, a stream), after the same checks. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.method && init.method !== 'GET') headers.set('x-csrf-token', this.csrfToken);
    const response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
    if (!response.ok) await this.#fail(response);
    return response;
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) await this.#fail(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  async #fail(response: Response): Promise<never> {
    const body = (await response.json().catch(() => ({}))) as Partial<ApiFailure>;
    const failure: ApiFailure = {
      status: response.status,
      code: body.code ?? 'error',
      message: body.message ?? response.statusText,
      ...(body.details ? { details: body.details } : {}),
    };
    if (response.status === 401) this.onSignedOut(failure.message);
    throw new ApiError(failure);
  }
}

export const api = new ConsoleApi();

/** What went wrong, as the pages say it: the API's own message, else the error's. */
export const failureOf = (error: unknown): string =>
  error instanceof ApiError ? error.failure.message : String(error);
