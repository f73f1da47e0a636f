/**
 * The element's class: attributes and state, which promise to ask for, and the product and cart templates. The
 * request URL, the fetch, the countdown, the language and the destination form are the modules it imports.
 */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { DeliveryOption, DeliveryPromise } from '../../../shared/src/promise.ts';
import { CountdownController } from '../controllers/countdown-controller.ts';
import { FetchStatus, PromiseController } from '../controllers/promise-controller.ts';
import { DpErrorEvent, DpPromiseEvent, DpSelectEvent } from '../events.ts';
import { fill, LocalizeController } from '../localize/localize-controller.ts';
import type { Strings } from '../localize/string-table.ts';
import { styles } from './delivery-promise.styles.ts';
import { DestinationController } from './destination-form.ts';
import { optionList } from './option-list.ts';
import { promiseUrl } from './promise-url.ts';

/** Where the bundle was loaded from: the API serves it, so it is the default `api`. */
const SCRIPT_ORIGIN = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return undefined;
  }
})();

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
    _selected: { state: true },
    _showAll: { state: true },
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
  declare _selected: string | null;
  declare _showAll: boolean;

  /** How long to wait for the API before showing the fallback and firing dp-error (ms). */
  timeoutMs = 8000;

  readonly #localize = new LocalizeController(this);
  readonly #destination = new DestinationController(this, this.#localize);
  readonly #promise = new PromiseController(this, {
    timeoutMs: () => this.timeoutMs,
    onSettled: () => this.#announce(),
  });
  readonly #countdown = new CountdownController(this, {
    cutoff: () => this.#cutoffAt(),
    onCutoff: () => this.#promise.request(this.#url(), { force: true }), // the dates have moved
  });
  #reportedRenderError = false;

  constructor() {
    super();
    this.mode = 'product';
    this.quantity = 1;
    this._selected = null;
    this._showAll = false;
  }

  /** The last promise shown, or null. */
  get promise(): DeliveryPromise | null {
    return this.#promise.value;
  }

  /** Cart mode: the option the shopper chose (the first one until they choose). */
  get selectedOptionId(): string | null {
    return this._selected ?? this.#promise.value?.options[0]?.id ?? null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The page setting a destination attribute again takes over from the shopper's earlier choice.
    if (this.hasUpdated && (changed.has('country') || changed.has('postalCode'))) this.#destination.shopper = null;
    this.#promise.request(this.#url());
  }

  #url(): string | null {
    return promiseUrl(this, this.#destination.current, this.#localize.locale, SCRIPT_ORIGIN);
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
      this.#countdown.syncWith(value.generatedAt);
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

  protected override render(): TemplateResult {
    if (!this.#localize.ready) {
      // The language's table is still loading: keep the space the promise will take.
      return html`<p part="headline" class="row" aria-live="polite" aria-busy="true"><span class="skeleton"></span></p>
        <p part="countdown" class="row"></p>
        ${
          this.mode === 'cart'
            ? html`<fieldset part="options" aria-hidden="true">
                <legend>&nbsp;</legend>
                <div class="option-list"></div>
              </fieldset>
              <p class="row"></p>`
            : nothing
        }
        <p part="postal-code" class="row"></p>`;
    }
    const { strings } = this.#localize;
    let body: TemplateResult;
    try {
      const options = this.mode === 'cart' ? this.#options() : nothing;
      body = html`${this.#headline(strings)}${this.#countdownRow(strings)}${options}`;
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
    return html`${body}${this.#destination.render()}`;
  }

  /** The headline's sentence, or a skeleton while loading. */
  #headline(strings: Strings): TemplateResult {
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
      ${this.#localize.delivery(earliest, latest, this.#countdown.now)}
    </p>`;
  }

  #note(strings: Strings): string | typeof nothing {
    const value = this.#promise.value;
    if (!value || this.#promise.status !== FetchStatus.ready) return nothing;
    if (value.status === 'partial') return strings.partial;
    const from = value.items.find((item) => item.availableFrom)?.availableFrom;
    return from ? fill(strings.fromDate, { date: this.#localize.day(from) }) : nothing;
  }

  #countdownRow(strings: Strings): TemplateResult {
    const cutoff = this.#promise.status === FetchStatus.ready ? this.#cutoffAt() : null;
    const left = cutoff === null ? 0 : cutoff - this.#countdown.now;
    // Not a live region: announcing every minute would drown the page.
    return html`<p part="countdown" class="row">
      ${left > 0 ? fill(strings.orderWithin, { time: this.#localize.countdown(left) }) : this.#note(strings)}
    </p>`;
  }

  /** Cart mode: the options to choose from, or placeholders while the promise loads. */
  #options(): TemplateResult {
    const { status, value } = this.#promise;
    const options = status === FetchStatus.loading || status === FetchStatus.idle ? null : (value?.options ?? []);
    const select = (optionId: string) => this.#select(optionId);
    const showAll = () => (this._showAll = true);
    return optionList(options, this.#shownOption()?.id, this._showAll, this.#localize, select, showAll);
  }
}
