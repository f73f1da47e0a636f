/**
 * The carrier port: what Promesse asks of a carrier integration. `carriers[].adapter` in the merchant config
 * picks one; `sandbox` (the default) simulates a real carrier.
 */
import type { Order, Shipment } from '../../../../shared/src/orders.ts';
import type { Merchant } from '../../promise/merchant.ts';

export interface LabelRequest {
  /** the same key for retries of one shipment: a carrier creates one label per key */
  idempotencyKey: string;
  merchant: Merchant;
  order: Order;
  shipment: Shipment;
}

export interface CreatedLabel {
  trackingNumber: string;
  /** a 4×6 in label, PDF */
  pdf: Uint8Array;
}

/** A carrier's own tracking event, before mapping to a normalized status. */
export interface CarrierEvent {
  eventId: string;
  code: string;
  occurredAt: string;
  location?: string;
  description?: string;
}

export interface TrackRequest {
  trackingNumber: string;
  shipment: Shipment;
  /** when the label was created */
  labelledAt: string;
  now: number;
}

export interface CarrierAdapter {
  readonly name: string;
  createLabel(request: LabelRequest): Promise<CreatedLabel>;
  cancelLabel(trackingNumber: string): Promise<void>;
  /** Every event the carrier has for a parcel so far (polling). */
  track(request: TrackRequest): Promise<CarrierEvent[]>;
}
