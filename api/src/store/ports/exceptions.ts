/** The exception queue the merchant's team works through. */

/** Something that needs someone: the merchant's team works through these. */
export interface ShipmentException {
  id: string;
  /** `shipment`: carrier news or silence about a parcel; `outbox`: a job that gave up (a webhook, a label) */
  kind: 'shipment' | 'outbox';
  orderId: string;
  /** null when the exception is not about one shipment */
  shipmentId: string | null;
  reason:
    | 'failed_attempt'
    | 'exception'
    | 'returned_to_sender'
    | 'no_scan'
    | 'late'
    | 'label_voided'
    | 'delivery_failed'
    | 'job_failed';
  nextAction: string;
  detail: string | null;
  state: 'open' | 'acknowledged' | 'resolved';
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ExceptionStore {
  /** Opens an exception unless one with the same id exists; true when it is new. */
  openException(merchantId: string, exception: ShipmentException): Promise<boolean>;
  listExceptions(merchantId: string, state: ShipmentException['state'], limit: number): Promise<ShipmentException[]>;
  updateException(
    merchantId: string,
    id: string,
    change: { state: ShipmentException['state']; note: string | null; updatedAt: string },
  ): Promise<ShipmentException | null>;
}
