/**
 * Start time and memory of the API as `npm start` runs it (`node dist/…`, the compiled build) and as it ran
 * before (`tsx api/src/cli.ts`): milliseconds from spawn to the first `/health` answer, and the resident memory
 * after 2,000 promise requests over 500 postal codes, on the demo merchant and a fresh SQLite folder.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface StartFigures {
  readyMs: number;
  rssMiB: number;
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function measure(args: string[]): Promise<StartFigures> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PROMESSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'promesse-bench-start-')),
  };
  delete env.DATABASE_URL;
  delete env.PROMESSE_CONFIG;
  const start = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
  try {
    const origin = `http://127.0.0.1:${port}`;
    for (const deadline = start + 60_000; ; ) {
      if (child.exitCode !== null || child.signalCode !== null || performance.now() > deadline) {
        throw new Error(`${args.join(' ')} did not start (exit ${child.exitCode ?? child.signalCode ?? 'none'})`);
      }
      const ok = await fetch(`${origin}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const readyMs = performance.now() - start;
    for (let i = 0; i < 2000; i++) {
      const postalCode = 10000 + (i % 500) * 178;
      await fetch(`${origin}/v1/promise?key=pk_test_demo&sku=MUG-01&country=FR&postalCode=${postalCode}`).then((r) =>
        r.arrayBuffer(),
      );
    }
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssMiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    return { readyMs, rssMiB };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** Both ways of running the API, the compiled build only when `npm run build` has made it. */
export async function startFigures(): Promise<{ compiled: StartFigures | null; tsx: StartFigures }> {
  const tsx = await measure(['--import', 'tsx', 'api/src/cli.ts', 'serve']);
  const compiled = existsSync('dist/api/src/cli.js') ? await measure(['dist/api/src/cli.js', 'serve']) : null;
  return { compiled, tsx };
}

/** The element's JavaScript as a shopper's browser fetches it: the module and its largest language chunk, gzip. */
export function elementSize(): { moduleGzip: number; largestLanguageGzip: number } {
  const dist = 'widget/dist';
  const gzip = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  const chunks = readdirSync(dist).filter((file) => /^[a-z]{2}-[\w-]+\.js$/.test(file));
  return { moduleGzip: gzip('delivery-promise.js'), largestLanguageGzip: Math.max(0, ...chunks.map(gzip)) };
}
