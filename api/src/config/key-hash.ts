/**
 * API keys are kept and compared only as SHA-256 fingerprints, `sha256:` + lower-case hex: the config loader
 * finds a key given twice (once plain, once hashed) and authentication looks a presented key up, by the same text.
 */
import { createHash } from 'node:crypto';

/**
 * The fingerprint of a plain key.
 * @example hashKey('sk_test_x') // 'sha256:' + 64 lower-case hex digits
 */
export function hashKey(key: string): string {
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** The fingerprint of a configured key: its `key` hashed, else its `keyHash` with the hex in lower case. */
export function configuredKeyHash(key: { key?: string | undefined; keyHash?: string | undefined }): string {
  return key.key !== undefined ? hashKey(key.key) : (key.keyHash ?? '').toLowerCase();
}
