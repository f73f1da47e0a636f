/**
 * Console passwords (CONTRACT §10): scrypt from Node's own crypto (OpenSSL's, maintained with Node), as
 * `scrypt$N$r$p$salt$hash` (base64), compared in constant time. Verifying against an unknown user still costs one
 * scrypt, so the time of an answer does not say whether the e-mail exists.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** OWASP's scrypt floor (N = 2^17, r = 8, p = 1 uses 128 MiB; 2^15 keeps a sign-in near 50 ms on one core). */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST.N, COST.r, COST.p);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** A hash no password matches: what an unknown e-mail is checked against. */
const NOBODY = `scrypt$${COST.N}$${COST.r}$${COST.p}$${randomBytes(16).toString('base64')}$${randomBytes(KEY_BYTES).toString('base64')}`;

/** Whether `password` is the one `stored` was made from; `stored` null checks against nobody's. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = (stored ?? NOBODY).split('$');
  const N = Number(n);
  if (scheme !== 'scrypt' || !salt || !hash || !Number.isInteger(N) || N < 2 || N > 2 ** 20) return false;
  const expected = Buffer.from(hash, 'base64');
  // Parameters scrypt refuses (N not a power of two, r or p out of range) make a hash nothing matches.
  const key = await derive(password, Buffer.from(salt, 'base64'), N, Number(r), Number(p)).catch(() => null);
  return stored !== null && key !== null && key.length === expected.length && timingSafeEqual(key, expected);
}
