import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { DeliveryOption, DeliveryPromise } from '../../../shared/src/promise.ts';
import { FetchStatus, PromiseController } from '../controllers/promise-controller.ts';
import { chooseDestination, type Destination, onDestinationChange, storedDestination } from '../destination.ts';
import { DpErrorEvent, DpPromiseEvent, DpSelectEvent } from '../events.ts';
import {
  countryName,
  fill,
  formatCountdown,
  formatDay,
  formatDelivery,
  formatPrice,
  formatRange,
  resolveLocale,
} from '../localize/format.ts';
import { loadedStrings, loadStrings, type Strings } from '../localize/strings.ts';
import { styles } from './delivery-promise.styles.ts';

/** Where the bundle was loaded from: the API serves it, so it is the default `api`. */
const SCRIPT_ORIGIN = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return undefined;
  }
})();

/** Options shown before "show more" in cart mode; the loading state reserves their height. */
const VISIBLE_OPTIONS = 3;
const COUNTRIES = ['FR', 'BE', 'LU', 'DE', 'NL', 'ES', 'IT', 'AT', 'PT', 'CH', 'GB', 'US'];

/**
 * Shows when an order will arrive: on a product page the fastest delivery and its cut-off countdown, in the
 * cart every delivery option to choose from. Calls the Promesse API with a publishable key.
 *
 * @summary A delivery promise for a product or a cart.
 *
 * @attr api - The Promesse API origin, e.g. `https://promesse.example.com`; default: where this script came from.
 * @attr key - A publishable key (`pk_live_…`, `pk_test_…`).
 * @attr mode - `product` (default) or `cart`.
 * @attr sku - Product mode: the product.
 * @attr quantity - Product mode: how many (default 1).
 * @attr items - Cart mode: `SKU:QUANTITY` lines separated by commas.
 * @attr country - The destination country (ISO 3166-1 alpha-2), the starting value.
 * @attr postal-code - The destination postal code, the starting value.
 * @attr locale - A BCP 47 tag; else the page's `lang`, else the browser's language.
 * @attr at - Test keys only: the instant to promise at (ISO 8601).
 *
 * @event dp-promise - A promise arrived. `detail`: the answer of `GET /v1/promise`.
 * @event dp-select - Cart mode: the shopper chose an option. `detail`: `{promiseId, optionId}`.
 * @event dp-error - The promise could not be shown. `detail`: `{code, message}`.
 *
 * @csspart headline - The delivery sentence; carries `data-earliest` and `data-latest` (ISO dates).
 * @csspart countdown - "Order within 2 h 13 min" while a cut-off is ahead.
 * @csspart options - Cart mode: the group of options.
 * @csspart option - Cart mode: one option.
 * @csspart postal-code - The destination and the control to change it.
 *
 * @cssproperty --dp-font-family - Font (default: inherited).
 * @cssproperty --dp-font-size - Base size (default 1rem).
 * @cssproperty --dp-color-text - Text colour.
 * @cssproperty --dp-color-muted - Secondary text colour.
 * @cssproperty --dp-color-accent - Countdown, links, selection.
 * @cssproperty --dp-color-border - Option borders.
 * @cssproperty --dp-color-surface - Option and field background.
 * @cssproperty --dp-color-focus - Focus ring.
 * @cssproperty --dp-color-skeleton - Loading placeholders.
 * @cssproperty --dp-radius - Corner radius.
 * @cssproperty --dp-space - Spacing unit.
 */
export class DeliveryPromiseElement extends LitElement {
  static override styles = styles;

  static override properties = {
    api: { type: String },
    key: { type: String },
    mode: { type: String, reflect: true },
    sku: { type: String },
    quantity: { type: Number },
    items: { type: String },
    country: { type: String },
    postalCode: { type: String, attribute: 'postal-code' },
    locale: { type: String },
    at: { type: String },
    _shopper: { state: true },
    _editing: { state: true },
    _selected: { state: true },
    _showAll: { state: true },
    _now: { state: true },
  };

  declare api: string | undefined;
  declare key: string | undefined;
  declare mode: 'product' | 'cart';
  declare sku: string | undefined;
  declare quantity: number;
  declare items: string | undefined;
  declare country: string | undefined;
  declare postalCode: string | undefined;
  declare locale: string | undefined;
  declare at: string | undefined;
  /** the destination the shopper chose, which wins over the attributes until the page sets them again */
  declare _shopper: Destination | null;
  declare _editing: boolean;
  declare _selected: string | null;
  declare _showAll: boolean;
  declare _now: number;

  /** How long to wait for the API before showing the fallback and firing dp-error (ms). */
  timeoutMs = 8000;

  readonly #promise = new PromiseController(this, {
    timeoutMs: () => this.timeoutMs,
    onSettled: () => this.#announce(),
  });
  #tick: ReturnType<typeof setTimeout> | undefined;
  /** The server's clock minus the device's (ms), from the last answer's `generatedAt`. */
  #serverOffset = 0;
  #stopListening: (() => void) | undefined;
  #reportedRenderError = false;

  constructor() {
    super();
    this.mode = 'product';
    this.quantity = 1;
    this._shopper = null;
    this._editing = false;
    this._selected = null;
    this._showAll = false;
    this._now = Date.now();
  }

  /** The last promise shown, or null. */
  get promise(): DeliveryPromise | null {
    return this.#promise.value;
  }

  /** Cart mode: the option the shopper chose (the first one until they choose). */
  get selectedOptionId(): string | null {
    return this._selected ?? this.#promise.value?.options[0]?.id ?? null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._shopper = storedDestination();
    this.#stopListening = onDestinationChange((destination) => {
      this._shopper = destination;
      this._editing = false;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopListening?.();
    clearTimeout(this.#tick);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The page setting a destination attribute again takes over from the shopper's earlier choice.
    if (this.hasUpdated && (changed.has('country') || changed.has('postalCode'))) this._shopper = null;
    if (changed.has('at') || !this.at) this._now = this.#clock();
    this.#promise.request(this.#url());
  }

  protected override updated(): void {
    clearTimeout(this.#tick);
    const cutoff = this.#cutoffAt();
    if (cutoff === null || this.at) return;
    const left = cutoff - this.#clock();
    if (left <= 0) {
      this.#promise.request(this.#url(), { force: true }); // the cut-off passed: the dates have moved
      return;
    }
    // Next minute boundary of the countdown, or the cut-off itself if sooner.
    this.#tick = setTimeout(
      () => {
        this._now = this.#clock();
      },
      Math.min(left, (left % 60_000) + 1),
    );
  }

  #clock(): number {
    const fixed = this.at ? Date.parse(this.at) : Number.NaN;
    return Number.isFinite(fixed) ? fixed : Date.now() + this.#serverOffset;
  }

  #destination(): Destination | null {
    if (this._shopper) return this._shopper;
    if (!this.country) return null;
    return { country: this.country.toUpperCase(), postalCode: this.postalCode?.trim() || null };
  }

  #locale(): string {
    return resolveLocale(this.locale);
  }

  #url(): string | null {
    const destination = this.#destination();
    const api = this.api || SCRIPT_ORIGIN;
    if (!api || !this.key || !destination) return null;
    const params = new URLSearchParams({ key: this.key });
    if (this.mode === 'cart') {
      if (!this.items) return null;
      params.set('items', this.items);
    } else {
      if (!this.sku) return null;
      params.set('sku', this.sku);
      params.set('quantity', String(this.quantity || 1));
    }
    params.set('country', destination.country);
    if (destination.postalCode) params.set('postalCode', destination.postalCode);
    params.set('locale', this.#locale());
    if (this.at) params.set('at', this.at);
    return `${api.replace(/\/+$/, '')}/v1/promise?${params}`;
  }

  #shownOption(): DeliveryOption | null {
    const options = this.#promise.value?.options ?? [];
    return options.find((o) => o.id === this._selected) ?? options[0] ?? null;
  }

  #cutoffAt(): number | null {
    const cutoff = this.#shownOption()?.cutoffAt;
    return cutoff ? Date.parse(cutoff) : null;
  }

  #announce(): void {
    const { value, failure } = this.#promise;
    if (value) {
      // Cut-offs are on the server's clock: a device clock ahead of it would see each one as passed and refetch.
      // The answer's age on arrival (latency, HTTP cache) only delays the refetch; it can never make it early.
      if (!this.at) this.#serverOffset = Date.parse(value.generatedAt) - Date.now() || 0;
      if (this._selected && !value.options.some((o) => o.id === this._selected)) this._selected = null;
      this.dispatchEvent(new DpPromiseEvent(value));
    } else if (failure) {
      this.dispatchEvent(new DpErrorEvent(failure));
    }
  }

  #select(optionId: string): void {
    this._selected = optionId;
    const promiseId = this.#promise.value?.promiseId;
    if (promiseId) this.dispatchEvent(new DpSelectEvent({ promiseId, optionId }));
  }

  #saveDestination(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const country = String(form.get('country') ?? '').toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) return;
    const postalCode = String(form.get('postalCode') ?? '').trim();
    chooseDestination({ country, postalCode: postalCode || null });
  }

  protected override render(): TemplateResult {
    const locale = this.#locale();
    const strings = loadedStrings(locale);
    if (!strings) {
      // The language's table is a separate chunk, fetched alongside the promise; keep the reserved space.
      loadStrings(locale).then(() => this.requestUpdate());
      return html`<p part="headline" class="row" aria-live="polite" aria-busy="true"><span class="skeleton"></span></p>
        <p part="countdown" class="row"></p>
        ${this.mode === 'cart' ? html`<div class="option-list"></div><p class="row"></p>` : nothing}
        <p part="postal-code" class="row"></p>`;
    }
    let body: TemplateResult;
    try {
      body = this.mode === 'cart' ? this.#renderCart(strings, locale) : this.#renderProduct(strings, locale);
    } catch (error) {
      // A malformed answer must not break the host page: show the fallback and tell the page once.
      if (!this.#reportedRenderError) {
        this.#reportedRenderError = true;
        queueMicrotask(() =>
          this.dispatchEvent(new DpErrorEvent({ code: 'render_failed', message: (error as Error).message })),
        );
      }
      body = html`<p part="headline" class="row" aria-live="polite">${strings.unavailable}</p>`;
    }
    return html`${body}${this.#renderDestination(strings, locale)}`;
  }

  /** The headline's sentence, or a skeleton while loading. */
  #headline(strings: Strings, locale: string): TemplateResult {
    const { status, value } = this.#promise;
    if (status === FetchStatus.loading || status === FetchStatus.idle) {
      return html`<p part="headline" class="row" aria-live="polite" aria-busy="true">
        <span class="skeleton" aria-hidden="true"></span><span class="visually-hidden">${strings.loading}</span>
      </p>`;
    }
    const option = this.#shownOption();
    if (status === FetchStatus.error || !value) {
      return html`<p part="headline" class="row muted" aria-live="polite">${strings.unavailable}</p>`;
    }
    if (!option) {
      const reason =
        value.reason === 'no_service'
          ? strings.noService
          : value.reason === 'unknown_sku'
            ? strings.unknownSku
            : strings.outOfStock;
      return html`<p part="headline" class="row muted" aria-live="polite">${reason}</p>`;
    }
    const { earliest, latest } = option.delivery;
    return html`<p part="headline" class="row" aria-live="polite" data-earliest=${earliest} data-latest=${latest}>
      ${formatDelivery(earliest, latest, locale, this._now, strings)}
    </p>`;
  }

  #note(strings: Strings, locale: string): TemplateResult | typeof nothing {
    const value = this.#promise.value;
    if (!value || this.#promise.status !== FetchStatus.ready) return nothing;
    if (value.status === 'partial') return html`${strings.partial}`;
    const waiting = value.items.find((item) => item.availableFrom);
    return waiting?.availableFrom
      ? html`${fill(strings.fromDate, { date: formatDay(waiting.availableFrom, locale) })}`
      : nothing;
  }

  #countdown(strings: Strings, locale: string): TemplateResult {
    const cutoff = this.#promise.status === FetchStatus.ready ? this.#cutoffAt() : null;
    const left = cutoff === null ? 0 : cutoff - this._now;
    // Not a live region: announcing every minute would drown the page.
    return html`<p part="countdown" class="row">
      ${left > 0 ? fill(strings.orderWithin, { time: formatCountdown(left, locale) }) : this.#note(strings, locale)}
    </p>`;
  }

  #renderProduct(strings: Strings, locale: string): TemplateResult {
    return html`${this.#headline(strings, locale)}${this.#countdown(strings, locale)}`;
  }

  #renderCart(strings: Strings, locale: string): TemplateResult {
    const { status, value } = this.#promise;
    const loading = status === FetchStatus.loading || status === FetchStatus.idle;
    const options = value?.options ?? [];
    const shown = this._showAll ? options : options.slice(0, VISIBLE_OPTIONS);
    const selected = this.#shownOption()?.id;
    const rows = loading
      ? Array.from(
          { length: VISIBLE_OPTIONS },
          () => html`<div class="option-skeleton" aria-hidden="true"><span class="skeleton"></span></div>`,
        )
      : shown.map(
          (option) => html`<label part="option">
            <input
              type="radio"
              name="option"
              .value=${option.id}
              .checked=${option.id === selected}
              @change=${() => this.#select(option.id)}
            />
            <span class="option-name">${option.name}</span>
            <span class="option-price">${formatPrice(option.price.amount, option.price.currency, locale, strings)}</span>
            <span class="option-detail">
              ${formatRange(option.delivery.earliest, option.delivery.latest, locale)} · ${strings[option.deliveryType]}
            </span>
            <span class="option-tags">${option.tags.map((tag) => html`<span class="tag">${strings[tag]}</span>`)}</span>
          </label>`,
        );
    const hidden = options.length - shown.length;
    return html`${this.#headline(strings, locale)}${this.#countdown(strings, locale)}
      <fieldset part="options">
        <legend>${strings.options}</legend>
        <div class="option-list">${rows}</div>
      </fieldset>
      <p class="row">
        ${
          hidden > 0
            ? html`<button class="link" type="button" @click=${() => (this._showAll = true)}>
              ${fill(strings.showMore, { count: hidden })}
            </button>`
            : nothing
        }
      </p>`;
  }

  #renderDestination(strings: Strings, locale: string): TemplateResult {
    const destination = this.#destination();
    if (this._editing) {
      const current = destination?.country ?? 'FR';
      const countries = COUNTRIES.includes(current) ? COUNTRIES : [current, ...COUNTRIES];
      return html`<div part="postal-code" class="row">
        <form @submit=${this.#saveDestination}>
          <label class="field"
            >${strings.country}
            <select name="country">
              ${countries.map((code) => html`<option value=${code} ?selected=${code === current}>${countryName(code, locale)}</option>`)}
            </select>
          </label>
          <label class="field"
            >${strings.postalCode}
            <input type="text" name="postalCode" .value=${destination?.postalCode ?? ''} autocomplete="postal-code" size="8" maxlength="16" />
          </label>
          <button type="submit">${strings.apply}</button>
          <button type="button" class="secondary" @click=${() => (this._editing = false)}>${strings.cancel}</button>
        </form>
      </div>`;
    }
    const where = destination?.postalCode
      ? fill(strings.deliverTo, { code: destination.postalCode })
      : fill(strings.deliverToCountry, { country: destination ? countryName(destination.country, locale) : '—' });
    return html`<p part="postal-code" class="row muted">
      ${where} ·
      <button class="link" type="button" aria-label="${strings.change}: ${where}" @click=${this.#edit}>${strings.change}</button>
    </p>`;
  }

  #edit = async () => {
    this._editing = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('input[name="postalCode"]')?.focus();
  };
}
