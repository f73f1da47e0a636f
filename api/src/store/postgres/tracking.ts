/** Labels, tracking events and the poller's watch list on PostgreSQL. */
import type pg from 'pg';
import type { StoredLabel, TrackingEventRecord, TrackingStore, WatchedShipment } from '../ports/tracking.ts';
import { type LabelRow, toLabel } from '../rows.ts';
import type { PostgresDatabase } from './database.ts';

/** Keeps tracking events once per shipment and key, inside the caller's transaction; true for each new one. */
export async function keepTrackingEvents(
  client: pg.PoolClient,
  merchantId: string,
  records: readonly TrackingEventRecord[],
  receivedAt: number,
): Promise<boolean[]> {
  // One statement: the rows it inserted come back; the others were seen before.
  const { rows } = await client.query<{ event_key: string }>(
    `INSERT INTO tracking_events (merchant_id, shipment_id, event_key, status, code, occurred_at, received_at)
     SELECT $1, e->>'shipmentId', e->>'key', e->>'status', e->>'code', e->>'occurredAt', $2 FROM jsonb_array_elements($3::jsonb) AS e
     ON CONFLICT DO NOTHING RETURNING event_key`,
    [merchantId, new Date(receivedAt).toISOString(), JSON.stringify(records)],
  );
  const inserted = new Set(rows.map((r) => r.event_key));
  const seen = new Set<string>();
  return records.map((e) => {
    const fresh = inserted.has(e.key) && !seen.has(e.key);
    seen.add(e.key);
    return fresh;
  });
}

export class PostgresTracking implements TrackingStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async saveLabel(merchantId: string, label: StoredLabel, now: number): Promise<StoredLabel> {
    // The label and its place on the tracking poller's watch list in one statement.
    await this.#db.pool.query(
      `WITH saved AS (
         INSERT INTO labels (merchant_id, shipment_id, order_id, carrier, tracking_number, pdf, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING merchant_id, shipment_id, order_id)
       INSERT INTO tracking_watch (merchant_id, shipment_id, order_id, next_check_at)
       SELECT merchant_id, shipment_id, order_id, $8 FROM saved WHERE order_id IS NOT NULL ON CONFLICT DO NOTHING`,
      [
        merchantId,
        label.shipmentId,
        label.orderId ?? null,
        label.carrier,
        label.trackingNumber,
        Buffer.from(label.pdf),
        new Date(now),
        now,
      ],
    );
    return (await this.getLabel(merchantId, label.shipmentId)) as StoredLabel;
  }

  async getLabel(merchantId: string, shipmentId: string): Promise<StoredLabel | null> {
    const { rows } = await this.#db.pool.query<LabelRow>(
      'SELECT shipment_id, carrier, tracking_number, pdf FROM labels WHERE merchant_id = $1 AND shipment_id = $2',
      [merchantId, shipmentId],
    );
    return rows[0] ? toLabel(rows[0]) : null;
  }

  async findByTrackingNumber(
    merchantId: string,
    trackingNumber: string,
  ): Promise<{ orderId: string; shipmentId: string; carrier: string } | null> {
    const { rows } = await this.#db.pool.query<{ order_id: string | null; shipment_id: string; carrier: string }>(
      'SELECT order_id, shipment_id, carrier FROM labels WHERE merchant_id = $1 AND tracking_number = $2',
      [merchantId, trackingNumber],
    );
    const row = rows[0];
    return row?.order_id ? { orderId: row.order_id, shipmentId: row.shipment_id, carrier: row.carrier } : null;
  }

  async dueForTracking(now: number, limit: number): Promise<WatchedShipment[]> {
    const { rows } = await this.#db.pool.query<{ merchant_id: string; order_id: string; shipment_id: string }>(
      'SELECT merchant_id, order_id, shipment_id FROM tracking_watch WHERE next_check_at <= $1 ORDER BY next_check_at LIMIT $2',
      [now, limit],
    );
    return rows.map((r) => ({ merchantId: r.merchant_id, orderId: r.order_id, shipmentId: r.shipment_id }));
  }

  async rescheduleTracking(merchantId: string, shipmentId: string, nextCheckAt: number | null): Promise<void> {
    await (nextCheckAt === null
      ? this.#db.pool.query('DELETE FROM tracking_watch WHERE merchant_id = $1 AND shipment_id = $2', [
          merchantId,
          shipmentId,
        ])
      : this.#db.pool.query(
          'UPDATE tracking_watch SET next_check_at = $3 WHERE merchant_id = $1 AND shipment_id = $2',
          [merchantId, shipmentId, nextCheckAt],
        ));
  }
}
