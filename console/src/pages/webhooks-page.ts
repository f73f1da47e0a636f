/**
 * Webhook endpoints: each with its state and recent attempts (status, duration, the answer's excerpt); operators
 * replay a message, rotate the secret (shown once) and re-enable a disabled endpoint.
 */
import { html } from 'lit';
import type { WebhookAttempt, WebhookEndpointView } from '../../../shared/src/pipeline.ts';
import { api, failureOf } from '../api.ts';
import { formatInstant, t } from '../i18n.ts';
import { ConsoleElement, type ConsoleSession } from '../session.ts';

export class WebhooksPage extends ConsoleElement {
  static override properties = {
    session: { attribute: false },
    _endpoints: { state: true },
    _attempts: { state: true },
    _message: { state: true },
  };
  declare session: ConsoleSession;
  declare _endpoints: WebhookEndpointView[] | null;
  declare _attempts: Record<string, WebhookAttempt[]>;
  declare _message: string;

  constructor() {
    super();
    this._endpoints = null;
    this._attempts = {};
    this._message = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.#load();
  }

  async #load() {
    try {
      const endpoints = (await api.get<{ data: WebhookEndpointView[] }>('/v1/webhook-endpoints')).data;
      const attempts: Record<string, WebhookAttempt[]> = {};
      for (const endpoint of endpoints) {
        attempts[endpoint.id] = (
          await api.get<{ data: WebhookAttempt[] }>(
            `/v1/webhook-endpoints/${encodeURIComponent(endpoint.id)}/attempts?limit=20`,
          )
        ).data;
      }
      this._attempts = attempts;
      this._endpoints = endpoints;
    } catch (error) {
      this.#failed(error);
    }
  }

  #failed(error: unknown) {
    this._message = t('common.error', { message: failureOf(error) });
  }

  async #act(path: string, after: (answer: WebhookEndpointView) => string = () => t('common.done')) {
    try {
      const answer = await api.send<WebhookEndpointView>('POST', path, {});
      this._message = after(answer);
      await this.#load();
    } catch (error) {
      this.#failed(error);
    }
  }

  #endpoint(endpoint: WebhookEndpointView, operator: boolean) {
    const base = `/v1/webhook-endpoints/${encodeURIComponent(endpoint.id)}`;
    const attempts = this._attempts[endpoint.id] ?? [];
    return html`<section class="card" aria-labelledby="we-${endpoint.id}">
      <h2 id="we-${endpoint.id}">${endpoint.url}</h2>
      <p>
        <span class="status status-${endpoint.state}">${endpoint.state}</span>
        ${endpoint.disabledReason ? html` · ${endpoint.disabledReason}` : null} · ${t('webhooks.events')}:
        ${endpoint.events.join(', ')}
      </p>
      <p class="actions">
        <button type="button" ?disabled=${!operator}
          @click=${() => this.#act(`${base}/rotate-secret`, (a) => t('webhooks.newSecret', { secret: a.secret ?? '' }))}>
          ${t('webhooks.rotate')}
        </button>
        ${
          endpoint.state === 'disabled'
            ? html`<button type="button" ?disabled=${!operator} @click=${() => this.#act(`${base}/enable`)}>${t('webhooks.enable')}</button>`
            : null
        }
      </p>
      <table>
        <caption>${t('webhooks.attempts')}</caption>
        <thead>
          <tr>
            <th scope="col">${t('exceptions.opened')}</th>
            <th scope="col">${t('webhooks.events')}</th>
            <th scope="col">${t('webhooks.status')}</th>
            <th scope="col" class="number">${t('webhooks.duration')}</th>
            <th scope="col">${t('webhooks.excerpt')}</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${attempts.map(
            (a) => html`<tr>
              <td>${formatInstant(a.at)}</td>
              <td>${a.eventType} #${a.attempt}</td>
              <td class=${a.status !== null && a.status < 300 ? 'on-time' : 'late'}>${a.status ?? a.outcome.replaceAll('_', ' ')}</td>
              <td class="number">${a.durationMs} ms</td>
              <td><code>${(a.excerpt ?? a.error ?? '').slice(0, 120)}</code></td>
              <td>
                <button type="button" ?disabled=${!operator}
                  @click=${() => this.#act(`${base}/messages/${encodeURIComponent(a.messageId)}/replay`)}>
                  ${t('webhooks.replay')}
                </button>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  }

  override render() {
    const operator = this.session.role === 'operator';
    return html`<h1>${t('nav.webhooks')}</h1>
      <p role="status" class="message">${this._message}</p>
      ${
        this._endpoints === null
          ? html`<p role="status">${t('common.loading')}</p>`
          : this._endpoints.length === 0
            ? html`<p>${t('common.none')}</p>`
            : this._endpoints.map((e) => this.#endpoint(e, operator))
      }
      ${operator ? null : html`<p class="hint">${t('common.viewerOnly')}</p>`}`;
  }
}
customElements.define('pc-webhooks', WebhooksPage);
