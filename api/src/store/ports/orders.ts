/** Orders: booked with their reservations, ledger and outbox in one transaction, and changed the same way. */

import type { Order } from '../../../../shared/src/orders.ts';
import type { Reservation } from '../../booking/plan-order.ts';
import type { TransitObservation } from '../../promise/transit.ts';
import type { Restock } from '../../returns/decide-return.ts';
import type { IdempotentResponse } from './idempotency.ts';
import type { OutboxMessage } from './outbox.ts';
import type { TrackingEventRecord } from './tracking.ts';

export type { Restock };

/** Where a page of orders by creation ends: the last order's `createdAt` and id. */
export interface OrderCursor {
  createdAt: string;
  id: string;
}

export type PlaceOrderResult =
  | { ok: true }
  | { ok: false; reason: 'out_of_stock'; failed: Reservation[] }
  | { ok: false; reason: 'duplicate_reference'; orderId: string };

/** What a change to an order decides, given the order as stored (inside the transaction). */
export type OrderChange<E> =
  | {
      ok: true;
      order: Order;
      /** reservations given back (a cancellation; with a note, by hand: the ledger says `adjust`) */
      releases?: (Reservation & { note?: string })[];
      /** reservations that leave as shipments: on hand and reserved both drop */
      consumes?: Reservation[];
      /** units back on hand from a return's inspection (a level is created where there is none): ledger `return` */
      restocks?: Restock[];
      /** the ids of returns this change opens, by which `findOrderOf` finds their order from now on */
      newReturns?: string[];
      outbox?: OutboxMessage[];
      /** parcels this change saw delivered: kept as transit history (CONTRACT §6) in the same transaction */
      delivered?: TransitObservation[];
      /** the answer to store under a claimed idempotency key, with the change it answers (an edit) */
      answer?: IdempotentResponse;
    }
  | { ok: false; error: E };

export interface OrderStore {
  /**
   * In one transaction: reserves every reservation with a conditional update (never read-modify-write), stores
   * the order, its ledger lines and its outbox messages. Nothing is written when any reservation fails or the
   * reference is taken.
   */
  placeOrder(
    merchantId: string,
    order: Order,
    reservations: readonly Reservation[],
    outbox: readonly OutboxMessage[],
    idempotency?: IdempotentResponse,
  ): Promise<PlaceOrderResult>;
  getOrder(merchantId: string, id: string): Promise<Order | null>;
  /** The order a shipment or a return belongs to, or null (another merchant's included). */
  findOrderOf(merchantId: string, shipmentOrReturnId: string): Promise<string | null>;
  findOrders(merchantId: string, query: { reference: string; channel?: string | null }): Promise<Order[]>;
  /**
   * Changes an order in one transaction: `change` sees the stored order and decides; stock and outbox follow.
   * With `events`, tracking events are kept first in the same transaction (each once per shipment and key) and
   * `change` learns which of them are new; if anything fails, none of them is kept, so a retry applies them.
   */
  changeOrder<E>(
    merchantId: string,
    id: string,
    change: (order: Order, fresh: readonly boolean[]) => OrderChange<E>,
    events?: { records: readonly TrackingEventRecord[]; receivedAt: number },
  ): Promise<OrderChange<E> | null>;
  /**
   * Orders whose shipments may still be moving (for the exception scan), every merchant, a page at a time in
   * order id order: the next page starts after the last id of this one.
   */
  ordersInFlight(page: { after: string | null; limit: number }): Promise<{ merchantId: string; order: Order }[]>;
  /**
   * A merchant's orders created in [from, to) (ISO instants), a page at a time in (createdAt, id) order, the
   * order of its index: the next page starts after the last order of this one.
   */
  ordersCreatedBetween(
    merchantId: string,
    range: { from: string; to: string },
    page: { after: OrderCursor | null; limit: number },
  ): Promise<Order[]>;
}
