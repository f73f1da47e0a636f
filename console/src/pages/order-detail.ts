/**
 * An order's journey: each shipment with its promised range against its delivery, its scans on a time line, its
 * label; the order's returns; cancel for operators.
 */
import { html } from 'lit';
import type { Order, Shipment } from '../../../shared/src/orders.ts';
import { api, failureOf } from '../api.ts';
import { formatInstant, formatMoney, t } from '../i18n.ts';
import { ConsoleElement, type ConsoleSession } from '../session.ts';

/** How a delivered shipment's promise held, by its delivery's calendar date (UTC) against the promised range. */
function outcome(shipment: Shipment): 'late' | 'onTime' | null {
  if (!shipment.deliveredAt) return null;
  return shipment.deliveredAt.slice(0, 10) > shipment.promisedDelivery.latest ? 'late' : 'onTime';
}

export class OrderDetail extends ConsoleElement {
  static override properties = {
    session: { attribute: false },
    orderId: { attribute: false },
    _order: { state: true },
    _error: { state: true },
    _notice: { state: true },
  };
  declare session: ConsoleSession;
  declare orderId: string;
  declare _order: Order | null;
  declare _error: string;
  declare _notice: string;

  constructor() {
    super();
    this._order = null;
    this._error = '';
    this._notice = '';
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('orderId')) void this.#load();
  }

  async #load() {
    try {
      this._order = await api.get<Order>(`/v1/orders/${encodeURIComponent(this.orderId)}`);
    } catch (error) {
      this._error = t('common.error', { message: failureOf(error) });
    }
  }

  async #label(shipment: Shipment) {
    const response = await api.fetch(`/v1/shipments/${encodeURIComponent(shipment.id)}/label`);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = `${shipment.trackingNumber ?? shipment.id}.pdf`;
    link.click();
  }

  async #cancel() {
    if (!window.confirm(t('order.confirmCancel'))) return;
    try {
      this._order = await api.send<Order>('POST', `/v1/orders/${encodeURIComponent(this.orderId)}/cancel`, {});
      this._notice = t('common.done');
    } catch (error) {
      this._error = t('common.error', { message: failureOf(error) });
    }
  }

  #shipment(order: Order, shipment: Shipment) {
    const scans = order.timeline.filter((entry) => entry.shipmentId === shipment.id);
    const held = outcome(shipment);
    return html`<section class="card" aria-labelledby="shp-${shipment.id}">
      <h2 id="shp-${shipment.id}">${shipment.carrier} · ${shipment.service} · ${shipment.warehouse}</h2>
      <p>
        <span class="status status-${shipment.status}">${shipment.status.replaceAll('_', ' ')}</span>
        ${t('order.promised', shipment.promisedDelivery)}
        ${
          shipment.deliveredAt
            ? html` · ${t('order.delivered', { date: formatInstant(shipment.deliveredAt) })}
                <strong class=${held === 'late' ? 'late' : 'on-time'}>${t(held === 'late' ? 'order.late' : 'order.onTime')}</strong>`
            : null
        }
      </p>
      <p>${shipment.items.map((i) => `${i.quantity} × ${i.sku}`).join(', ')}${shipment.trackingNumber ? ` · ${shipment.trackingNumber}` : ''}</p>
      ${
        shipment.trackingNumber
          ? html`<button type="button" @click=${() => this.#label(shipment)}>${t('order.label')}</button>`
          : null
      }
      <ol class="scans" aria-label=${t('order.timeline')}>
        ${scans.map((s) => html`<li><time datetime=${s.at}>${formatInstant(s.at)}</time> ${s.message}</li>`)}
      </ol>
    </section>`;
  }

  override render() {
    const order = this._order;
    if (!order)
      return html`${this._error ? html`<p class="error" role="alert">${this._error}</p>` : html`<p role="status">${t('common.loading')}</p>`}`;
    const operator = this.session.role === 'operator';
    const cancellable =
      order.status !== 'cancelled' &&
      order.shipments.every((s) => s.status === 'pending' || s.status === 'label_created' || s.status === 'cancelled');
    return html`<p><a href="#/orders">← ${t('order.back')}</a></p>
      <h1>${t('order.title', { reference: order.reference })}</h1>
      <p>
        <span class="status status-${order.status}">${order.status.replaceAll('_', ' ')}</span>
        · ${formatInstant(order.createdAt)} · ${formatMoney(order.totals.total, order.totals.currency)}
        · ${order.shippingAddress.postalCode} ${order.shippingAddress.city} ${order.shippingAddress.country}
      </p>
      ${
        cancellable
          ? html`<button type="button" class="danger" ?disabled=${!operator} title=${operator ? '' : t('common.viewerOnly')} @click=${this.#cancel}>
              ${t('order.cancel')}
            </button>`
          : null
      }
      ${this._notice ? html`<p role="status">${this._notice}</p>` : null}
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : null}
      ${order.shipments.map((s) => this.#shipment(order, s))}
      ${
        order.returns?.length
          ? html`<section class="card"><h2>${t('order.returns')}</h2>
              <ul>${order.returns.map((r) => html`<li>${r.id}: ${r.status} · ${r.items.map((i) => `${i.quantity} × ${i.sku}`).join(', ')}</li>`)}</ul>
            </section>`
          : null
      }
      <section class="card">
        <h2>${t('order.timeline')}</h2>
        <ol class="scans">
          ${order.timeline.map((e) => html`<li><time datetime=${e.at}>${formatInstant(e.at)}</time> ${e.message}</li>`)}
        </ol>
      </section>`;
  }
}
customElements.define('pc-order-detail', OrderDetail);
