/**
 * The delivery history promises learn from (CONTRACT §6): observations go to the store, and each merchant's
 * `TransitModel` (in its core caches) follows the store by id, so every process sharing a PostgreSQL store
 * learns every delivery, whichever process received it. A plain class the transit-history plugin wires.
 */

import type { Shipment } from '../../../shared/src/orders.ts';
import { deliveryOutcome } from '../history/accuracy.ts';
import type { MerchantRuntime } from '../merchants/registry.ts';
import { BusinessCalendar } from '../promise/calendar.ts';
import { observedTransit, type TransitObservation } from '../promise/transit.ts';
import type { TransitSource } from '../store/ports/transit-history.ts';
import type { Store } from '../store/store.ts';

/** Observations read from the store per round trip while catching up. */
const PAGE = 10_000;

export interface TransitHistoryOptions {
  /** counts a delivery against its promise (the on-time metric) */
  countDelivery?: (merchantId: string, service: string, outcome: 'early' | 'within' | 'late') => void;
  /** told when learning failed; the next refresh tries again */
  onError?: (error: unknown) => void;
}

export class TransitHistory {
  readonly #store: Store;
  readonly #options: TransitHistoryOptions;
  readonly #calendar = new BusinessCalendar();
  /** the last observation id each merchant's model has learned */
  readonly #learnedUpTo = new Map<string, number>();
  /** one catch-up at a time per merchant, so that no observation is learned twice */
  readonly #catchingUp = new Map<string, Promise<void>>();

  constructor(store: Store, options: TransitHistoryOptions = {}) {
    this.#store = store;
    this.#options = options;
  }

  /**
   * Parcels tracked to delivered: their observations are in the store already (the tracking change wrote them);
   * counts each against its promise and learns them, so that the next promise on the lane counts them.
   */
  async delivered(runtime: MerchantRuntime, shipments: readonly Shipment[]): Promise<void> {
    for (const shipment of shipments) {
      const outcome = deliveryOutcome(shipment, runtime.merchant);
      if (outcome) this.#options.countDelivery?.(runtime.merchant.id, shipment.service, outcome);
    }
    await this.catchUp(runtime).catch((error: unknown) => this.#options.onError?.(error));
  }

  /** Keeps observations (each once) and learns them before answering. Returns how many were new. */
  async add(runtime: MerchantRuntime, observations: readonly TransitObservation[], source: TransitSource) {
    const added = await this.#store.addTransitObservations(runtime.merchant.id, observations, source);
    await this.catchUp(runtime);
    return added;
  }

  /** Learns what the store holds beyond what this process has learned. */
  catchUp(runtime: MerchantRuntime): Promise<void> {
    const id = runtime.merchant.id;
    const running = this.#catchingUp.get(id);
    // A catch-up already under way may have read past the rows just written, or not: run once more after it.
    const next = (running ?? Promise.resolve()).catch(() => undefined).then(() => this.#readNew(runtime));
    const tracked = next.finally(() => {
      if (this.#catchingUp.get(id) === tracked) this.#catchingUp.delete(id);
    });
    this.#catchingUp.set(id, tracked);
    return tracked;
  }

  async #readNew(runtime: MerchantRuntime): Promise<void> {
    const { merchant, caches } = runtime;
    let after = this.#learnedUpTo.get(merchant.id) ?? 0;
    for (;;) {
      const page = await this.#store.transitObservationsAfter(merchant.id, after, PAGE);
      for (const observation of page) {
        const seen = observedTransit(observation, merchant, this.#calendar);
        // A service or warehouse the config no longer has: kept in the store, not learned.
        if (!('refused' in seen)) {
          caches.transit.add(observation, observation.postalCode, observation.deliveredAt, seen.transit, seen.dispatch);
        }
        after = observation.id;
      }
      this.#learnedUpTo.set(merchant.id, after);
      if (page.length < PAGE) return;
    }
  }
}
