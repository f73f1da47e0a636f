/**
 * Cart mode's delivery options: a labelled radio group of name, price, dates, delivery type and tags, the first
 * few until the shopper asks for all, and placeholders of the same height while the promise loads. A template
 * rendered into the element's own shadow root, so `part="options"` and `part="option"` stay the element's.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { DeliveryOption } from '../../../shared/src/promise.ts';
import type { LocalizeController } from '../localize/localize-controller.ts';

/** Options shown before "show more"; the loading state reserves their height. */
const VISIBLE_OPTIONS = 3;

/**
 * `options`: null while the promise loads. `selected`: the option shown as chosen. `showAll`: every option, not
 * the first few. `onSelect`, `onShowAll`: the shopper chose an option, asked for all.
 */
export function optionList(
  options: DeliveryOption[] | null,
  selected: string | undefined,
  showAll: boolean,
  localize: LocalizeController,
  onSelect: (optionId: string) => void,
  onShowAll: () => void,
): TemplateResult {
  const { strings } = localize;
  const all = options ?? [];
  const shown = showAll ? all : all.slice(0, VISIBLE_OPTIONS);
  const rows = options
    ? shown.map(
        (option) => html`<label part="option">
            <input
              type="radio"
              name="option"
              .value=${option.id}
              .checked=${option.id === selected}
              @change=${() => onSelect(option.id)}
            />
            <span class="option-name">${option.name}</span>
            <span class="option-price">${localize.price(option.price.amount, option.price.currency)}</span>
            <span class="option-detail">
              ${localize.range(option.delivery.earliest, option.delivery.latest)} · ${strings[option.deliveryType]}
            </span>
            <span class="option-tags">${option.tags.map((tag) => html`<span class="tag">${strings[tag]}</span>`)}</span>
          </label>`,
      )
    : Array.from(
        { length: VISIBLE_OPTIONS },
        () => html`<div class="option-skeleton" aria-hidden="true"><span class="skeleton"></span></div>`,
      );
  const hidden = all.length - shown.length;
  return html`<fieldset part="options">
        <legend>${strings.options}</legend>
        <div class="option-list">${rows}</div>
      </fieldset>
      <p class="row">
        ${
          hidden > 0
            ? html`<button class="link" type="button" @click=${onShowAll}>
              ${localize.plural(strings.showMore, hidden)}
            </button>`
            : nothing
        }
      </p>`;
}
