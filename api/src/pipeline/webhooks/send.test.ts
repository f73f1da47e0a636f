import http from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryFailure, EXCERPT_LENGTH, httpSender } from './send.ts';

const servers: (Server | http.Server)[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function listen<S extends Server | http.Server>(server: S): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

const target = (port: number) => ({ url: new URL(`http://127.0.0.1:${port}/hook`), address: '127.0.0.1' });
const request = { headers: { 'webhook-id': 'msg_1' }, body: '{"type":"order.accepted"}' };

describe('httpSender on real sockets', () => {
  it('says "connected, no answer" when the receiver accepts and stays silent', async () => {
    const held: import('node:net').Socket[] = [];
    const port = await listen(createServer((socket) => void held.push(socket)));
    const send = httpSender({ connectTimeoutMs: 2000, responseTimeoutMs: 300 });
    const failure = await send(target(port), request).catch((error: unknown) => error);
    for (const socket of held) socket.destroy();
    expect(failure).toBeInstanceOf(DeliveryFailure);
    expect(failure).toMatchObject({ outcome: 'no_answer', message: 'connected, no answer within 300 ms' });
  });

  it('says "could not connect" when nothing listens', async () => {
    const port = await listen(createServer());
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const failure = await httpSender()(target(port), request).catch((error: unknown) => error);
    expect(failure).toMatchObject({ outcome: 'no_connection', message: 'could not connect (ECONNREFUSED)' });
  });

  it('says "connected, then the connection failed" when the receiver cuts it before answering', async () => {
    const port = await listen(createServer((socket) => socket.once('data', () => socket.destroy())));
    const failure = await httpSender()(target(port), request).catch((error: unknown) => error);
    expect(failure).toMatchObject({ outcome: 'no_answer' });
    expect((failure as Error).message).toMatch(/^connected, then the connection failed/);
  });

  it('keeps the status and only the first characters of the answer', async () => {
    const port = await listen(
      http.createServer((req, res) => {
        req.resume();
        res.writeHead(202).end('x'.repeat(5000));
      }),
    );
    const result = await httpSender()(target(port), request);
    expect(result.status).toBe(202);
    expect(result.excerpt).toHaveLength(EXCERPT_LENGTH);
  });
});
