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
  /** a return label: the parcel goes from the order's shipping address back to the shipment's warehouse */
  returning?: boolean;
}

export interface CreatedLabel {
  trackingNumber: string;
  /** a 4×6 in label, PDF */
  pdf: Uint8Array;
}

/** A carrier's own tracking event, before mapping to a normalized status. */
export interface CarrierEvent {
  /** the carrier's id for the event; else one is derived from its content */
  eventId?: string | undefined;
  /** read with the carrier's code table (`carriers[].eventCodes`) */
  code: string;
  /** a scan that only informs: kept on the timeline under its code, never read as a status */
  notice?: boolean;
  occurredAt: string;
  location?: string | undefined;
  description?: string | undefined;
}

export interface TrackRequest {
  merchant: Merchant;
  trackingNumber: string;
  shipment: Shipment;
  /** when the label was created */
  labelledAt: string;
  now: number;
}

export interface CancelRequest {
  merchant: Merchant;
  shipment: Shipment;
  trackingNumber: string;
}

export interface CarrierAdapter {
  readonly name: string;
  createLabel(request: LabelRequest): Promise<CreatedLabel>;
  /** Voids a label that has not left; a carrier that cannot void it any more says so by throwing. */
  cancelLabel(request: CancelRequest): Promise<void>;
  /** Every event the carrier has for a parcel so far (polling). */
  track(request: TrackRequest): Promise<CarrierEvent[]>;
}

/**
 * The carrier said no (Karrio's 4xx: an address it cannot serve, a parcel too heavy, an account problem): asking
 * again cannot help, so the job gives up at once and a `carrier_refused` exception asks the merchant to act.
 * Anything else an adapter throws (time-outs, 5xx, 429) is retried.
 */
export class CarrierRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CarrierRefused';
  }
}
