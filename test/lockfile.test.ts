/**
 * `npm ci` refuses a lock file that lacks an optional dependency of a locked package (the platform builds of
 * Biome, Rollup, esbuild …). The registry this project installs from has lagged behind on some of them, so
 * this test catches a lock that `npm install` wrote without them, before CI does. And every locked package must
 * run on the Node.js this project supports (package.json `engines`): a dependency that moved to a newer Node only
 * warns at install, and fails later.
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
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

  it("locks only packages whose engines allow this project's oldest Node.js", () => {
    const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
    const project = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const oldest = semver.minVersion(project.engines.node)?.version ?? '';
    expect(oldest).toMatch(/^20\./);
    const refused = Object.entries(lock.packages as Record<string, { version?: string; engines?: { node?: string } }>)
      .filter(([path, entry]) => path !== '' && entry.engines?.node && !semver.satisfies(oldest, entry.engines.node))
      .map(([path, entry]) => `${path}@${entry.version}: node ${entry.engines?.node}`);
    expect(refused).toEqual([]);
  });
});
