/**
 * Orders on PostgreSQL: reservations are conditional updates inside one transaction, taken in a fixed order so
 * that two bookings never deadlock; the order, its ledger, outbox, stored answer and stock notification commit
 * with them.
 */
import type { Order } from '../../../../shared/src/orders.ts';
import { IDEMPOTENCY_TTL_MS } from '../../booking/idempotency.ts';
import type { Reservation } from '../../booking/plan-order.ts';
import type { IdempotentResponse } from '../ports/idempotency.ts';
import { StockInvariantError } from '../ports/inventory.ts';
import type { OrderChange, OrderCursor, OrderStore, PlaceOrderResult } from '../ports/orders.ts';
import type { OutboxMessage } from '../ports/outbox.ts';
import type { TrackingEventRecord } from '../ports/tracking.ts';
import { type OrderRow, toOrder } from '../rows.ts';
import { IN_FLIGHT_SQL, inLockOrder, takenReason } from '../rules.ts';
import { AVAILABLE_AT, notify, type PostgresDatabase, STOCK_CHANNEL, writeMovements, writeOutbox } from './database.ts';
import { completeKey } from './idempotency.ts';
import { keepTrackingEvents } from './tracking.ts';
import { insertObservations } from './transit-history.ts';

/** Thrown inside a booking's transaction to roll it back with a refusal already decided. */
class Rollback extends Error {}

export class PostgresOrders implements OrderStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async placeOrder(
    merchantId: string,
    order: Order,
    reservations: readonly Reservation[],
    outbox: readonly OutboxMessage[],
    idempotency?: IdempotentResponse,
  ): Promise<PlaceOrderResult> {
    const at = new Date(order.createdAt);
    let result: PlaceOrderResult = { ok: true };
    try {
      await this.#db.tx(async (client) => {
        const failed: Reservation[] = [];
        for (const r of inLockOrder(reservations)) {
          // Conditional update and its ledger line in one statement: the check and the write cannot be split.
          const { rowCount } = await client.query(
            `WITH reserved AS (
               UPDATE inventory_levels SET reserved = reserved + $4, updated_at = $6
               WHERE merchant_id = $1 AND warehouse_id = $2 AND sku = $3
                 AND on_hand - reserved - safety_stock + (CASE WHEN $5 THEN incoming_total ELSE 0 END) >= $4
               RETURNING warehouse_id, sku)
             INSERT INTO stock_movements (merchant_id, warehouse_id, sku, on_hand_delta, reserved_delta, reason, order_id, at)
             SELECT $1, warehouse_id, sku, 0, $4, 'reserve', $7, $6 FROM reserved`,
            [merchantId, r.warehouse, r.sku, r.quantity, r.backorder, at, order.id],
          );
          if (rowCount !== 1) failed.push(r);
        }
        if (failed.length > 0) {
          result = { ok: false, reason: 'out_of_stock', failed };
          throw new Rollback();
        }
        const inserted = await client.query(
          `INSERT INTO orders (merchant_id, id, reference, channel, status, document, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (merchant_id, channel, reference) DO NOTHING`,
          [merchantId, order.id, order.reference, order.channel ?? '', order.status, JSON.stringify(order), at],
        );
        if (inserted.rowCount !== 1) {
          const { rows } = await client.query<{ id: string }>(
            'SELECT id FROM orders WHERE merchant_id = $1 AND channel = $2 AND reference = $3',
            [merchantId, order.channel ?? '', order.reference],
          );
          result = { ok: false, reason: 'duplicate_reference', orderId: rows[0]?.id ?? '' };
          throw new Rollback();
        }
        // The outbox rows, the stored response and the stock notification in one round trip.
        await client.query(
          `WITH messages AS (
             INSERT INTO outbox (merchant_id, order_id, type, payload, available_at, created_at)
             SELECT $1, m->>'orderId', m->>'type', m->'payload', ${AVAILABLE_AT}, $2 FROM jsonb_array_elements($3::jsonb) AS m),
           answered AS (
             UPDATE idempotency_keys SET state = 'done', status_code = $5, response_body = $6, expires_at = $7
             WHERE merchant_id = $1 AND key = $4),
           shipped AS (
             INSERT INTO order_shipments (merchant_id, shipment_id, order_id)
             SELECT $1, shipment, $11 FROM unnest($10::text[]) AS shipment)
           SELECT pg_notify($8, p) FROM unnest($9::text[]) AS p`,
          [
            merchantId,
            at,
            JSON.stringify(outbox),
            idempotency?.key ?? null,
            idempotency?.statusCode ?? null,
            idempotency?.body ?? null,
            idempotency ? idempotency.now + IDEMPOTENCY_TTL_MS : null,
            STOCK_CHANNEL,
            [...new Set(reservations.map((r) => `${merchantId}|${r.sku}`))],
            order.shipments.map((shipment) => shipment.id),
            order.id,
          ],
        );
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    return result;
  }

  async getOrder(merchantId: string, id: string): Promise<Order | null> {
    const { rows } = await this.#db.pool.query<OrderRow>(
      'SELECT document FROM orders WHERE merchant_id = $1 AND id = $2',
      [merchantId, id],
    );
    return rows[0] ? toOrder(rows[0]) : null;
  }

  async findOrders(merchantId: string, query: { reference: string; channel?: string | null }): Promise<Order[]> {
    // An absent channel matches every channel; null is the empty channel. Two statements, so that the one a
    // booking's duplicate check runs keeps to the (merchant_id, channel, reference) index.
    const { rows } =
      query.channel === undefined
        ? await this.#db.pool.query<OrderRow>(
            'SELECT document FROM orders WHERE merchant_id = $1 AND reference = $2 ORDER BY created_at',
            [merchantId, query.reference],
          )
        : await this.#db.pool.query<OrderRow>(
            'SELECT document FROM orders WHERE merchant_id = $1 AND channel = $2 AND reference = $3 ORDER BY created_at',
            [merchantId, query.channel ?? '', query.reference],
          );
    return rows.map(toOrder);
  }

  async changeOrder<E>(
    merchantId: string,
    id: string,
    change: (order: Order, fresh: readonly boolean[]) => OrderChange<E>,
    events?: { records: readonly TrackingEventRecord[]; receivedAt: number },
  ): Promise<OrderChange<E> | null> {
    return this.#db.tx(async (client) => {
      const { rows } = await client.query<OrderRow>(
        'SELECT document FROM orders WHERE merchant_id = $1 AND id = $2 FOR UPDATE',
        [merchantId, id],
      );
      const stored = rows[0];
      if (!stored) return null;
      const fresh = events ? await keepTrackingEvents(client, merchantId, events.records, events.receivedAt) : [];
      const decision = change(toOrder(stored), fresh);
      if (!decision.ok) return decision;
      const at = new Date(decision.order.updatedAt);
      const moves = [
        ...(decision.releases ?? []).map((r) => ({ r, ship: false })),
        ...(decision.consumes ?? []).map((r) => ({ r, ship: true })),
      ];
      const movements = [];
      for (const { r, ship } of inLockOrder(moves.map((m) => ({ ...m, warehouse: m.r.warehouse, sku: m.r.sku })))) {
        // The reservation must be there (never clamped: it would eat other orders' reservations); on hand stops
        // at zero, and the ledger records what really moved.
        const { rows: taken } = await client.query<{ on_hand: number }>(
          `WITH before AS (SELECT on_hand FROM inventory_levels WHERE merchant_id = $1 AND warehouse_id = $2 AND sku = $3)
           UPDATE inventory_levels SET reserved = reserved - $4, on_hand = greatest(on_hand - $5, 0), updated_at = $6
           WHERE merchant_id = $1 AND warehouse_id = $2 AND sku = $3 AND reserved >= $4
           RETURNING (SELECT on_hand FROM before) - on_hand AS on_hand`,
          [merchantId, r.warehouse, r.sku, r.quantity, ship ? r.quantity : 0, at],
        );
        if (!taken[0])
          throw new StockInvariantError(
            `${ship ? 'ship' : 'release'} of ${r.quantity} ${r.sku} at ${r.warehouse} exceeds the level (${id})`,
          );
        const note = 'note' in r && typeof r.note === 'string' ? r.note : null;
        movements.push({
          warehouse: r.warehouse,
          sku: r.sku,
          onHandDelta: -taken[0].on_hand,
          reservedDelta: -r.quantity,
          reason: takenReason(ship ? 'ship' : 'release', note),
          orderId: id,
          note,
        });
      }
      for (const r of inLockOrder(decision.restocks ?? [])) {
        // Back on hand, into a level created at zero where there is none (a returns warehouse new to the sku).
        await client.query(
          `INSERT INTO inventory_levels AS l (merchant_id, warehouse_id, sku, on_hand, reserved, safety_stock, incoming, incoming_total, updated_at)
           VALUES ($1, $2, $3, $4, 0, 0, '[]', 0, $5)
           ON CONFLICT (merchant_id, sku, warehouse_id) DO UPDATE SET on_hand = l.on_hand + $4, updated_at = $5`,
          [merchantId, r.warehouse, r.sku, r.quantity, at],
        );
        movements.push({
          warehouse: r.warehouse,
          sku: r.sku,
          onHandDelta: r.quantity,
          reservedDelta: 0,
          reason: 'return' as const,
          orderId: id,
          note: r.note,
        });
      }
      await writeMovements(client, merchantId, movements, at);
      if (decision.newReturns?.length)
        await client.query(
          `INSERT INTO order_shipments (merchant_id, shipment_id, order_id)
           SELECT $1, ret, $2 FROM unnest($3::text[]) AS ret ON CONFLICT DO NOTHING`,
          [merchantId, id, decision.newReturns],
        );
      await client.query(
        'UPDATE orders SET status = $3, document = $4, updated_at = $5 WHERE merchant_id = $1 AND id = $2',
        [merchantId, id, decision.order.status, JSON.stringify(decision.order), at],
      );
      await writeOutbox(client, merchantId, decision.outbox ?? [], at);
      await insertObservations(client, merchantId, decision.delivered ?? [], 'tracking');
      if (decision.answer) await completeKey(client, merchantId, decision.answer);
      await notify(client, merchantId, [
        ...moves.map(({ r }) => r.sku),
        ...(decision.restocks ?? []).map((r) => r.sku),
      ]);
      return decision;
    });
  }

  async ordersInFlight({
    after,
    limit,
  }: {
    after: string | null;
    limit: number;
  }): Promise<{ merchantId: string; order: Order }[]> {
    const { rows } = await this.#db.pool.query<OrderRow>(
      `SELECT merchant_id, document FROM orders WHERE ${IN_FLIGHT_SQL} AND id > $1 ORDER BY id LIMIT $2`,
      [after ?? '', limit],
    );
    return rows.map((row) => ({ merchantId: row.merchant_id, order: toOrder(row) }));
  }

  async ordersCreatedBetween(
    merchantId: string,
    range: { from: string; to: string },
    page: { after: OrderCursor | null; limit: number },
  ): Promise<Order[]> {
    // Rows come in the index's order (merchant, created_at, id), each page from where the last one ended.
    const { rows } = await this.#db.pool.query<OrderRow>(
      `SELECT document FROM orders
        WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3 AND (created_at, id) > ($4::timestamptz, $5)
        ORDER BY created_at, id LIMIT $6`,
      [merchantId, range.from, range.to, page.after?.createdAt ?? range.from, page.after?.id ?? '', page.limit],
    );
    return rows.map(toOrder);
  }

  async findOrderOf(merchantId: string, shipmentOrReturnId: string): Promise<string | null> {
    const { rows } = await this.#db.pool.query<{ order_id: string }>(
      'SELECT order_id FROM order_shipments WHERE merchant_id = $1 AND shipment_id = $2',
      [merchantId, shipmentOrReturnId],
    );
    return rows[0]?.order_id ?? null;
  }
}
