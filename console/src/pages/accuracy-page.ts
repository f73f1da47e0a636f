/**
 * Promise accuracy (GET /v1/analytics/promise-accuracy): the on-time rate and the promised range's width week by
 * week, one line per service or per warehouse, and the transit days of each lane (P50, P95).
 */
import { html } from 'lit';
import type { AccuracyGroup, PromiseAccuracy } from '../../../shared/src/analytics.ts';
import { api, failureOf } from '../api.ts';
import '../chart.ts';
import { formatPercent, t } from '../i18n.ts';
import { ConsoleElement, type ConsoleSession } from '../session.ts';

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export class AccuracyPage extends ConsoleElement {
  static override properties = {
    session: { attribute: false },
    _by: { state: true },
    _from: { state: true },
    _to: { state: true },
    _weeks: { state: true },
    _lines: { state: true },
    _lanes: { state: true },
    _message: { state: true },
  };
  declare session: ConsoleSession;
  declare _by: 'service' | 'warehouse';
  declare _from: string;
  declare _to: string;
  declare _weeks: string[];
  declare _lines: { label: string; groups: Map<string, AccuracyGroup> }[];
  declare _lanes: AccuracyGroup[];
  declare _message: string;

  constructor() {
    super();
    this._by = 'service';
    this._to = isoDate(Date.now());
    this._from = isoDate(Date.now() - 90 * DAY);
    this._weeks = [];
    this._lines = [];
    this._lanes = [];
    this._message = t('common.loading');
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.#load();
  }

  async #load() {
    const period = `from=${this._from}&to=${this._to}`;
    const base = '/v1/analytics/promise-accuracy';
    try {
      const choices = this._by === 'service' ? this.session.services : this.session.warehouses;
      const lines = await Promise.all(
        choices.map(async (choice) => {
          const answer = await api.get<PromiseAccuracy>(
            `${base}?${period}&groupBy=week&${this._by}=${encodeURIComponent(choice.id)}`,
          );
          return { label: choice.name, groups: new Map(answer.groups.map((g) => [g.key, g])) };
        }),
      );
      const shown = lines.filter((line) => line.groups.size > 0);
      this._weeks = [...new Set(shown.flatMap((line) => [...line.groups.keys()]))].sort();
      this._lines = shown;
      this._lanes = (await api.get<PromiseAccuracy>(`${base}?${period}&groupBy=lane`)).groups;
      this._message = shown.length === 0 ? t('common.none') : '';
    } catch (error) {
      this._message = t('common.error', { message: failureOf(error) });
    }
  }

  #change(event: Event) {
    const form = new FormData((event.target as HTMLElement).closest('form') as HTMLFormElement);
    this._by = form.get('by') === 'warehouse' ? 'warehouse' : 'service';
    this._from = String(form.get('from') || this._from);
    this._to = String(form.get('to') || this._to);
    void this.#load();
  }

  override render() {
    const series = (value: (g: AccuracyGroup | undefined) => number | null) =>
      this._lines.map((line) => ({ label: line.label, values: this._weeks.map((w) => value(line.groups.get(w))) }));
    return html`<h1>${t('nav.accuracy')}</h1>
      <form class="filters" @change=${this.#change} @submit=${(e: Event) => e.preventDefault()}>
        <label>${t('accuracy.from')} <input type="date" name="from" .value=${this._from} /></label>
        <label>${t('accuracy.to')} <input type="date" name="to" .value=${this._to} /></label>
        <label>${t('accuracy.by')}
          <select name="by">
            <option value="service" ?selected=${this._by === 'service'}>${t('accuracy.service')}</option>
            <option value="warehouse" ?selected=${this._by === 'warehouse'}>${t('accuracy.warehouse')}</option>
          </select>
        </label>
      </form>
      <p role="status" class="message">${this._message}</p>
      ${
        this._lines.length
          ? html`<pc-chart
                .caption=${t('accuracy.onTimeRate')}
                .labels=${this._weeks}
                .series=${series((g) => g?.onTimeRate ?? null)}
                .format=${formatPercent}
                .range=${[0, 1]}
              ></pc-chart>
              <pc-chart
                .caption=${t('accuracy.rangeWidth')}
                .labels=${this._weeks}
                .series=${series((g) => g?.meanRangeDays ?? null)}
                .format=${(v: number | null) => (v === null ? '—' : v.toFixed(1))}
              ></pc-chart>`
          : null
      }
      <section class="card" aria-labelledby="lanes-title">
        <h2 id="lanes-title">${t('accuracy.lanes')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">${t('accuracy.lane')}</th>
              <th scope="col" class="number">${t('accuracy.delivered')}</th>
              <th scope="col" class="number">${t('accuracy.rate')}</th>
              <th scope="col" class="number">P50</th>
              <th scope="col" class="number">P95</th>
              <th scope="col" class="number">${t('accuracy.width')}</th>
            </tr>
          </thead>
          <tbody>
            ${this._lanes.map(
              (lane) => html`<tr>
                <th scope="row">${lane.key}</th>
                <td class="number">${lane.delivered}</td>
                <td class="number">${formatPercent(lane.onTimeRate)}</td>
                <td class="number">${lane.transitDays.p50 ?? '—'}</td>
                <td class="number">${lane.transitDays.p95 ?? '—'}</td>
                <td class="number">${lane.meanRangeDays?.toFixed(1) ?? '—'}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </section>`;
  }
}
customElements.define('pc-accuracy', AccuracyPage);
