/** The element's size budget (issue: ≤ 12 KB gzip for all JavaScript it loads, Lit included). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WIDGET_DIST } from '../api/src/plugins/assets.ts';

const BUDGET_BYTES = 12 * 1024;
const gzipped = (file: string) => gzipSync(readFileSync(join(WIDGET_DIST, file)), { level: 9 }).length;

describe('widget bundle (npm run build)', () => {
  const files = readdirSync(WIDGET_DIST);
  const manifest = JSON.parse(readFileSync(join(WIDGET_DIST, 'manifest.json'), 'utf8'));

  it('is one ES module plus an immutable alias with the same bytes', () => {
    expect(files).toContain('delivery-promise.js');
    expect(readFileSync(join(WIDGET_DIST, manifest.hashed))).toEqual(
      readFileSync(join(WIDGET_DIST, 'delivery-promise.js')),
    );
  });

  it('loads at most 12 KB gzip of JavaScript: the module and the largest language chunk', () => {
    const languageChunks = files.filter((f) => /^[a-z]{2}-[\w-]+\.js$/.test(f));
    expect(languageChunks.length).toBe(5);
    const worst = gzipped('delivery-promise.js') + Math.max(...languageChunks.map(gzipped));
    expect(worst).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('does not ship Lit in development mode', () => {
    expect(readFileSync(join(WIDGET_DIST, 'delivery-promise.js'), 'utf8')).not.toContain('Lit is in dev mode');
  });
});
