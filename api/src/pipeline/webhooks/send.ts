/**
 * Sends one webhook request: to the address the guard checked (never a fresh DNS answer), with a connect and a
 * response timeout, no redirects followed, and only a short excerpt of the answer kept.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { CheckedUrl } from './ssrf-guard.ts';

export interface SendResult {
  status: number;
  excerpt: string;
}

export type Sender = (
  target: CheckedUrl,
  request: { headers: Record<string, string>; body: string },
) => Promise<SendResult>;

export const EXCERPT_LENGTH = 500;

/** A delivery that got no answer, and whether it ever reached the receiver: what the attempt log tells apart. */
export class DeliveryFailure extends Error {
  readonly outcome: 'no_connection' | 'no_answer';

  constructor(outcome: 'no_connection' | 'no_answer', message: string) {
    super(message);
    this.name = 'DeliveryFailure';
    this.outcome = outcome;
  }
}

export function httpSender({ connectTimeoutMs = 5000, responseTimeoutMs = 15_000 } = {}): Sender {
  return ({ url, address }, { headers, body }) =>
    new Promise<SendResult>((resolve, reject) => {
      const client = url.protocol === 'https:' ? https : http;
      let connected = false;
      const request = client.request(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Promesse-Webhooks/1', ...headers },
          // Pin the connection to the checked address; TLS still verifies the certificate for the hostname.
          lookup: ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
            const family = isIP(address);
            if (options.all) callback(null, [{ address, family }]);
            else callback(null, address, family);
          }) as unknown as http.RequestOptions['lookup'],
          // A fresh connection each time: the attempt log must say whether this attempt could connect.
          agent: false,
        },
        (response) => {
          let excerpt = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            excerpt += chunk;
            if (excerpt.length >= EXCERPT_LENGTH) response.destroy();
          });
          const done = () => resolve({ status: response.statusCode ?? 0, excerpt: excerpt.slice(0, EXCERPT_LENGTH) });
          response.on('end', done);
          response.on('close', done);
        },
      );
      const fail = (outcome: DeliveryFailure['outcome'], message: string) =>
        request.destroy(new DeliveryFailure(outcome, message));
      const connecting = setTimeout(
        () => fail('no_connection', `could not connect: no connection within ${connectTimeoutMs} ms`),
        connectTimeoutMs,
      );
      const overall = setTimeout(
        () => fail('no_answer', `connected, no answer within ${responseTimeoutMs} ms`),
        responseTimeoutMs,
      );
      request.on('socket', (socket) => {
        socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
          connected = true;
          clearTimeout(connecting);
        });
      });
      request.on('error', (error) => {
        clearTimeout(connecting);
        clearTimeout(overall);
        if (error instanceof DeliveryFailure) return reject(error);
        const code = (error as NodeJS.ErrnoException).code ?? error.message;
        reject(
          connected
            ? new DeliveryFailure('no_answer', `connected, then the connection failed (${code})`)
            : new DeliveryFailure('no_connection', `could not connect (${code})`),
        );
      });
      request.on('close', () => {
        clearTimeout(connecting);
        clearTimeout(overall);
      });
      request.end(body);
    });
}
