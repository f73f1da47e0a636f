/**
 * Polling carriers for news. The store keeps a watch list: a shipment joins it when its label is created and
 * leaves it when it settles (delivered, cancelled, returned) or when its carrier has said nothing for
 * `giveUpMs` (the exception scan then closes the order as lost). Each round takes the shipments whose next
 * look is due, longest waiting first, asks their carrier adapter (`track`), and schedules the next look
 * `pollAfterMs` later (±20 %, so polls spread out instead of coming in waves). At most `perCarrier` parcels per
 * carrier per round (a rate limit the carriers' APIs need); the others wait a little and come first next time.
 * New events go through the same ingestion as pushed ones.
 */

import type { Shipment } from '../../../../shared/src/orders.ts';
import { SETTLED } from '../../booking/order-status.ts';
import type { MerchantRegistry } from '../../merchants/registry.ts';
import type { Store, WatchedShipment } from '../../store/store.ts';
import { adapterOf, type CarrierAdapters } from '../carriers/adapters.ts';
import { applyTrackingEvents } from './apply-event.ts';
import { parcelOf } from './parcels.ts';
import { readEvent } from './statuses.ts';

export interface PollerOptions {
  store: Store;
  merchants: MerchantRegistry;
  adapters: CarrierAdapters;
  clock: () => number;
  pollAfterMs: number;
  perCarrier: number;
  /** shipments looked at per round */
  batchSize?: number;
  /** a shipment whose carrier said nothing for this long is no longer polled */
  giveUpMs?: number;
  random?: () => number;
  onStockChange?: (merchantId: string, skus: string[]) => void;
  /** a parcel was delivered: its transit joined the merchant's delivery history */
  onDelivered?: (merchantId: string, shipments: Shipment[]) => Promise<void> | void;
  /** events kept with a code their carrier's table does not know, by table */
  onUnknownEvents?: (table: string, count: number) => void;
}

export class TrackingPoller {
  readonly #options: PollerOptions;

  constructor(options: PollerOptions) {
    this.#options = options;
  }

  /** One round; returns how many parcels were asked about and how many new events applied. */
  async runOnce(): Promise<{ polled: number; applied: number }> {
    const { store, clock, batchSize = 500 } = this.#options;
    const now = clock();
    const perCarrierCount = new Map<string, number>();
    let polled = 0;
    let applied = 0;
    for (const watched of await store.dueForTracking(now, batchSize)) {
      const outcome = await this.#look(watched, now, perCarrierCount);
      if (outcome === null) continue;
      polled++;
      applied += outcome;
    }
    return { polled, applied };
  }

  /** Polls one watched shipment (or drops it from the watch); the number of events applied, null if not polled. */
  async #look(watched: WatchedShipment, now: number, perCarrierCount: Map<string, number>): Promise<number | null> {
    const { store, merchants, adapters, pollAfterMs, perCarrier, giveUpMs = 30 * 86_400_000 } = this.#options;
    const random = this.#options.random ?? Math.random;
    const { merchantId, shipmentId } = watched;
    const order = await store.getOrder(merchantId, watched.orderId);
    const merchant = merchants.byId(merchantId)?.merchant;
    const parcel = order && merchant ? parcelOf(order, shipmentId, merchant) : null;
    const shipment = parcel?.shipment;
    // A return parcel is watched until it is received, whatever became of the order meanwhile.
    const closed = order?.status === 'closed' && !parcel?.isReturn;
    if (!order || !parcel || !shipment || SETTLED.has(shipment.status) || closed) {
      await store.rescheduleTracking(merchantId, shipmentId, null);
      return null;
    }
    const lastNews = shipment.lastEventAt ?? parcel.labelledAt;
    if (now - Date.parse(lastNews) >= giveUpMs) {
      await store.rescheduleTracking(merchantId, shipmentId, null); // lost: the exception scan closes the order
      return null;
    }
    const { adapter } = adapterOf(adapters, merchant, shipment.carrier);
    const carrier = merchant?.carriers.find((c) => c.id === shipment.carrier);
    if (!shipment.trackingNumber || !adapter || !merchant || !carrier) {
      // The order has not recorded its label yet (it is being saved), or its merchant or adapter is missing from
      // this process's config: look again later rather than forget the parcel.
      await store.rescheduleTracking(merchantId, shipmentId, now + pollAfterMs);
      return null;
    }
    const carrierKey = `${merchantId}|${shipment.carrier}`;
    if ((perCarrierCount.get(carrierKey) ?? 0) >= perCarrier) {
      // Over this round's budget for the carrier: soon again, still ahead of shipments polled this round.
      await store.rescheduleTracking(merchantId, shipmentId, now + Math.round(pollAfterMs * 0.1));
      return null;
    }
    perCarrierCount.set(carrierKey, (perCarrierCount.get(carrierKey) ?? 0) + 1);
    await store.rescheduleTracking(merchantId, shipmentId, now + Math.round(pollAfterMs * (0.8 + 0.4 * random())));
    const trackingNumber = shipment.trackingNumber;
    const events = await adapter.track({
      merchant,
      trackingNumber,
      shipment,
      labelledAt: parcel.labelledAt,
      now,
    });
    if (events.length === 0) return 0;
    const outcomes = await applyTrackingEvents(
      store,
      merchantId,
      trackingNumber,
      events.map((event) => readEvent(carrier, trackingNumber, event)),
      now,
      (skus) => this.#options.onStockChange?.(merchantId, skus),
      async (shipments) => this.#options.onDelivered?.(merchantId, shipments),
    );
    const unknown = outcomes.filter((o) => o === 'unknown_event').length;
    if (unknown > 0) this.#options.onUnknownEvents?.(carrier.eventCodes, unknown);
    return outcomes.filter((o) => o === 'applied').length;
  }
}
