/** Orders: search by reference, or by status and creation dates; each row opens the order. */
import { html } from 'lit';
import { ORDER_STATUSES, type Order } from '../../../shared/src/orders.ts';
import { api, failureOf } from '../api.ts';
import { formatInstant, formatMoney, t } from '../i18n.ts';
import { ConsoleElement, type ConsoleSession } from '../session.ts';

/** Whether an order's promise broke: a shipment delivered after its latest date, or still on its way past it. */
export function isLate(order: Order, today: string): boolean {
  return order.shipments.some((s) => {
    if (s.status === 'cancelled') return false;
    const delivered = s.deliveredAt?.slice(0, 10);
    return delivered ? delivered > s.promisedDelivery.latest : today > s.promisedDelivery.latest;
  });
}

export class OrdersPage extends ConsoleElement {
  static override properties = { session: { attribute: false }, _orders: { state: true }, _error: { state: true } };
  declare session: ConsoleSession;
  declare _orders: Order[] | null;
  declare _error: string;

  constructor() {
    super();
    this._orders = null;
    this._error = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.#search(new URLSearchParams());
  }

  async #search(query: URLSearchParams) {
    try {
      this._error = '';
      this._orders = (await api.get<{ data: Order[] }>(`/v1/orders?${query}`)).data;
    } catch (error) {
      this._error = t('common.error', { message: failureOf(error) });
    }
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const query = new URLSearchParams();
    for (const name of ['reference', 'status', 'from', 'to']) {
      const value = String(form.get(name) ?? '').trim();
      if (value) query.set(name, value);
    }
    void this.#search(query);
  }

  override render() {
    const today = new Date().toISOString().slice(0, 10);
    return html`<h1>${t('nav.orders')}</h1>
      <form class="filters" role="search" @submit=${this.#submit}>
        <label>${t('orders.reference')} <input name="reference" type="search" /></label>
        <label>${t('orders.status')}
          <select name="status">
            <option value="">${t('common.all')}</option>
            ${ORDER_STATUSES.map((s) => html`<option value=${s}>${s.replaceAll('_', ' ')}</option>`)}
          </select>
        </label>
        <label>${t('orders.from')} <input name="from" type="date" /></label>
        <label>${t('orders.to')} <input name="to" type="date" /></label>
        <button type="submit" class="primary">${t('common.search')}</button>
      </form>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : null}
      ${
        this._orders === null
          ? html`<p role="status">${t('common.loading')}</p>`
          : this._orders.length === 0
            ? html`<p role="status">${t('common.none')}</p>`
            : html`<table>
                <caption class="visually-hidden">${t('nav.orders')}</caption>
                <thead>
                  <tr>
                    <th scope="col">${t('orders.reference')}</th>
                    <th scope="col">${t('orders.status')}</th>
                    <th scope="col">${t('orders.created')}</th>
                    <th scope="col">${t('orders.shipments')}</th>
                    <th scope="col">${t('orders.promise')}</th>
                    <th scope="col" class="number">${t('orders.total')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${this._orders.map(
                    (o) => html`<tr>
                      <td><a href="#/orders/${encodeURIComponent(o.id)}" aria-label=${t('orders.open', { reference: o.reference })}>${o.reference}</a></td>
                      <td><span class="status status-${o.status}">${o.status.replaceAll('_', ' ')}</span></td>
                      <td>${formatInstant(o.createdAt)}</td>
                      <td>${o.shipments.map((s) => s.status.replaceAll('_', ' ')).join(', ')}</td>
                      <td>${
                        isLate(o, today)
                          ? html`<strong class="late">${t('order.late')}</strong>`
                          : html`<span class="on-time">${t('order.onTime')}</span>`
                      }</td>
                      <td class="number">${formatMoney(o.totals.total, o.totals.currency)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>`
      }`;
  }
}
customElements.define('pc-orders', OrdersPage);
