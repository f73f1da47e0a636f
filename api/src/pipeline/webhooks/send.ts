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

export function httpSender({ connectTimeoutMs = 5000, responseTimeoutMs = 15_000 } = {}): Sender {
  return ({ url, address }, { headers, body }) =>
    new Promise<SendResult>((resolve, reject) => {
      const client = url.protocol === 'https:' ? https : http;
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
          timeout: connectTimeoutMs,
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
      const overall = setTimeout(
        () => request.destroy(new Error(`no answer within ${responseTimeoutMs} ms`)),
        responseTimeoutMs,
      );
      request.on('timeout', () => request.destroy(new Error(`no connection within ${connectTimeoutMs} ms`)));
      request.on('error', (error) => {
        clearTimeout(overall);
        reject(error);
      });
      request.on('close', () => clearTimeout(overall));
      request.end(body);
    });
}
