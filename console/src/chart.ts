/**
 * `<pc-chart>`: a line chart drawn by uPlot (about 50 kB, canvas, no dependencies: it draws thousands of points
 * without the weight of Chart.js), with the same figures as a table beside it for screen readers and keyboards.
 */
import { html } from 'lit';
import uPlot from 'uplot';
import { t } from './i18n.ts';
import { ConsoleElement } from './session.ts';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

const COLOURS = ['#0b6e4f', '#0969da', '#bf3989', '#9a6700', '#57606a', '#cf222e'];

export class LineChart extends ConsoleElement {
  static override properties = {
    caption: { type: String },
    labels: { attribute: false },
    series: { attribute: false },
    format: { attribute: false },
    range: { attribute: false },
  };
  declare caption: string;
  declare labels: string[];
  declare series: ChartSeries[];
  declare format: (value: number | null) => string;
  /** the y scale's fixed range (a rate: [0, 1]); by default, the data's */
  declare range: [number, number] | null;
  #plot: uPlot | null = null;

  constructor() {
    super();
    this.caption = '';
    this.labels = [];
    this.series = [];
    this.format = (value) => (value === null ? '—' : String(value));
    this.range = null;
  }

  override disconnectedCallback() {
    this.#plot?.destroy();
    this.#plot = null;
    super.disconnectedCallback();
  }

  override updated() {
    const target = this.querySelector<HTMLElement>('.plot');
    if (!target) return;
    this.#plot?.destroy();
    const labels = this.labels;
    const options: uPlot.Options = {
      width: Math.max(280, Math.min(900, target.clientWidth || 640)),
      height: 240,
      scales: { x: { time: false }, ...(this.range ? { y: { range: this.range } } : {}) },
      axes: [
        // One tick per week, named by it.
        { splits: () => labels.map((_, i) => i), values: (_u, ticks) => ticks.map((tick) => labels[tick] ?? '') },
        { values: (_u, ticks) => ticks.map((tick) => this.format(tick)) },
      ],
      series: [
        {},
        ...this.series.map((s, i) => ({
          label: s.label,
          stroke: COLOURS[i % COLOURS.length],
          width: 2,
          spanGaps: true,
        })),
      ],
    };
    const data: uPlot.AlignedData = [labels.map((_, i) => i), ...this.series.map((s) => s.values)];
    this.#plot = new uPlot(options, data, target);
    // The canvas says what it shows; the table below holds the figures.
    const canvas = target.querySelector('canvas');
    canvas?.setAttribute('role', 'img');
    canvas?.setAttribute('aria-label', this.caption);
  }

  override render() {
    return html`<figure class="chart">
      <figcaption>${this.caption}</figcaption>
      <div class="plot"></div>
      <details>
        <summary>${t('common.asTable')}</summary>
        <table>
          <caption class="visually-hidden">${this.caption}</caption>
          <thead>
            <tr>
              <th scope="col">${t('accuracy.week')}</th>
              ${this.series.map((s) => html`<th scope="col" class="number">${s.label}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${this.labels.map(
              (label, i) => html`<tr>
                <th scope="row">${label}</th>
                ${this.series.map((s) => html`<td class="number">${this.format(s.values[i] ?? null)}</td>`)}
              </tr>`,
            )}
          </tbody>
        </table>
      </details>
    </figure>`;
  }
}
customElements.define('pc-chart', LineChart);
