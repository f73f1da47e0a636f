/** Text for PDFs drawn with pdf-lib's standard fonts, which cover Latin-1 only. */

/**
 * `text` in Latin-1: characters Latin-1 has are kept (Genève, Müller), others become their plain letter
 * (ź → z) or a question mark (Ł).
 */
export function printable(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    if (char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) <= 0xff && char.length === 1) out += char;
    else {
      const plain = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += /^[\x20-\xff]+$/.test(plain) ? plain : '?';
    }
  }
  return out;
}
