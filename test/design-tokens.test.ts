/** The console and the element share one set of design tokens: the element's fallbacks are those values. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DESIGN_TOKENS } from '../shared/src/design-tokens.ts';

describe('design tokens', () => {
  it("are the element's own defaults, token by token", () => {
    const styles = readFileSync(
      new URL('../widget/src/delivery-promise/delivery-promise.styles.ts', import.meta.url),
      'utf8',
    );
    const fallbacks = Object.fromEntries(
      [...styles.matchAll(/var\((--dp-[a-z-]+),\s*([^)]+)\)/g)].map((m) => [m[1], m[2]?.trim()]),
    );
    for (const [name, value] of Object.entries(DESIGN_TOKENS)) expect(fallbacks[name], name).toBe(value);
  });
});
