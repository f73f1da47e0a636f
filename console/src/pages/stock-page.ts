/**
 * Stock: every stocked sku's level per warehouse (on hand, reserved, safety, available, incoming), a sku's
 * ledger, and the bulk import with its progress and per-line errors, read from the import's JSON-lines answer as
 * it streams.
 */
import { html } from 'lit';
import type { Static } from 'typebox';
import type { InventoryImportLine, SkuInventory, StockMovement } from '../../../shared/src/inventory.ts';
import { api, failureOf } from '../api.ts';
import { formatInstant, t } from '../i18n.ts';
import { ConsoleElement, type ConsoleSession } from '../session.ts';

type ImportLine = Static<typeof InventoryImportLine>;

export class StockPage extends ConsoleElement {
  static override properties = {
    session: { attribute: false },
    _levels: { state: true },
    _ledger: { state: true },
    _progress: { state: true },
    _errors: { state: true },
    _summary: { state: true },
    _message: { state: true },
  };
  declare session: ConsoleSession;
  declare _levels: SkuInventory[] | null;
  declare _ledger: { sku: string; movements: Omit<StockMovement, 'sku'>[] } | null;
  declare _progress: { processed: number; total: number } | null;
  declare _errors: Extract<ImportLine, { type: 'error' }>[];
  declare _summary: string;
  declare _message: string;

  constructor() {
    super();
    this._levels = null;
    this._ledger = null;
    this._progress = null;
    this._errors = [];
    this._summary = '';
    this._message = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.#load();
  }

  async #load() {
    try {
      this._levels = (await api.get<{ data: SkuInventory[] }>('/v1/inventory')).data;
    } catch (error) {
      this._message = t('common.error', { message: failureOf(error) });
    }
  }

  async #showLedger(sku: string) {
    const ledger = await api.get<{ movements: Omit<StockMovement, 'sku'>[] }>(
      `/v1/inventory/${encodeURIComponent(sku)}/movements?limit=50`,
    );
    this._ledger = { sku, movements: ledger.movements };
  }

  async #import(event: SubmitEvent) {
    event.preventDefault();
    const file = (new FormData(event.target as HTMLFormElement).get('file') as File | null) ?? null;
    if (!file || file.size === 0) return;
    const text = await file.text();
    const total = Math.max(1, text.trim().split('\n').length - 1);
    this._progress = { processed: 0, total };
    this._errors = [];
    this._summary = '';
    try {
      const response = await api.fetch('/v1/inventory/import', {
        method: 'POST',
        headers: { 'content-type': file.name.endsWith('.jsonl') ? 'application/x-ndjson' : 'text/csv' },
        body: text,
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let pending = '';
      for (;;) {
        const { value, done } = await reader.read();
        pending += value ? decoder.decode(value, { stream: true }) : '';
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines.filter(Boolean)) this.#read(JSON.parse(line) as ImportLine, total);
        if (done) break;
      }
      if (pending.trim()) this.#read(JSON.parse(pending) as ImportLine, total);
      await this.#load();
    } catch (error) {
      this._message = t('common.error', { message: failureOf(error) });
    }
  }

  #read(line: ImportLine, total: number) {
    if (line.type === 'error') this._errors = [...this._errors, line];
    else this._progress = { processed: line.processed, total: Math.max(total, line.processed) };
    if (line.type === 'summary')
      this._summary = `${t('stock.importSummary', { applied: line.applied, failed: line.failed, processed: line.processed })}${line.message ? ` — ${line.message}` : ''}`;
  }

  override render() {
    const operator = this.session.role === 'operator';
    const names = new Map(this.session.warehouses.map((w) => [w.id, w.name]));
    return html`<h1>${t('nav.stock')}</h1>
      <p role="status" class="message">${this._message}</p>
      ${
        this._levels === null
          ? html`<p role="status">${t('common.loading')}</p>`
          : html`<table>
              <caption class="visually-hidden">${t('nav.stock')}</caption>
              <thead>
                <tr>
                  <th scope="col">${t('stock.sku')}</th>
                  <th scope="col">${t('stock.warehouse')}</th>
                  <th scope="col" class="number">${t('stock.onHand')}</th>
                  <th scope="col" class="number">${t('stock.reserved')}</th>
                  <th scope="col" class="number">${t('stock.safety')}</th>
                  <th scope="col" class="number">${t('stock.available')}</th>
                  <th scope="col">${t('stock.incoming')}</th>
                </tr>
              </thead>
              <tbody>
                ${this._levels.flatMap((item) =>
                  item.warehouses.map(
                    (level, i) => html`<tr>
                      ${
                        i === 0
                          ? html`<th scope="rowgroup" rowspan=${item.warehouses.length}>
                              <button type="button" class="link" @click=${() => this.#showLedger(item.sku)}>
                                ${t('stock.showLedger', { sku: item.sku })}
                              </button>
                            </th>`
                          : null
                      }
                      <td>${names.get(level.warehouse) ?? level.warehouse}</td>
                      <td class="number">${level.onHand}</td>
                      <td class="number">${level.reserved}</td>
                      <td class="number">${level.safetyStock}</td>
                      <td class="number ${level.available <= 0 ? 'late' : ''}">${level.available}</td>
                      <td>${level.incoming.map((inc) => `${inc.quantity} (${inc.expectedAt})`).join(', ')}</td>
                    </tr>`,
                  ),
                )}
              </tbody>
            </table>`
      }
      ${
        this._ledger
          ? html`<section class="card" aria-labelledby="ledger-title">
              <h2 id="ledger-title">${t('stock.ledger', { sku: this._ledger.sku })}</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">${t('exceptions.opened')}</th>
                    <th scope="col">${t('stock.warehouse')}</th>
                    <th scope="col">${t('stock.reason')}</th>
                    <th scope="col" class="number">${t('stock.onHand')}</th>
                    <th scope="col" class="number">${t('stock.reserved')}</th>
                    <th scope="col">${t('exceptions.order')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${this._ledger.movements.map(
                    (m) => html`<tr>
                      <td>${formatInstant(m.at)}</td>
                      <td>${m.warehouse}</td>
                      <td>${m.reason}${m.note ? html` <small>${m.note}</small>` : null}</td>
                      <td class="number">${m.onHandDelta > 0 ? '+' : ''}${m.onHandDelta}</td>
                      <td class="number">${m.reservedDelta > 0 ? '+' : ''}${m.reservedDelta}</td>
                      <td>${m.orderId ? html`<a href="#/orders/${encodeURIComponent(m.orderId)}">${m.orderId}</a>` : '—'}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </section>`
          : null
      }
      <section class="card" aria-labelledby="import-title">
        <h2 id="import-title">${t('stock.import')}</h2>
        <form @submit=${this.#import}>
          <label>${t('stock.importFile')} <input type="file" name="file" accept=".csv,.jsonl,text/csv" ?disabled=${!operator} /></label>
          <button type="submit" class="primary" ?disabled=${!operator}>${t('stock.importStart')}</button>
        </form>
        ${
          this._progress
            ? html`<label>${t('stock.importProgress')}
                <progress max=${this._progress.total} value=${this._progress.processed}></progress>
              </label>`
            : null
        }
        <p role="status">${this._summary}</p>
        <ul class="errors">
          ${this._errors.map((e) => html`<li>${t('stock.line', { line: e.line ?? '—', code: e.code, message: e.message })}</li>`)}
        </ul>
        ${operator ? null : html`<p class="hint">${t('common.viewerOnly')}</p>`}
      </section>`;
  }
}
customElements.define('pc-stock', StockPage);
