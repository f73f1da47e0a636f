/**
 * Shipment exceptions: the queue the merchant's team works through (acknowledge, resolve). They open when a
 * carrier reports a failed attempt, an exception or a return to sender, and when the scan finds a shipment with
 * no scan for too long or past its promised `latest` date. Each opens once and is announced as
 * `shipment.exception` with its reason and the next action.
 */
import { createHash } from 'node:crypto';
import type { OutboxMessage, ShipmentException, Store } from '../store/store.ts';
import { labelledAt } from './shipment-jobs.ts';

export const NEXT_ACTIONS: Readonly<Record<ShipmentException['reason'], string>> = {
  failed_attempt: 'Contact the customer to arrange a new delivery or a pickup.',
  exception: "Check the carrier's details for this parcel and contact the carrier.",
  returned_to_sender: 'Refund or reship the order once the parcel is back.',
  no_scan: 'Ask the carrier to trace the parcel; it may be lost.',
  late: 'Tell the customer the new date; consider a goodwill gesture.',
};

/** One id per shipment, reason and occasion, so the same occasion never opens twice. */
export function exceptionId(shipmentId: string, reason: string, occasion: string): string {
  return `exc_${createHash('sha256').update(`${shipmentId}|${reason}|${occasion}`).digest('base64url').slice(0, 20)}`;
}

export async function openException(
  store: Store,
  merchantId: string,
  input: {
    orderId: string;
    shipmentId: string;
    reason: ShipmentException['reason'];
    occasion: string;
    detail: string | null;
    now: number;
  },
): Promise<boolean> {
  const at = new Date(input.now).toISOString();
  return store.openException(merchantId, {
    id: exceptionId(input.shipmentId, input.reason, input.occasion),
    orderId: input.orderId,
    shipmentId: input.shipmentId,
    reason: input.reason,
    nextAction: NEXT_ACTIONS[input.reason],
    detail: input.detail,
    state: 'open',
    note: null,
    createdAt: at,
    updatedAt: at,
  });
}

export interface ScanOptions {
  store: Store;
  clock: () => number;
  /** a labelled shipment with no scan for this long is an exception */
  noScanMs: number;
}

/** Looks at every shipment still on its way; opens (and announces) what is new. Returns how many opened. */
export async function scanForExceptions({ store, clock, noScanMs }: ScanOptions): Promise<number> {
  const now = clock();
  const today = new Date(now).toISOString().slice(0, 10);
  let opened = 0;
  for (const { merchantId, order } of await store.ordersInFlight(10_000)) {
    for (const shipment of order.shipments) {
      if (!shipment.trackingNumber || ['delivered', 'cancelled', 'returned_to_sender'].includes(shipment.status))
        continue;
      const lastNews = shipment.lastEventAt ?? labelledAt(order, shipment.id);
      const found: { reason: ShipmentException['reason']; occasion: string; detail: string }[] = [];
      if (now - Date.parse(lastNews) >= noScanMs)
        found.push({ reason: 'no_scan', occasion: lastNews, detail: `No scan since ${lastNews}.` });
      if (today > shipment.promisedDelivery.latest) {
        found.push({
          reason: 'late',
          occasion: shipment.promisedDelivery.latest,
          detail: `Promised by ${shipment.promisedDelivery.latest}.`,
        });
      }
      for (const f of found) {
        if (!(await openException(store, merchantId, { orderId: order.id, shipmentId: shipment.id, ...f, now })))
          continue;
        opened++;
        const message: OutboxMessage = {
          type: 'shipment.exception',
          orderId: order.id,
          payload: {
            orderId: order.id,
            shipmentId: shipment.id,
            reason: f.reason,
            nextAction: NEXT_ACTIONS[f.reason],
            detail: f.detail,
          },
        };
        await store.enqueueOutbox(merchantId, [message], now);
      }
    }
  }
  return opened;
}
