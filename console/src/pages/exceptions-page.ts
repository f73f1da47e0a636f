/** The exception queue: filtered by state and reason, each with its next action; operators acknowledge and resolve. */
import { html } from 'lit';
import { EXCEPTION_REASONS, EXCEPTION_STATES, type ShipmentException } from '../../../shared/src/pipeline.ts';
import { api, failureOf } from '../api.ts';
import { formatInstant, t } from '../i18n.ts';
import { ConsoleElement, type ConsoleSession } from '../session.ts';

export class ExceptionsPage extends ConsoleElement {
  static override properties = {
    session: { attribute: false },
    _items: { state: true },
    _state: { state: true },
    _reason: { state: true },
    _message: { state: true },
  };
  declare session: ConsoleSession;
  declare _items: ShipmentException[] | null;
  declare _state: string;
  declare _reason: string;
  declare _message: string;

  constructor() {
    super();
    this._items = null;
    this._state = 'open';
    this._reason = '';
    this._message = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.#load();
  }

  async #load() {
    // The API lists one state at a time (open by default): "all" asks for each.
    const states = this._state ? [this._state] : [...EXCEPTION_STATES];
    try {
      const lists = await Promise.all(
        states.map(
          async (state) =>
            (await api.get<{ data: ShipmentException[] }>(`/v1/exceptions?state=${state}&limit=500`)).data,
        ),
      );
      this._items = lists.flat().sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    } catch (error) {
      this._message = t('common.error', { message: failureOf(error) });
    }
  }

  async #act(item: ShipmentException, action: 'acknowledge' | 'resolve') {
    try {
      await api.send('POST', `/v1/exceptions/${encodeURIComponent(item.id)}/${action}`, {});
      this._message = t('common.done');
      await this.#load();
    } catch (error) {
      this._message = t('common.error', { message: failureOf(error) });
    }
  }

  override render() {
    const operator = this.session.role === 'operator';
    const shown = (this._items ?? []).filter((i) => !this._reason || i.reason === this._reason);
    return html`<h1>${t('nav.exceptions')}</h1>
      <form class="filters" @submit=${(e: Event) => e.preventDefault()}>
        <label>${t('exceptions.state')}
          <select @change=${(e: Event) => {
            this._state = (e.target as HTMLSelectElement).value;
            void this.#load();
          }}>
            <option value="">${t('common.all')}</option>
            ${EXCEPTION_STATES.map((s) => html`<option value=${s} ?selected=${s === this._state}>${s}</option>`)}
          </select>
        </label>
        <label>${t('exceptions.reason')}
          <select @change=${(e: Event) => (this._reason = (e.target as HTMLSelectElement).value)}>
            <option value="">${t('common.all')}</option>
            ${EXCEPTION_REASONS.map((r) => html`<option value=${r}>${r.replaceAll('_', ' ')}</option>`)}
          </select>
        </label>
      </form>
      <p role="status" class="message">${this._message}</p>
      ${
        this._items === null
          ? html`<p role="status">${t('common.loading')}</p>`
          : shown.length === 0
            ? html`<p>${t('common.none')}</p>`
            : html`<table>
                <caption class="visually-hidden">${t('nav.exceptions')}</caption>
                <thead>
                  <tr>
                    <th scope="col">${t('exceptions.reason')}</th>
                    <th scope="col">${t('exceptions.next')}</th>
                    <th scope="col">${t('exceptions.order')}</th>
                    <th scope="col">${t('exceptions.state')}</th>
                    <th scope="col">${t('exceptions.opened')}</th>
                    <th scope="col"><span class="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${shown.map(
                    (item) => html`<tr data-exception=${item.id}>
                      <td><strong>${item.reason.replaceAll('_', ' ')}</strong>${item.detail ? html`<br /><small>${item.detail}</small>` : null}</td>
                      <td>${item.nextAction}</td>
                      <td>${
                        item.kind === 'channel'
                          ? item.orderId
                          : html`<a href="#/orders/${encodeURIComponent(item.orderId)}">${item.orderId}</a>`
                      }</td>
                      <td>${item.state}</td>
                      <td>${formatInstant(item.createdAt)}</td>
                      <td class="actions">
                        ${
                          item.state === 'open'
                            ? html`<button type="button" ?disabled=${!operator} @click=${() => this.#act(item, 'acknowledge')}>${t('exceptions.acknowledge')}</button>`
                            : null
                        }
                        ${
                          item.state !== 'resolved'
                            ? html`<button type="button" ?disabled=${!operator} @click=${() => this.#act(item, 'resolve')}>${t('exceptions.resolve')}</button>`
                            : null
                        }
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>`
      }
      ${operator ? null : html`<p class="hint">${t('common.viewerOnly')}</p>`}`;
  }
}
customElements.define('pc-exceptions', ExceptionsPage);
