import { describe, expect, it } from 'vitest';
import { type BodyLine, LineSplitter } from '../import-body.ts';

/** Feeds `chunks` to a splitter and returns every line, with the most bytes it kept between chunks. */
function split(chunks: (string | Buffer)[], maxLineBytes = 100) {
  const splitter = new LineSplitter(maxLineBytes);
  const lines: BodyLine[] = [];
  let mostKept = 0;
  for (const chunk of chunks) {
    lines.push(...splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
    mostKept = Math.max(mostKept, splitter.pendingBytes);
  }
  lines.push(...splitter.end());
  return { texts: lines.map((line) => (line.tooLong ? null : line.text)), mostKept };
}

/** `text` as UTF-8, cut into chunks of `size` bytes, so that multi-byte characters fall across chunks. */
function bytesOf(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  return Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
}

describe('LineSplitter', () => {
  it('splits at \\n, \\r\\n and a lone \\r, and gives the last line without a break', () => {
    expect(split(['a\nb\r\nc\rd']).texts).toEqual(['a', 'b', 'c', 'd']);
    expect(split(['a\n\nb\n']).texts).toEqual(['a', '', 'b']);
  });

  it('counts a \\r\\n split across two chunks as one break', () => {
    expect(split(['a\r', '\nb\r', 'c']).texts).toEqual(['a', 'b', 'c']);
  });

  it('decodes multi-byte characters cut across chunks', () => {
    const text = 'paris,CAFÉ-☕-𝄞,3\n{"sku":"ÉTÉ-€"}\n';
    for (const size of [1, 2, 3, 5]) {
      expect(split(bytesOf(text, size)).texts).toEqual(['paris,CAFÉ-☕-𝄞,3', '{"sku":"ÉTÉ-€"}']);
    }
  });

  it('reports a line over the limit as too long and goes on with the next line', () => {
    const long = 'x'.repeat(101);
    expect(split([`ok\n${long}\nnext\n`]).texts).toEqual(['ok', null, 'next']);
    expect(split([`ok\n${'x'.repeat(100)}\n`]).texts).toEqual(['ok', 'x'.repeat(100)]);
    expect(split([`ok\n${long}`]).texts).toEqual(['ok', null]);
  });

  it('counts the limit in bytes, not characters', () => {
    expect(split([`${'€'.repeat(34)}\n${'€'.repeat(33)}\n`]).texts).toEqual([null, '€'.repeat(33)]);
  });

  it('never keeps more than the limit of a line, however long the line streams on', () => {
    const megabyte = bytesOf(`first\n${'y'.repeat(1024 * 1024)}\nlast\n`, 4096);
    const { texts, mostKept } = split(megabyte, 10_000);
    expect(texts).toEqual(['first', null, 'last']);
    expect(mostKept).toBeLessThanOrEqual(10_000);
    expect(mostKept).toBeGreaterThan(0); // it did keep the start of the line, up to the limit
  });
});
