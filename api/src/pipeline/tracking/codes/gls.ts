/**
 * GLS Track & Trace codes (`parcels[].events[].code`, and the parcel's `status`), from GLS's own Track And
 * Trace V1 API description 1.0.7 (as kept in karrioapi/karrio: modules/connectors/gls/vendor/ecitrackandtrace.yaml).
 * `INTIAL` is GLS's own spelling. FINAL says the history is closed, not how it ended: no status.
 * NOTPICKEDUP is a failed collection, not a failed delivery: an exception.
 */
import { codeTable } from './code-table.ts';

export const GLS_CODES = codeTable({
  PLANNEDPICKUP: 'label_created', // Parcel is planned to be picked up
  INPICKUP: 'label_created', // Parcel will be picked up by a driver
  NOTPICKEDUP: 'exception', // Parcel was not picked up
  PREADVICE: 'label_created', // GLS has received the parceldata but not the physical parcel
  INTRANSIT: 'in_transit', // Parcel is on its way to the final depot
  INWAREHOUSE: 'in_transit', // Parcel is in warehouse
  INDELIVERY: 'out_for_delivery', // Parcel in in delivey by a driver [sic]
  DELIVEREDPS: 'available_for_pickup', // Parcel delivered to a parcel shop
  DELIVERED: 'delivered', // Parcel was delivered
  NOTDELIVERED: 'failed_attempt', // Parcel was not delivered
  CANCELED: 'cancelled', // Parcel was cancelled
  FINAL: null, // Parcel history closed
  'INTIAL.PREADVICE': 'label_created', // The parcel data was entered into the GLS IT system; the parcel was not yet handed over …
  'INTIAL.E48_DATA': 'label_created', // The parcel was provided by the sender for collection by GLS.
  'INTIAL.NORMAL': 'picked_up', // The parcel was handed over to GLS.
  'DELIVD.PARCELSHOP': 'available_for_pickup', // The parcel has been delivered at the ParcelShop (see ParcelShop information).
  'CANCEL.NORMAL': 'cancelled', // The parcel data have been deleted from the GLS IT system.
  'CHANGD.MONEWADDR': null, // Change completed for - Delivery at new address
  'CHANGD.PARCELBOX': null, // Change completed for - ParcelLocker
});
