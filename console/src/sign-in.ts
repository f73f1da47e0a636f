/** The sign-in form: a secret key ("Secret key"), or an e-mail and password of the merchant config's users. */
import { html } from 'lit';
import { api, failureOf } from './api.ts';
import { t } from './i18n.ts';
import { ConsoleElement, type ConsoleSession } from './session.ts';

export class SignInForm extends ConsoleElement {
  static override properties = { notice: { type: String }, _error: { state: true }, _mode: { state: true } };
  declare notice: string;
  declare _error: string;
  declare _mode: 'key' | 'user';

  constructor() {
    super();
    this.notice = '';
    this._error = '';
    this._mode = 'key';
  }

  async #submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const body =
      this._mode === 'key'
        ? { secretKey: String(form.get('secretKey') ?? '') }
        : { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') };
    try {
      const session = await api.send<ConsoleSession>('POST', '/console/api/sign-in', body);
      this.dispatchEvent(new CustomEvent('signed-in', { detail: session, bubbles: true }));
    } catch (error) {
      this._error = failureOf(error);
    }
  }

  override render() {
    return html`<main class="sign-in">
      <h1>${t('signIn.title')}</h1>
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : null}
      <div role="group" aria-label=${t('signIn.title')} class="toggle">
        <button type="button" aria-pressed=${this._mode === 'key'} @click=${() => (this._mode = 'key')}>
          ${t('signIn.withKey')}
        </button>
        <button type="button" aria-pressed=${this._mode === 'user'} @click=${() => (this._mode = 'user')}>
          ${t('signIn.withUser')}
        </button>
      </div>
      <form @submit=${this.#submit}>
        ${
          this._mode === 'key'
            ? html`<label>${t('signIn.secretKey')}
                <input name="secretKey" type="password" autocomplete="off" required spellcheck="false" />
              </label>`
            : html`<label>${t('signIn.email')} <input name="email" type="email" autocomplete="username" required /></label>
                <label>${t('signIn.password')}
                  <input name="password" type="password" autocomplete="current-password" required />
                </label>`
        }
        <button type="submit" class="primary">${t('signIn.submit')}</button>
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : null}
      </form>
    </main>`;
  }
}
customElements.define('pc-sign-in', SignInForm);
