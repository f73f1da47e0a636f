/** The parcels tracking follows: an order's shipments, and its returns sent back with a label. */
import type { Order, Shipment } from '../../../../shared/src/orders.ts';
import type { Merchant } from '../../promise/merchant.ts';
import { returnParcel } from '../../returns/decide-return.ts';
import { labelledAt } from '../shipment-jobs.ts';

/**
 * A tracked parcel by its id (a shipment's, or a return's), as its carrier is asked about it, with when its label
 * was made. A return is found before its label is recorded on it: its parcel then has no tracking number yet,
 * and the poller looks again later rather than forget it.
 */
export function parcelOf(
  order: Order,
  id: string,
  merchant: Merchant,
): { shipment: Shipment; labelledAt: string; isReturn: boolean } | null {
  const shipment = order.shipments.find((s) => s.id === id);
  if (shipment) return { shipment, labelledAt: labelledAt(order, id), isReturn: false };
  const ret = order.returns?.find((r) => r.id === id);
  return ret ? { ...returnParcel(order, ret, merchant), isReturn: true } : null;
}
