/**
 * Defines <delivery-promise>, unless the page already has it (a second script tag, or another bundle).
 * This is the bundle's entry: `widget/dist/delivery-promise.js`.
 */
import { DeliveryPromiseElement } from './delivery-promise.component.ts';

export { DpErrorEvent, DpPromiseEvent, DpSelectEvent } from '../events.ts';
export { DeliveryPromiseElement };

if (!customElements.get('delivery-promise')) customElements.define('delivery-promise', DeliveryPromiseElement);

declare global {
  interface HTMLElementTagNameMap {
    'delivery-promise': DeliveryPromiseElement;
  }
}
