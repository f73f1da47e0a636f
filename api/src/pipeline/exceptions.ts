/**
 * Exceptions: the queue the merchant's team works through (acknowledge, resolve). Shipment exceptions open when
 * a carrier reports a failed attempt, an exception, a return to sender or a voided label, and when the scan
 * finds a shipment with no scan for too long or past its promised `latest` date; each opens once and is
 * announced as `shipment.exception` with its reason and the next action. Outbox exceptions open when a job
 * gives up (a webhook delivery, a label purchase), so that nothing fails silently.
 */
import { createHash } from 'node:crypto';
import type { Order } from '../../../shared/src/orders.ts';
import { hasLeft, SETTLED } from '../booking/order-status.ts';
import type { OutboxMessage, ShipmentException, Store } from '../store/store.ts';
import { labelledAt } from './shipment-jobs.ts';

export const NEXT_ACTIONS: Readonly<Record<ShipmentException['reason'], string>> = {
  failed_attempt: 'Contact the customer to arrange a new delivery or a pickup.',
  exception: "Check the carrier's details for this parcel and contact the carrier.",
  returned_to_sender: 'Refund or reship the order once the parcel is back.',
  no_scan: 'Ask the carrier to trace the parcel; it may be lost.',
  late: 'Tell the customer the new date; consider a goodwill gesture.',
  label_voided:
    'The carrier voided this label. Ask the carrier why, or cancel the order to release its stock; the order was not cancelled.',
  delivery_failed: 'Fix the endpoint (see its attempts), then replay the message from the outbox.',
  job_failed: 'Read the error, fix its cause (carrier account, address), then replay the job from the outbox.',
  carrier_refused:
    'The carrier refused: read its message, fix the cause (address, weight, service, account), then replay the job from the outbox, or cancel the order.',
  channel_order_failed:
    "The shop's order did not book (or cancel): read why, fix the cause (stock, the sku in the catalogue, the channel's shippingOptions), then replay the job from the outbox.",
};

/** One id per shipment, reason and occasion, so the same occasion never opens twice. */
export function exceptionId(shipmentId: string, reason: string, occasion: string): string {
  return `exc_${createHash('sha256').update(`${shipmentId}|${reason}|${occasion}`).digest('base64url').slice(0, 20)}`;
}

export async function openException(
  store: Store,
  merchantId: string,
  input: {
    kind?: ShipmentException['kind'];
    orderId: string;
    shipmentId: string | null;
    reason: ShipmentException['reason'];
    occasion: string;
    detail: string | null;
    now: number;
  },
): Promise<boolean> {
  const at = new Date(input.now).toISOString();
  return store.openException(merchantId, {
    id: exceptionId(input.shipmentId ?? input.orderId, input.reason, input.occasion),
    kind: input.kind ?? 'shipment',
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
  /** an order whose moving shipments have had no news for this long is closed: the parcels are lost */
  giveUpMs: number;
  /** orders read per page */
  pageSize?: number;
}

/** The last news of a labelled shipment: its newest event, else its label. */
const lastNewsOf = (order: Order, shipment: Order['shipments'][number]) =>
  shipment.lastEventAt ?? labelledAt(order, shipment.id);

/**
 * Closes an order whose every unsettled shipment has been silent past `giveUpMs`: the parcels are lost, their
 * `no_scan` exceptions stay with the team, and the order stops being scanned and polled.
 */
async function closeIfLost(store: Store, merchantId: string, order: Order, now: number, giveUpMs: number) {
  // Only parcels that left can be lost: a shipment still in the warehouse holds stock the merchant must decide
  // about (cancel, or relabel), so its order stays open.
  const lost = (o: Order) => {
    const moving = o.shipments.filter((s) => !SETTLED.has(s.status));
    return (
      moving.length > 0 &&
      moving.every((s) => (hasLeft(s.status) || s.leftAt) && now - Date.parse(lastNewsOf(o, s)) >= giveUpMs)
    );
  };
  if (!lost(order)) return;
  const at = new Date(now).toISOString();
  const days = Math.round(giveUpMs / 86_400_000);
  await store.changeOrder<'unchanged'>(merchantId, order.id, (current) => {
    if (current.status === 'closed' || current.status === 'cancelled' || !lost(current))
      return { ok: false, error: 'unchanged' };
    return {
      ok: true,
      order: {
        ...current,
        status: 'closed',
        updatedAt: at,
        timeline: [
          ...current.timeline,
          { at, type: 'order.closed', actor: 'system', message: `Closed: no carrier news for ${days} days.` },
        ],
      },
    };
  });
}

/**
 * Looks at every shipment still on its way, a page of orders at a time; opens (and announces) what is new and
 * closes orders whose parcels are lost. Returns how many exceptions opened.
 */
export async function scanForExceptions({
  store,
  clock,
  noScanMs,
  giveUpMs,
  pageSize = 500,
}: ScanOptions): Promise<number> {
  const now = clock();
  const today = new Date(now).toISOString().slice(0, 10);
  let opened = 0;
  for (let after: string | null = null; ; ) {
    const page = await store.ordersInFlight({ after, limit: pageSize });
    for (const { merchantId, order } of page) opened += await scanOrder(store, merchantId, order, now, today, noScanMs);
    for (const { merchantId, order } of page) await closeIfLost(store, merchantId, order, now, giveUpMs);
    if (page.length < pageSize) return opened;
    after = page.at(-1)?.order.id ?? null;
  }
}

async function scanOrder(
  store: Store,
  merchantId: string,
  order: Order,
  now: number,
  today: string,
  noScanMs: number,
): Promise<number> {
  let opened = 0;
  for (const shipment of order.shipments) {
    if (!shipment.trackingNumber || SETTLED.has(shipment.status)) continue;
    const lastNews = lastNewsOf(order, shipment);
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
  return opened;
}
