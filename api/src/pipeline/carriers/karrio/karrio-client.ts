/**
 * A small client of Karrio's REST API (../shared/peers/karrio/openapi.yml): `Authorization: Token <apiKey>`,
 * JSON both ways, a time-out on every request, and Karrio's answers sorted into three kinds: the data asked
 * for; a refusal (any other 4xx, with the carrier's or Karrio's own messages), which asking again cannot
 * change; and everything unclear (a time-out, a cut connection, a 5xx, a 429), which the caller retries.
 */
import type { KarrioSettings } from '../../../../../shared/src/config.ts';
import { CarrierRefused } from '../carrier-adapter.ts';

/** Labels above this are not a label: the answer is refused rather than held in memory. */
const MAX_LABEL_BYTES = 10 * 1_048_576;
const DEFAULT_TIMEOUT_MS = 20_000;

/** An unclear failure: Karrio may or may not have done what was asked (the caller retries, after a look-up). */
export class KarrioUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KarrioUnavailable';
  }
}

/** Karrio's messages in a 4xx answer (ErrorResponse `errors`, ErrorMessages `messages`), as one line. */
export function refusalMessage(status: number, body: unknown): string {
  const list = (value: unknown) => (Array.isArray(value) ? (value as unknown[]) : []);
  const record = (body ?? {}) as { errors?: unknown; messages?: unknown };
  const parts = [...list(record.errors), ...list(record.messages)].flatMap((entry) => {
    const { message, code, carrier_name: carrier } = (entry ?? {}) as Record<string, unknown>;
    if (typeof message !== 'string' || message === '') return [];
    const who = typeof carrier === 'string' && carrier ? `${carrier}: ` : '';
    return [`${who}${message}${typeof code === 'string' && code ? ` (${code})` : ''}`];
  });
  return parts.length > 0 ? parts.join('; ').slice(0, 1000) : `Karrio answered ${status}`;
}

export class KarrioClient {
  readonly #settings: KarrioSettings;
  readonly #base: URL;

  constructor(settings: KarrioSettings) {
    this.#settings = settings;
    this.#base = new URL(settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`);
  }

  /**
   * One request; the parsed JSON of a 2xx, `null` for a 404 when `missing` is 'null', a CarrierRefused for any
   * other 4xx but 429, a KarrioUnavailable for the rest.
   */
  async json<T>(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; query?: Record<string, string>; missing?: 'null' } = {},
  ): Promise<T | null> {
    const url = new URL(path.replace(/^\//, ''), this.#base);
    for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
    const response = await this.#fetch(url, {
      method,
      headers: {
        authorization: `Token ${this.#settings.apiKey}`,
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await this.#read(response, url, 5 * 1_048_576);
    const body = parseJson(text);
    if (response.ok) {
      if (body === undefined) throw new KarrioUnavailable(`Karrio answered ${method} ${url.pathname} with no JSON`);
      return body as T;
    }
    if (response.status === 404 && options.missing === 'null') return null;
    if (response.status >= 400 && response.status < 500 && response.status !== 429) {
      throw new CarrierRefused(refusalMessage(response.status, body));
    }
    throw new KarrioUnavailable(`Karrio answered ${response.status} to ${method} ${url.pathname}`);
  }

  /** A label document from its URL (Karrio's own, with the key; any other host, without), or a data: URL. */
  async label(address: string): Promise<Uint8Array> {
    if (address.startsWith('data:')) {
      const comma = address.indexOf(',');
      const base64 = address.slice(0, comma).endsWith(';base64');
      const data = address.slice(comma + 1);
      return new Uint8Array(base64 ? Buffer.from(data, 'base64') : Buffer.from(decodeURIComponent(data)));
    }
    const url = new URL(address, this.#base);
    // The API key goes to Karrio only, never to a storage host a label URL may point at.
    const ours = url.origin === this.#base.origin;
    const response = await this.#fetch(url, {
      headers: ours ? { authorization: `Token ${this.#settings.apiKey}` } : {},
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new KarrioUnavailable(`the label at ${url.pathname} answered ${response.status}`);
    }
    return this.#bytes(response, url, MAX_LABEL_BYTES);
  }

  async #fetch(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, {
        ...init,
        redirect: 'error',
        signal: AbortSignal.timeout(this.#settings.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      const why = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'failed';
      throw new KarrioUnavailable(`${init.method ?? 'GET'} ${url.pathname} ${why}`, { cause: error });
    }
  }

  async #read(response: Response, url: URL, limit: number): Promise<string> {
    return new TextDecoder().decode(await this.#bytes(response, url, limit));
  }

  /** The body, at most `limit` bytes; a cut connection mid-body is unclear like any other. */
  async #bytes(response: Response, url: URL, limit: number): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      const reader = response.body?.getReader();
      for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
        size += read.value.byteLength;
        if (size > limit) {
          await reader?.cancel();
          throw new KarrioUnavailable(`the answer of ${url.pathname} is over ${limit} bytes`);
        }
        chunks.push(read.value);
      }
    } catch (error) {
      if (error instanceof KarrioUnavailable) throw error;
      throw new KarrioUnavailable(`the answer of ${url.pathname} was cut off`, { cause: error });
    }
    return Buffer.concat(chunks);
  }
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
