/**
 * Platform amounts to minor units. Shops send decimals as strings ("199.00", "29.35") or numbers (21.99);
 * they are read digit by digit, never through floating-point arithmetic, with the currency's own number of
 * decimals (two for EUR, none for JPY, three for KWD).
 */

const digitsByCurrency = new Map<string, number>();

/** The currency's minor-unit digits, as Intl knows them (ISO 4217). */
export function currencyDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

const DECIMAL = /^(-?)(\d{1,15})(?:\.(\d{1,12}))?$/;

/**
 * `value` in the currency's minor units, rounded half up past its digits; null when it is not a plain decimal.
 * @example toMinorUnits('199.00', 'EUR') // 19900
 * @example toMinorUnits(21.99, 'EUR') // 2199
 */
export function toMinorUnits(value: unknown, currency: string): number | null {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') return null;
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const digits = currencyDigits(currency);
  const kept = fraction.padEnd(digits, '0').slice(0, digits);
  const next = fraction.charAt(digits);
  let minor = Number(whole) * 10 ** digits + Number(kept || '0');
  if (next !== '' && Number(next) >= 5) minor += 1;
  return sign === '-' ? -minor : minor;
}
