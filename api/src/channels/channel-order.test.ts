import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { countryCode, normalizeAddress, orderLines } from './channel-order.ts';
import { parsePlatformJson } from './platform-json.ts';
import { hasValidSignature } from './signatures.ts';

describe('normalizeAddress', () => {
  it('gives one shape whatever the platform: full name, company on the second line, alpha-2 country, upper-case postal code', () => {
    expect(
      normalizeAddress({
        firstName: ' Jane ',
        lastName: 'Doe',
        company: 'ACME Ltd',
        line1: '10  Downing   Street',
        line2: 'Flat 2',
        postalCode: 'sw1a 2aa',
        city: 'London',
        country: 'GBR',
        phone: '+44 20 7946 0000',
        email: 'jane@example.com',
      }),
    ).toEqual({
      name: 'Jane Doe',
      line1: '10 Downing Street',
      line2: 'ACME Ltd, Flat 2',
      postalCode: 'SW1A 2AA',
      city: 'London',
      country: 'GB',
      phone: '+44 20 7946 0000',
      email: 'jane@example.com',
    });
  });

  it('names a company-only address by the company and leaves out an e-mail that is not one', () => {
    const address = normalizeAddress({
      company: 'ACME',
      line1: '1 rue',
      postalCode: '75011',
      city: 'Paris',
      country: 'fr',
      email: 'not-an-email',
    });
    expect(address).toEqual({ name: 'ACME', line1: '1 rue', postalCode: '75011', city: 'Paris', country: 'FR' });
  });

  it('reads countries given by English name, and none for what is not a country', () => {
    expect(countryCode('United States')).toBe('US');
    expect(countryCode('deu')).toBe('DE');
    expect(countryCode('Atlantis')).toBe('');
  });
});

describe('orderLines', () => {
  it('merges the lines of one sku at the price they divide into', () => {
    expect(
      orderLines([
        { sku: 'A', quantity: 1, amount: 19900 },
        { sku: 'B', quantity: 2, amount: 600 },
        { sku: 'A', quantity: 1, amount: 19900 },
      ]),
    ).toEqual({
      items: [
        { sku: 'A', quantity: 2, unitPrice: 19900 },
        { sku: 'B', quantity: 2, unitPrice: 300 },
      ],
      problems: [],
    });
  });

  it('refuses a line whose amount does not divide by its quantity rather than rounding the totals away', () => {
    expect(orderLines([{ sku: 'A', quantity: 3, amount: 1000 }]).problems).toEqual([
      { field: 'items[0].unitPrice', code: 'not_divisible' },
    ]);
  });
});

describe('parsePlatformJson', () => {
  it('keeps integers above 2^53 digit for digit and decimals as written', () => {
    expect(parsePlatformJson('{"id": 820982911946154508, "n": 3, "price": 21.99}')).toEqual({
      id: '820982911946154508',
      n: 3,
      price: '21.99',
    });
  });

  it('returns null for what is not a JSON object', () => {
    for (const text of ['[1]', '"x"', '{"a":', '', 'null']) expect(parsePlatformJson(text)).toBeNull();
  });
});

describe('hasValidSignature', () => {
  const body = Buffer.from('{"id":1}');
  const signature = createHmac('sha256', 'secret').update(body).digest('base64');

  it('accepts the base64 HMAC-SHA256 of the raw bytes', () => {
    expect(hasValidSignature(body, signature, 'secret')).toBe(true);
  });

  it('refuses another secret, another body, a truncated or missing signature', () => {
    expect(hasValidSignature(body, signature, 'other')).toBe(false);
    expect(hasValidSignature(Buffer.from('{"id":2}'), signature, 'secret')).toBe(false);
    expect(hasValidSignature(body, signature.slice(0, 20), 'secret')).toBe(false);
    expect(hasValidSignature(body, undefined, 'secret')).toBe(false);
  });
});
