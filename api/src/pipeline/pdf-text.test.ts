import { describe, expect, it } from 'vitest';
import { printable } from './pdf-text.ts';

describe('printable', () => {
  it('keeps what Latin-1 has, spells the rest plainly, and marks what it cannot', () => {
    expect(printable('Genève, Müller, Ørsted')).toBe('Genève, Müller, Ørsted');
    expect(printable('Łódź, Kraków')).toBe('?ódz, Kraków'); // Ł has no plain letter in Unicode's decomposition
    expect(printable('日本 📦')).toBe('?? ?');
    expect(printable('A\u0085B\u007fC\u0009')).toBe('A?B?C?'); // controls pdf-lib cannot encode
  });
});
