// Browser tests of the element: @web/test-runner in Debian's Chromium (no browser download), TypeScript through
// esbuild. A real Promesse API is started for the tests that talk to it; its address reaches the page as
// window.PROMESSE_API. Counts are written to test-results/wtr.json for .ci/run.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_FLAGS, requireChromium } from './chromium.mjs';

const chromium = requireChromium();

const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = server.address();
    server.close(() => resolve(free));
  });
});
const apiUrl = `http://127.0.0.1:${port}`;
const api = spawn(process.execPath, ['--import', 'tsx', 'api/src/cli.ts', 'serve'], {
  env: {
    ...process.env,
    // SQLite in a folder of its own, even when DATABASE_URL is set for the PostgreSQL tests.
    DATABASE_URL: '',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    PROMESSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'promesse-wtr-')),
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
process.on('exit', () => api.kill());
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${apiUrl}/health`)).ok) break;
  } catch {
    // not listening yet
  }
  if (i > 200 || api.exitCode !== null) throw new Error('the Promesse API did not start for the browser tests');
  await new Promise((resolve) => setTimeout(resolve, 100));
}

function countTests(results) {
  let passed = 0;
  let failed = 0;
  for (const test of results?.tests ?? []) {
    if (test.skipped) continue;
    if (test.passed) passed++;
    else failed++;
  }
  for (const suite of results?.suites ?? []) {
    const inner = countTests(suite);
    passed += inner.passed;
    failed += inner.failed;
  }
  return { passed, failed };
}

function countsReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      for (const session of sessions) {
        const counts = countTests(session.testResults);
        passed += counts.passed;
        failed += counts.failed + (session.errors?.length && !counts.failed ? 1 : 0);
      }
      mkdirSync('test-results', { recursive: true });
      writeFileSync('test-results/wtr.json', JSON.stringify({ numPassedTests: passed, numFailedTests: failed }));
    },
  };
}

export default {
  rootDir: '.',
  files: ['widget/src/**/*.test.ts', 'console/src/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testsFinishTimeout: 120_000,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromium,
        headless: true,
        args: CHROMIUM_FLAGS,
      },
    }),
  ],
  testFramework: { config: { timeout: 10_000 } },
  testRunnerHtml: (testFramework) => `<!doctype html>
    <html lang="en"><head><meta charset="utf-8"><script>window.PROMESSE_API = ${JSON.stringify(apiUrl)};</script></head>
    <body><script type="module" src="${testFramework}"></script></body></html>`,
  reporters: [defaultReporter(), countsReporter()],
};
