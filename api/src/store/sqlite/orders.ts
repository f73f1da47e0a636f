/** Orders on SQLite: booked with their reservations, ledger, outbox and stored answer in one transaction. */
import type { Order } from '../../../../shared/src/orders.ts';
import type { Reservation } from '../../booking/plan-order.ts';
import type { IdempotentResponse } from '../ports/idempotency.ts';
import type { OrderChange, OrderCursor, OrderStore, PlaceOrderResult } from '../ports/orders.ts';
import type { OutboxMessage } from '../ports/outbox.ts';
import type { TrackingEventRecord } from '../ports/tracking.ts';
import { type OrderRow, toOrder } from '../rows.ts';
import { IN_FLIGHT_SQL } from '../rules.ts';
import { type SqliteDatabase, writeOutbox } from './database.ts';
import { completeKey } from './idempotency.ts';
import { reserve, restock, takeStock } from './inventory.ts';
import { keepTrackingEvents } from './tracking.ts';
import { insertObservations } from './transit-history.ts';

export class SqliteOrders implements OrderStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async placeOrder(
    merchantId: string,
    order: Order,
    reservations: readonly Reservation[],
    outbox: readonly OutboxMessage[],
    idempotency?: IdempotentResponse,
  ): Promise<PlaceOrderResult> {
    const at = order.createdAt;
    const fail = new Error('rollback');
    let result: PlaceOrderResult = { ok: true };
    try {
      this.#db.raw
        .transaction(() => {
          const existing = this.#db
            .sql('SELECT id FROM orders WHERE merchant_id = ? AND channel = ? AND reference = ?')
            .get(merchantId, order.channel ?? '', order.reference) as { id: string } | undefined;
          if (existing) {
            result = { ok: false, reason: 'duplicate_reference', orderId: existing.id };
            throw fail;
          }
          const failed = reservations.filter((r) => !reserve(this.#db, merchantId, r, order.id, at));
          if (failed.length > 0) {
            result = { ok: false, reason: 'out_of_stock', failed };
            throw fail;
          }
          this.#db
            .sql(
              'INSERT INTO orders (merchant_id, id, reference, channel, status, document, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            )
            .run(
              merchantId,
              order.id,
              order.reference,
              order.channel ?? '',
              order.status,
              JSON.stringify(order),
              at,
              at,
            );
          const shipped = this.#db.sql(
            'INSERT INTO order_shipments (merchant_id, shipment_id, order_id) VALUES (?, ?, ?)',
          );
          for (const shipment of order.shipments) shipped.run(merchantId, shipment.id, order.id);
          writeOutbox(this.#db, merchantId, outbox, at);
          if (idempotency) completeKey(this.#db, merchantId, idempotency);
        })
        .immediate();
    } catch (error) {
      if (error !== fail) throw error;
    }
    return result;
  }

  async getOrder(merchantId: string, id: string): Promise<Order | null> {
    const row = this.#db.sql('SELECT document FROM orders WHERE merchant_id = ? AND id = ?').get(merchantId, id) as
      | OrderRow
      | undefined;
    return row ? toOrder(row) : null;
  }

  async findOrders(merchantId: string, query: { reference: string; channel?: string | null }): Promise<Order[]> {
    // An absent channel matches every channel; null is the empty channel. Two statements, so that the one a
    // booking's duplicate check runs keeps to the (merchant_id, channel, reference) index.
    const rows = (
      query.channel === undefined
        ? this.#db
            .sql('SELECT document FROM orders WHERE merchant_id = ? AND reference = ? ORDER BY created_at')
            .all(merchantId, query.reference)
        : this.#db
            .sql(
              'SELECT document FROM orders WHERE merchant_id = ? AND channel = ? AND reference = ? ORDER BY created_at',
            )
            .all(merchantId, query.channel ?? '', query.reference)
    ) as OrderRow[];
    return rows.map(toOrder);
  }

  async changeOrder<E>(
    merchantId: string,
    id: string,
    change: (order: Order, fresh: readonly boolean[]) => OrderChange<E>,
    events?: { records: readonly TrackingEventRecord[]; receivedAt: number },
  ): Promise<OrderChange<E> | null> {
    return this.#db.raw
      .transaction((): OrderChange<E> | null => {
        const row = this.#db.sql('SELECT document FROM orders WHERE merchant_id = ? AND id = ?').get(merchantId, id) as
          | OrderRow
          | undefined;
        if (!row) return null;
        const fresh = events ? keepTrackingEvents(this.#db, merchantId, events.records, events.receivedAt) : [];
        const decision = change(toOrder(row), fresh);
        if (!decision.ok) return decision;
        const at = decision.order.updatedAt;
        for (const r of decision.releases ?? []) takeStock(this.#db, merchantId, r, 'release', id, at);
        for (const r of decision.consumes ?? []) takeStock(this.#db, merchantId, r, 'ship', id, at);
        for (const r of decision.restocks ?? []) restock(this.#db, merchantId, r, id, at);
        const indexed = this.#db.sql(
          'INSERT INTO order_shipments (merchant_id, shipment_id, order_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
        );
        for (const returnId of decision.newReturns ?? []) indexed.run(merchantId, returnId, id);
        this.#db
          .sql('UPDATE orders SET status = ?, document = ?, updated_at = ? WHERE merchant_id = ? AND id = ?')
          .run(decision.order.status, JSON.stringify(decision.order), at, merchantId, id);
        writeOutbox(this.#db, merchantId, decision.outbox ?? [], at);
        insertObservations(this.#db, merchantId, decision.delivered ?? [], 'tracking');
        if (decision.answer) completeKey(this.#db, merchantId, decision.answer);
        return decision;
      })
      .immediate();
  }

  async ordersInFlight({
    after,
    limit,
  }: {
    after: string | null;
    limit: number;
  }): Promise<{ merchantId: string; order: Order }[]> {
    const rows = this.#db
      .sql(`SELECT merchant_id, document FROM orders WHERE ${IN_FLIGHT_SQL} AND id > ? ORDER BY id LIMIT ?`)
      .all(after ?? '', limit) as OrderRow[];
    return rows.map((row) => ({ merchantId: row.merchant_id, order: toOrder(row) }));
  }

  async ordersCreatedBetween(
    merchantId: string,
    range: { from: string; to: string },
    page: { after: OrderCursor | null; limit: number },
  ): Promise<Order[]> {
    // Rows come in the index's order (merchant, created_at, id), each page from where the last one ended.
    const rows = this.#db
      .sql(
        `SELECT document FROM orders
          WHERE merchant_id = ? AND created_at >= ? AND created_at < ? AND (created_at, id) > (?, ?)
          ORDER BY created_at, id LIMIT ?`,
      )
      .all(
        merchantId,
        range.from,
        range.to,
        page.after?.createdAt ?? range.from,
        page.after?.id ?? '',
        page.limit,
      ) as OrderRow[];
    return rows.map(toOrder);
  }

  async findOrderOf(merchantId: string, shipmentOrReturnId: string): Promise<string | null> {
    const row = this.#db
      .sql('SELECT order_id FROM order_shipments WHERE merchant_id = ? AND shipment_id = ?')
      .get(merchantId, shipmentOrReturnId) as { order_id: string } | undefined;
    return row?.order_id ?? null;
  }
}
