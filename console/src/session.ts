/** The console session as the API answers it (GET /console/api/session), and the console's element base. */
import { LitElement } from 'lit';

export interface ConsoleSession {
  merchant: { id: string; name: string; currency: string };
  role: 'viewer' | 'operator';
  email: string | null;
  csrfToken: string;
  sessionMinutes: number;
  publishableKey: string | null;
  warehouses: { id: string; name: string }[];
  services: { id: string; name: string }[];
  skus: { sku: string; name: string }[];
}

/** The light-DOM base of every console element: the page's own stylesheet applies, axe and tests see one tree. */
export class ConsoleElement extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }
}
