/** Delivery history (CONTRACT §6): the delivered parcels that promises learn their transit from. */
import type { TransitObservation } from '../../promise/transit.ts';

export type TransitSource = 'import' | 'tracking';

/** An observation as kept: in the order the store received it, so that readers can follow it by id. */
export interface StoredObservation extends TransitObservation {
  id: number;
  source: TransitSource;
}

export interface TransitHistoryStore {
  /**
   * Keeps observations, each once: the same service, warehouse, country, postal code, dispatch and delivery
   * again (a re-import, a replayed delivery event) is not counted twice. Returns how many were new.
   */
  addTransitObservations(
    merchantId: string,
    observations: readonly TransitObservation[],
    source: TransitSource,
  ): Promise<number>;
  /** The merchant's observations kept after `afterId`, in id order, at most `limit`. */
  transitObservationsAfter(merchantId: string, afterId: number, limit: number): Promise<StoredObservation[]>;
}
