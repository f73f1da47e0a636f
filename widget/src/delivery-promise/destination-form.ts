/**
 * The destination line under the promise ("Livraison à 75011 · modifier") and the form that changes it: a
 * ReactiveController holding the shopper's choice, with its template. The template renders into the element's own
 * shadow root, so `part="postal-code"` and the form's fields stay the element's. The choice is remembered in
 * localStorage and reaches every element on the page through `../destination.ts`.
 */
import { html, type LitElement, type ReactiveController, type TemplateResult } from 'lit';
import { chooseDestination, type Destination, onDestinationChange, storedDestination } from '../destination.ts';
import type { LocalizeController } from '../localize/localize-controller.ts';
import { fill } from '../localize/localize-controller.ts';

const COUNTRIES = ['FR', 'BE', 'LU', 'DE', 'NL', 'ES', 'IT', 'AT', 'PT', 'CH', 'GB', 'US'];

export type DestinationHost = LitElement & { country?: string | undefined; postalCode?: string | undefined };

function save(event: SubmitEvent): void {
  event.preventDefault();
  const form = new FormData(event.target as HTMLFormElement);
  const country = String(form.get('country') ?? '').toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) return;
  const postalCode = String(form.get('postalCode') ?? '').trim();
  chooseDestination({ country, postalCode: postalCode || null });
}

export class DestinationController implements ReactiveController {
  /** The destination the shopper chose, which wins over the attributes until the page sets them again. */
  shopper: Destination | null = null;
  editing = false;

  readonly #host: DestinationHost;
  readonly #localize: LocalizeController;
  #stopListening: (() => void) | undefined;

  constructor(host: DestinationHost, localize: LocalizeController) {
    this.#host = host;
    this.#localize = localize;
    host.addController(this);
  }

  /** Where to promise for: the shopper's choice, else the host's `country` and `postal-code`, else nowhere yet. */
  get current(): Destination | null {
    if (this.shopper) return this.shopper;
    const { country, postalCode } = this.#host;
    return country ? { country: country.toUpperCase(), postalCode: postalCode?.trim() || null } : null;
  }

  hostConnected(): void {
    this.#set(storedDestination(), this.editing);
    this.#stopListening = onDestinationChange((destination) => this.#set(destination, false));
  }

  hostDisconnected(): void {
    this.#stopListening?.();
  }

  render(): TemplateResult {
    const { strings } = this.#localize;
    const destination = this.current;
    if (this.editing) {
      const current = destination?.country ?? 'FR';
      const countries = COUNTRIES.includes(current) ? COUNTRIES : [current, ...COUNTRIES];
      return html`<div part="postal-code" class="row">
        <form @submit=${save}>
          <label class="field"
            >${strings.country}
            <select name="country">
              ${countries.map((code) => html`<option value=${code} ?selected=${code === current}>${this.#localize.country(code)}</option>`)}
            </select>
          </label>
          <label class="field"
            >${strings.postalCode}
            <input type="text" name="postalCode" .value=${destination?.postalCode ?? ''} autocomplete="postal-code" size="8" maxlength="16" />
          </label>
          <button type="submit">${strings.apply}</button>
          <button type="button" class="secondary" @click=${() => this.#set(this.shopper, false)}>${strings.cancel}</button>
        </form>
      </div>`;
    }
    const where = destination?.postalCode
      ? fill(strings.deliverTo, { code: destination.postalCode })
      : fill(strings.deliverToCountry, { country: destination ? this.#localize.country(destination.country) : '—' });
    return html`<p part="postal-code" class="row muted">
      ${where} ·
      <button class="link" type="button" aria-label="${strings.change}: ${where}" @click=${this.#edit}>${strings.change}</button>
    </p>`;
  }

  #set(shopper: Destination | null, editing: boolean): void {
    this.shopper = shopper;
    this.editing = editing;
    this.#host.requestUpdate();
  }

  #edit = async (): Promise<void> => {
    this.#set(this.shopper, true);
    await this.#host.updateComplete;
    this.#host.renderRoot.querySelector<HTMLInputElement>('input[name="postalCode"]')?.focus();
  };
}
