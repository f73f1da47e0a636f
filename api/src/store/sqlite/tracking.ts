/** Labels, tracking events and the poller's watch list on SQLite. */
import type { StoredLabel, TrackingEventRecord, TrackingStore, WatchedShipment } from '../ports/tracking.ts';
import { type LabelRow, toLabel } from '../rows.ts';
import type { SqliteDatabase } from './database.ts';

/** Keeps tracking events once per shipment and key, inside the caller's transaction; true for each new one. */
export function keepTrackingEvents(
  db: SqliteDatabase,
  merchantId: string,
  records: readonly TrackingEventRecord[],
  receivedAt: number,
): boolean[] {
  const insert = db.sql(
    `INSERT INTO tracking_events (merchant_id, shipment_id, event_key, status, code, occurred_at, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const at = new Date(receivedAt).toISOString();
  return records.map(
    (e) => insert.run(merchantId, e.shipmentId, e.key, e.status, e.code, e.occurredAt, at).changes === 1,
  );
}

export class SqliteTracking implements TrackingStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async saveLabel(merchantId: string, label: StoredLabel, now: number): Promise<StoredLabel> {
    this.#db.raw.transaction(() => {
      const { changes } = this.#db
        .sql(
          `INSERT INTO labels (merchant_id, shipment_id, order_id, carrier, tracking_number, pdf, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
        )
        .run(
          merchantId,
          label.shipmentId,
          label.orderId ?? null,
          label.carrier,
          label.trackingNumber,
          Buffer.from(label.pdf),
          new Date(now).toISOString(),
        );
      if (changes === 1 && label.orderId)
        this.#db
          .sql(
            'INSERT INTO tracking_watch (merchant_id, shipment_id, order_id, next_check_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
          )
          .run(merchantId, label.shipmentId, label.orderId, now);
    })();
    return (await this.getLabel(merchantId, label.shipmentId)) as StoredLabel;
  }

  async getLabel(merchantId: string, shipmentId: string): Promise<StoredLabel | null> {
    const row = this.#db
      .sql('SELECT shipment_id, carrier, tracking_number, pdf FROM labels WHERE merchant_id = ? AND shipment_id = ?')
      .get(merchantId, shipmentId) as LabelRow | undefined;
    return row ? toLabel(row) : null;
  }

  async findByTrackingNumber(
    merchantId: string,
    trackingNumber: string,
  ): Promise<{ orderId: string; shipmentId: string; carrier: string } | null> {
    const row = this.#db
      .sql('SELECT order_id, shipment_id, carrier FROM labels WHERE merchant_id = ? AND tracking_number = ?')
      .get(merchantId, trackingNumber) as { order_id: string | null; shipment_id: string; carrier: string } | undefined;
    return row?.order_id ? { orderId: row.order_id, shipmentId: row.shipment_id, carrier: row.carrier } : null;
  }

  async dueForTracking(now: number, limit: number): Promise<WatchedShipment[]> {
    const rows = this.#db
      .sql(
        'SELECT merchant_id, order_id, shipment_id FROM tracking_watch WHERE next_check_at <= ? ORDER BY next_check_at LIMIT ?',
      )
      .all(now, limit) as { merchant_id: string; order_id: string; shipment_id: string }[];
    return rows.map((r) => ({ merchantId: r.merchant_id, orderId: r.order_id, shipmentId: r.shipment_id }));
  }

  async rescheduleTracking(merchantId: string, shipmentId: string, nextCheckAt: number | null): Promise<void> {
    if (nextCheckAt === null)
      this.#db.sql('DELETE FROM tracking_watch WHERE merchant_id = ? AND shipment_id = ?').run(merchantId, shipmentId);
    else
      this.#db
        .sql('UPDATE tracking_watch SET next_check_at = ? WHERE merchant_id = ? AND shipment_id = ?')
        .run(nextCheckAt, merchantId, shipmentId);
  }
}
