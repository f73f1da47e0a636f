/** Text for PDFs drawn with pdf-lib's standard fonts, which cover Latin-1 only. */

/** Printable Latin-1: not the C0 and C1 controls nor DEL, which the fonts' WinAnsi encoding cannot draw. */
const isLatin1Printable = (code: number) => (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff);

/**
 * `text` in Latin-1: characters Latin-1 has are kept (Genève, Müller), others become their plain letter
 * (ź → z) or a question mark (Ł).
 */
export function printable(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    if (char.length === 1 && isLatin1Printable(char.charCodeAt(0))) out += char;
    else {
      const plain = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += [...plain].every((c) => isLatin1Printable(c.charCodeAt(0))) && plain !== '' ? plain : '?';
    }
  }
  return out;
}
