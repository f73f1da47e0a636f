/**
 * `npm ci` refuses a lock file that lacks an optional dependency of a locked package (the platform builds of
 * Biome, Rollup, esbuild …). The registry this project installs from has lagged behind on some of them, so
 * this test catches a lock that `npm install` wrote without them, before CI does.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('package-lock.json', () => {
  it('locks every optional dependency of every locked package', () => {
    const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
    const paths = Object.keys(lock.packages as Record<string, unknown>);
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages as Record<string, { optionalDependencies?: object }>)) {
      for (const dependency of Object.keys(entry.optionalDependencies ?? {})) {
        if (!paths.some((p) => p.endsWith(`node_modules/${dependency}`))) missing.push(`${path} → ${dependency}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
