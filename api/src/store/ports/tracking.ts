/** Labels and tracking: a shipment's one label, the events seen for it, and the poller's watch list. */

/** A carrier label as stored: the first one created for a shipment is the only one. */
export interface StoredLabel {
  shipmentId: string;
  orderId?: string | null;
  carrier: string;
  trackingNumber: string;
  pdf: Uint8Array;
}

/** A shipment the tracking poller watches, due for a look at `nextCheckAt`. */
export interface WatchedShipment {
  merchantId: string;
  orderId: string;
  shipmentId: string;
}

/** A tracking event as kept for deduplication: once per shipment and key. */
export interface TrackingEventRecord {
  shipmentId: string;
  key: string;
  status: string;
  code: string;
  occurredAt: string;
}

export interface TrackingStore {
  /**
   * Stores a label unless the shipment has one, and returns the one stored. A new label's shipment is watched
   * by the tracking poller from `now`.
   */
  saveLabel(merchantId: string, label: StoredLabel, now: number): Promise<StoredLabel>;
  getLabel(merchantId: string, shipmentId: string): Promise<StoredLabel | null>;
  /** The shipment a tracking number belongs to (through its label), with the carrier that labelled it. */
  findByTrackingNumber(
    merchantId: string,
    trackingNumber: string,
  ): Promise<{ orderId: string; shipmentId: string; carrier: string } | null>;
  /** Watched shipments due for a tracking poll at `now`, longest waiting first, every merchant. */
  dueForTracking(now: number, limit: number): Promise<WatchedShipment[]>;
  /** When to look at a watched shipment again; null stops watching it (settled, or given up). */
  rescheduleTracking(merchantId: string, shipmentId: string, nextCheckAt: number | null): Promise<void>;
}
