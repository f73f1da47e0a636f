/**
 * `<promesse-console>`: the merchant console (CONTRACT §10). Signs in (or resumes the session), then shows one
 * page per section, chosen by the address's hash (`#/orders`, `#/orders/ord_…`, `#/exceptions`, …), so that
 * the browser's back button and links work. A 401 anywhere brings the sign-in back.
 */
import { html } from 'lit';
import { ApiError, api } from './api.ts';
import { type Locale, locale, setLocale, t } from './i18n.ts';
import './pages/accuracy-page.ts';
import './pages/exceptions-page.ts';
import './pages/order-detail.ts';
import './pages/orders-page.ts';
import './pages/simulator-page.ts';
import './pages/stock-page.ts';
import './pages/webhooks-page.ts';
import { ConsoleElement, type ConsoleSession } from './session.ts';
import './sign-in.ts';

const SECTIONS = ['orders', 'exceptions', 'stock', 'webhooks', 'accuracy', 'simulator'] as const;
type Section = (typeof SECTIONS)[number];

/** The section and its argument (an order id) the hash names; orders by default. */
function route(hash: string): { section: Section; id: string | null } {
  const [, section, id] = hash.replace(/^#/, '').split('/');
  const known = SECTIONS.find((s) => s === section) ?? 'orders';
  return { section: known, id: id ? decodeURIComponent(id) : null };
}

export class PromesseConsole extends ConsoleElement {
  static override properties = {
    _session: { state: true },
    _ready: { state: true },
    _notice: { state: true },
    _route: { state: true },
  };
  declare _session: ConsoleSession | null;
  declare _ready: boolean;
  declare _notice: string;
  declare _route: ReturnType<typeof route>;
  readonly #onHash = () => {
    this._route = route(location.hash);
  };

  constructor() {
    super();
    this._session = null;
    this._ready = false;
    this._notice = '';
    this._route = route(location.hash);
  }

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('hashchange', this.#onHash);
    api.onSignedOut = (message) => {
      this._session = null;
      this._notice = this._ready ? message || t('signIn.expired') : '';
    };
    api
      .get<ConsoleSession>('/console/api/session')
      .then((session) => this.#signedIn(session))
      .catch((error) => {
        if (!(error instanceof ApiError)) this._notice = String(error);
      })
      .finally(() => {
        this._ready = true;
      });
  }

  override disconnectedCallback() {
    window.removeEventListener('hashchange', this.#onHash);
    super.disconnectedCallback();
  }

  #signedIn(session: ConsoleSession) {
    api.csrfToken = session.csrfToken;
    this._session = session;
    this._notice = '';
  }

  async #signOut() {
    await api.send('POST', '/console/api/sign-out').catch(() => {});
    this._session = null;
  }

  #page(session: ConsoleSession) {
    const { section, id } = this._route;
    switch (section) {
      case 'orders':
        return id
          ? html`<pc-order-detail .session=${session} .orderId=${id}></pc-order-detail>`
          : html`<pc-orders .session=${session}></pc-orders>`;
      case 'exceptions':
        return html`<pc-exceptions .session=${session}></pc-exceptions>`;
      case 'stock':
        return html`<pc-stock .session=${session}></pc-stock>`;
      case 'webhooks':
        return html`<pc-webhooks .session=${session}></pc-webhooks>`;
      case 'accuracy':
        return html`<pc-accuracy .session=${session}></pc-accuracy>`;
      case 'simulator':
        return html`<pc-simulator .session=${session}></pc-simulator>`;
    }
  }

  override render() {
    if (!this._ready) return html`<p class="loading" role="status">${t('common.loading')}</p>`;
    const session = this._session;
    if (!session)
      return html`<pc-sign-in .notice=${this._notice} @signed-in=${(e: CustomEvent<ConsoleSession>) => this.#signedIn(e.detail)}></pc-sign-in>`;
    const { section } = this._route;
    return html`
      <a class="skip" href="#main" @click=${(event: Event) => {
        // The hash names pages: the link moves the focus without changing it.
        event.preventDefault();
        (this.querySelector('#main') as HTMLElement | null)?.focus();
      }}>${t('nav.skip')}</a>
      <header class="bar">
        <strong class="brand">${t('app.title')} · ${session.merchant.name}</strong>
        <span class="who">${session.email ?? session.merchant.id} (${t(`session.role.${session.role}`)})</span>
        <label class="lang">${t('session.language')}
          <select @change=${(e: Event) => {
            setLocale((e.target as HTMLSelectElement).value as Locale);
            this.requestUpdate();
            for (const page of this.querySelectorAll('main > *')) (page as ConsoleElement).requestUpdate();
          }}>
            <option value="en" ?selected=${locale() === 'en'}>English</option>
            <option value="fr" ?selected=${locale() === 'fr'}>Français</option>
          </select>
        </label>
        <button type="button" @click=${this.#signOut}>${t('session.signOut')}</button>
      </header>
      <nav aria-label=${t('nav.main')}>
        <ul>
          ${SECTIONS.map(
            (s) =>
              html`<li><a href="#/${s}" aria-current=${s === section ? 'page' : 'false'}>${t(`nav.${s}`)}</a></li>`,
          )}
        </ul>
      </nav>
      <main id="main" tabindex="-1">${this.#page(session)}</main>
    `;
  }
}
customElements.define('promesse-console', PromesseConsole);
