/**
 * The promise simulator: a cart, a destination and an instant, answered by the element itself (`<delivery-promise>`
 * from the API's /widget/ bundle) with the merchant's publishable key, so the options and dates are exactly the
 * ones a shopper would see. The instant needs a test key (`at`).
 */
import { html, nothing } from 'lit';
import { t } from '../i18n.ts';
import { ConsoleElement, type ConsoleSession } from '../session.ts';

/** Loads the element's bundle once, from the API that serves this console. */
let elementLoaded: Promise<unknown> | null = null;
function loadElement(): Promise<unknown> {
  if (customElements.get('delivery-promise')) return Promise.resolve();
  elementLoaded ??= import(/* @vite-ignore */ `${location.origin}/widget/delivery-promise.js`).catch(
    (error: unknown) => {
      elementLoaded = null; // tried again at the next submit
      console.warn('the element bundle did not load', error);
    },
  );
  return elementLoaded;
}

export class SimulatorPage extends ConsoleElement {
  static override properties = { session: { attribute: false }, _query: { state: true } };
  declare session: ConsoleSession;
  declare _query: { items: string; country: string; postalCode: string; at: string } | null;

  constructor() {
    super();
    this._query = null;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const local = String(form.get('at') ?? '');
    this._query = {
      items: String(form.get('items') ?? '').replaceAll(' ', ''),
      country: String(form.get('country') ?? 'FR').toUpperCase(),
      postalCode: String(form.get('postalCode') ?? ''),
      at: local ? new Date(local).toISOString() : '',
    };
    void loadElement();
  }

  override render() {
    const key = this.session.publishableKey;
    const first = this.session.skus[0]?.sku ?? '';
    const query = this._query;
    return html`<h1>${t('nav.simulator')}</h1>
      <form class="filters" @submit=${this.#submit}>
        <label>${t('simulator.cart')} <input name="items" required value="${first}:1" /></label>
        <label>${t('simulator.country')} <input name="country" required maxlength="2" value="FR" /></label>
        <label>${t('simulator.postalCode')} <input name="postalCode" value="75011" /></label>
        <label>${t('simulator.at')} <input name="at" type="datetime-local" /></label>
        <button type="submit" class="primary" ?disabled=${!key}>${t('simulator.show')}</button>
      </form>
      ${key ? null : html`<p class="hint">${t('simulator.noKey')}</p>`}
      ${
        key && query
          ? html`<div class="simulated">
              <delivery-promise
                api=${location.origin}
                key=${key}
                mode="cart"
                items=${query.items}
                country=${query.country}
                postal-code=${query.postalCode}
                locale=${document.documentElement.lang || 'en'}
                at=${query.at || nothing}
              ></delivery-promise>
            </div>`
          : null
      }`;
  }
}
customElements.define('pc-simulator', SimulatorPage);
