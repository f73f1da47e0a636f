/** The element's events: namespaced, bubbling and composed, so a page can listen on any ancestor. */
import type { DeliveryPromise } from '../../shared/src/promise.ts';

const init = { bubbles: true, composed: true } as const;

/** A promise arrived (detail: the whole answer of GET /v1/promise). */
export class DpPromiseEvent extends CustomEvent<DeliveryPromise> {
  constructor(detail: DeliveryPromise) {
    super('dp-promise', { ...init, detail });
  }
}

/** The shopper chose a delivery option in cart mode. */
export class DpSelectEvent extends CustomEvent<{ promiseId: string; optionId: string }> {
  constructor(detail: { promiseId: string; optionId: string }) {
    super('dp-select', { ...init, detail });
  }
}

/** The promise could not be shown: the API failed, timed out or refused the request. */
export class DpErrorEvent extends CustomEvent<{ code: string; message: string }> {
  constructor(detail: { code: string; message: string }) {
    super('dp-error', { ...init, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    'dp-promise': DpPromiseEvent;
    'dp-select': DpSelectEvent;
    'dp-error': DpErrorEvent;
  }
}
