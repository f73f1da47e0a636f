/**
 * Polling carriers for news: each round asks each shipment's carrier adapter (`track`) about the parcels it has
 * not asked about for `pollAfterMs` (±20 %, so polls spread out instead of coming in waves), at most
 * `perCarrier` parcels per carrier per round (a rate limit the carriers' APIs need). New events go through the
 * same ingestion as pushed ones.
 */
import type { MerchantRegistry } from '../../plugins/merchants.ts';
import type { Store } from '../../store/store.ts';
import type { CarrierAdapter } from '../carriers/carrier-adapter.ts';
import { labelledAt } from '../shipment-jobs.ts';
import { applyTrackingEvents } from './apply-event.ts';
import { CARRIER_CODES } from './statuses.ts';

const SETTLED = new Set(['delivered', 'cancelled', 'returned_to_sender', 'pending']);

export interface PollerOptions {
  store: Store;
  merchants: MerchantRegistry;
  adapters: Readonly<Record<string, CarrierAdapter>>;
  clock: () => number;
  pollAfterMs: number;
  perCarrier: number;
  random?: () => number;
  onStockChange?: (merchantId: string, skus: string[]) => void;
}

export class TrackingPoller {
  readonly #options: PollerOptions;
  /** when each shipment was last asked about, by this process */
  readonly #lastPolled = new Map<string, number>();

  constructor(options: PollerOptions) {
    this.#options = options;
  }

  /** One round; returns how many parcels were asked about and how many new events applied. */
  async runOnce(): Promise<{ polled: number; applied: number }> {
    const { store, merchants, adapters, clock, pollAfterMs, perCarrier } = this.#options;
    const random = this.#options.random ?? Math.random;
    const now = clock();
    const perCarrierCount = new Map<string, number>();
    let polled = 0;
    let applied = 0;
    for (const { merchantId, order } of await store.ordersInFlight(10_000)) {
      const merchant = merchants.byId(merchantId)?.merchant;
      for (const shipment of order.shipments) {
        if (!shipment.trackingNumber || SETTLED.has(shipment.status) || !merchant) continue;
        const last = this.#lastPolled.get(shipment.id);
        if (last !== undefined && now - last < pollAfterMs * (0.8 + 0.4 * random())) continue;
        const carrierKey = `${merchantId}|${shipment.carrier}`;
        if ((perCarrierCount.get(carrierKey) ?? 0) >= perCarrier) continue;
        perCarrierCount.set(carrierKey, (perCarrierCount.get(carrierKey) ?? 0) + 1);
        const adapterName = merchant.carriers.find((c) => c.id === shipment.carrier)?.adapter ?? 'sandbox';
        const adapter = adapters[adapterName];
        if (!adapter) continue;
        this.#lastPolled.set(shipment.id, now);
        polled++;
        const events = await adapter.track({
          trackingNumber: shipment.trackingNumber,
          shipment,
          labelledAt: labelledAt(order, shipment.id),
          now,
        });
        const known = events.flatMap((event) => {
          const status = CARRIER_CODES[adapterName]?.[event.code];
          return status
            ? [{ ...event, trackingNumber: shipment.trackingNumber as string, carrier: shipment.carrier, status }]
            : [];
        });
        if (known.length === 0) continue;
        const outcomes = await applyTrackingEvents(store, merchantId, shipment.trackingNumber, known, now, (skus) =>
          this.#options.onStockChange?.(merchantId, skus),
        );
        applied += outcomes.filter((o) => o === 'applied').length;
      }
    }
    return { polled, applied };
  }
}
