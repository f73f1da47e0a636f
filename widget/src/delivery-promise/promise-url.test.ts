/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { type PromiseAttributes, promiseUrl } from './promise-url.ts';

const API = 'https://promesse.example.com';
const PARIS = { country: 'FR', postalCode: '75011' };
const product: PromiseAttributes = { api: API, key: 'pk_test_x', mode: 'product', sku: 'MUG-01', quantity: 2 };
const cart: PromiseAttributes = { api: API, key: 'pk_test_x', mode: 'cart', items: 'MUG-01:2,TEE-02:1' };

const query = (url: string | null) => [...new URL(url ?? 'invalid:').searchParams];

describe('promiseUrl', () => {
  it('asks GET /v1/promise for a product with key, sku, quantity, country, postal code and locale, in that order', () => {
    const url = promiseUrl(product, PARIS, 'fr-FR');
    expect(url).to.equal(
      `${API}/v1/promise?key=pk_test_x&sku=MUG-01&quantity=2&country=FR&postalCode=75011&locale=fr-FR`,
    );
  });

  it('asks for the cart lines and no sku or quantity in cart mode', () => {
    expect(query(promiseUrl({ ...cart, sku: 'IGNORED', quantity: 5 }, PARIS, 'en'))).to.deep.equal([
      ['key', 'pk_test_x'],
      ['items', 'MUG-01:2,TEE-02:1'],
      ['country', 'FR'],
      ['postalCode', '75011'],
      ['locale', 'en'],
    ]);
  });

  it('treats a missing mode as product mode', () => {
    const { mode: _, ...noMode } = product;
    expect(promiseUrl(noMode, PARIS, 'en')).to.equal(promiseUrl(product, PARIS, 'en'));
  });

  it('asks for quantity 1 when the quantity is missing or 0', () => {
    for (const quantity of [undefined, 0]) {
      expect(new URL(promiseUrl({ ...product, quantity }, PARIS, 'en') ?? '').searchParams.get('quantity')).to.equal(
        '1',
      );
    }
  });

  it('leaves out the postal code when the destination has none', () => {
    const url = new URL(promiseUrl(product, { country: 'BE', postalCode: null }, 'en') ?? '');
    expect(url.searchParams.get('country')).to.equal('BE');
    expect(url.searchParams.has('postalCode')).to.equal(false);
  });

  it('sends at last, and only when it is set', () => {
    expect(query(promiseUrl({ ...product, at: '2026-11-23T09:00:00Z' }, PARIS, 'en')).at(-1)).to.deep.equal([
      'at',
      '2026-11-23T09:00:00Z',
    ]);
    expect(new URL(promiseUrl({ ...product, at: '' }, PARIS, 'en') ?? '').searchParams.has('at')).to.equal(false);
  });

  it('calls the default api when the element names none, and its own api when it does', () => {
    const { api: _, ...noApi } = product;
    expect(promiseUrl(noApi, PARIS, 'en', 'https://cdn.example')).to.match(/^https:\/\/cdn\.example\/v1\/promise\?/);
    expect(promiseUrl({ ...product, api: '' }, PARIS, 'en', 'https://cdn.example')).to.match(/^https:\/\/cdn\./);
    expect(promiseUrl(product, PARIS, 'en', 'https://cdn.example')).to.match(/^https:\/\/promesse\.example\.com\//);
  });

  it('drops trailing slashes from the api', () => {
    expect(promiseUrl({ ...product, api: `${API}//` }, PARIS, 'en')).to.match(
      /^https:\/\/promesse\.example\.com\/v1\//,
    );
  });

  it('encodes the key, sku and postal code', () => {
    const url = promiseUrl({ ...product, sku: 'A&B=C' }, { country: 'FR', postalCode: '75 011' }, 'en') ?? '';
    expect(url).to.contain('sku=A%26B%3DC');
    expect(new URL(url).searchParams.get('postalCode')).to.equal('75 011');
  });

  it('asks nothing without an api, a key or a destination', () => {
    const { api: _, ...noApi } = product;
    expect(promiseUrl(noApi, PARIS, 'en')).to.equal(null);
    expect(promiseUrl({ ...product, key: '' }, PARIS, 'en')).to.equal(null);
    expect(promiseUrl(product, null, 'en')).to.equal(null);
  });

  it('asks nothing in product mode without a sku, nor in cart mode without items', () => {
    expect(promiseUrl({ ...product, sku: undefined }, PARIS, 'en')).to.equal(null);
    expect(promiseUrl({ ...cart, items: '' }, PARIS, 'en')).to.equal(null);
  });
});
