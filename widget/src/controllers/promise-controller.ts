/**
 * Fetches promises for an element, as a ReactiveController: a newer request aborts the older one, identical
 * requests on the page share one fetch, and a slow or failing API ends as an error value, never a throw.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DeliveryPromise } from '../../../shared/src/promise.ts';

export const FetchStatus = { idle: 'idle', loading: 'loading', ready: 'ready', error: 'error' } as const;
export type FetchStatus = (typeof FetchStatus)[keyof typeof FetchStatus];

export interface FetchFailure {
  code: string;
  message: string;
}

type Outcome = { ok: true; promise: DeliveryPromise } | { ok: false; failure: FetchFailure };

interface SharedFetch {
  outcome: Promise<Outcome>;
  abort: AbortController;
  users: number;
}

/** Fetches under way on this page, by URL. */
const inFlight = new Map<string, SharedFetch>();

async function fetchOutcome(url: string, signal: AbortSignal): Promise<Outcome> {
  try {
    // A simple GET: no custom header, no credentials, so browsers send no CORS preflight.
    const response = await fetch(url, { signal, credentials: 'omit' });
    const body = (await response.json().catch(() => null)) as (DeliveryPromise & Partial<FetchFailure>) | null;
    if (response.ok && body) return { ok: true, promise: body };
    return {
      ok: false,
      failure: { code: body?.code ?? `http_${response.status}`, message: body?.message ?? response.statusText },
    };
  } catch (error) {
    const timedOut = signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError';
    if (timedOut)
      return { ok: false, failure: { code: 'timeout', message: 'The promise API did not answer in time.' } };
    return {
      ok: false,
      failure: { code: 'network_error', message: (error as Error).message || 'The promise API is unreachable.' },
    };
  }
}

function share(url: string, timeoutMs: number): SharedFetch {
  let shared = inFlight.get(url);
  if (!shared || shared.abort.signal.aborted) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs);
    const outcome = fetchOutcome(url, abort.signal).finally(() => {
      clearTimeout(timer);
      if (inFlight.get(url) === created) inFlight.delete(url);
    });
    const created: SharedFetch = { outcome, abort, users: 0 };
    shared = created;
    inFlight.set(url, shared);
  }
  shared.users++;
  return shared;
}

export class PromiseController implements ReactiveController {
  status: FetchStatus = FetchStatus.idle;
  value: DeliveryPromise | null = null;
  failure: FetchFailure | null = null;

  readonly #host: ReactiveControllerHost;
  readonly #timeoutMs: () => number;
  readonly #onSettled: () => void;
  #url: string | null = null;
  #release: (() => void) | null = null;

  constructor(host: ReactiveControllerHost, options: { timeoutMs?: () => number; onSettled?: () => void } = {}) {
    this.#host = host;
    this.#timeoutMs = options.timeoutMs ?? (() => 8000);
    this.#onSettled = options.onSettled ?? (() => {});
    host.addController(this);
  }

  /** Asks for the promise at `url`; the same URL again is a no-op unless `force` is set. */
  request(url: string | null, { force = false } = {}): void {
    if (url === this.#url && !force) return;
    this.#release?.();
    this.#url = url;
    if (url === null) {
      this.status = FetchStatus.idle;
      return;
    }
    this.status = FetchStatus.loading;
    const shared = share(url, this.#timeoutMs());
    let current = true;
    this.#release = () => {
      if (!current) return;
      current = false;
      shared.users--;
      if (shared.users === 0) shared.abort.abort(new DOMException('superseded', 'AbortError'));
    };
    shared.outcome.then((outcome) => {
      if (!current) return;
      current = false;
      shared.users--;
      this.status = outcome.ok ? FetchStatus.ready : FetchStatus.error;
      this.value = outcome.ok ? outcome.promise : null;
      this.failure = outcome.ok ? null : outcome.failure;
      this.#onSettled();
      this.#host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.#release?.();
    this.#release = null;
    this.#url = null;
  }
}
