/**
 * Tracking numbers in the UPU S10 format used by postal carriers (Colissimo, La Poste, Deutsche Post …):
 * two service letters, an eight-digit serial, a check digit, and the ISO country of origin.
 * @example s10TrackingNumber('LA', 12345678, 'FR') // 'LA123456785FR'
 */

const WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/** The S10 check digit of an eight-digit serial (UPU standard S10: weights 8 6 4 2 3 5 9 7, modulo 11). */
export function s10CheckDigit(serial: string): number {
  const sum = [...serial].reduce((total, digit, index) => total + Number(digit) * (WEIGHTS[index] ?? 0), 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 0 : check === 11 ? 5 : check;
}

export function s10TrackingNumber(service: string, serial: number, country: string): string {
  const digits = String(serial % 100_000_000).padStart(8, '0');
  return `${service}${digits}${s10CheckDigit(digits)}${country}`;
}

/** Whether a tracking number is a well-formed S10 number with a correct check digit. */
export function isValidS10(trackingNumber: string): boolean {
  const match = /^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$/.exec(trackingNumber);
  return match !== null && s10CheckDigit(match[1] as string) === Number(match[2]);
}
