import { describe, expect, it } from 'vitest';
import { CARRIER_CODES, SANDBOX_CODES } from './statuses.ts';

describe('tracking code tables', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
    'maps no status to a code named %s',
    (code) => {
      expect(SANDBOX_CODES[code]).toBeUndefined();
      expect(CARRIER_CODES.sandbox?.[code]).toBeUndefined();
    },
  );

  it.each(['constructor', 'toString', '__proto__'])('has no code table for an adapter named %s', (adapter) => {
    expect(CARRIER_CODES[adapter]).toBeUndefined();
  });

  it('still maps the sandbox codes through the adapter table', () => {
    expect(CARRIER_CODES.sandbox?.DLV).toBe('delivered');
  });
});
