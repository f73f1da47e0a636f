/**
 * DPD's parcel life cycle, in its three published vocabularies (no key is in two):
 * - ParcelLifeCycleService 2.0 steps (DPD Germany, Belgium): SHIPMENT (the shipment's details, not an event),
 *   ACCEPTED, AT_SENDING_DEPOT, ON_THE_ROAD, AT_DELIVERY_DEPOT, DELIVERED;
 * - DPD Netherlands' life-cycle statuses (PickedUp … Delivered, as documented by viya.me's DPD NL integration);
 * - the two-digit scan codes of DPD's status data files (integrations.dpd.nl, "Statusdata via SFTP").
 * Scan codes 17, 18 and 23 have no published meaning we could find: they are unknown events, not guesses.
 */
import { codeTable } from './code-table.ts';

export const DPD_CODES = codeTable({
  '10': 'in_transit', // HUB Scan - Parcel is sorted and consolidated at a HUB, between sending and destination …
  '12': 'in_transit', // Customs Clearance Process - Arrival at customs clearance process.
  '13': 'delivered', // Delivered - Parcel is delivered successfully or the parcel is collected successfully fr…
  '14': 'failed_attempt', // Delivery Attempt Not Successful - Parcel could not be delivered to recipient's address.
  '15': 'picked_up', // Drivers Pick-Up - (rest of the description cut off in the stored copy of the page: 'Col…
  SHIPMENT: null, // Shipment information (shipmentInfo block: 'Details of your shipment', service descripti…
  ACCEPTED: 'picked_up', // Parcel handed to DPD - 'DPD has received your parcel.'
  AT_SENDING_DEPOT: 'in_transit', // In transit - 'The parcel is at the parcel dispatch centre.'
  ON_THE_ROAD: 'in_transit', // 'Your parcel is on its way to the parcel delivery centre.' (label: 'At parcel delivery …
  AT_DELIVERY_DEPOT: 'in_transit', // 'At parcel delivery centre.' (label: 'Parcel out for delivery')
  DELIVERED: 'delivered', // Parcel delivered - 'Your parcel has been delivered successfully.'
  PickedUp: 'picked_up', // Accepted (and picked-up) by DPD ('DPD has received your parcel.')
  BetweenDepots: 'in_transit', // On a transport between DPD Hubs/Depots ('The parcel is at the parcel dispatch centre.')
  Depot: 'in_transit', // At delivery depot ('At parcel delivery centre.')
  Courier: 'out_for_delivery', // Out for delivery ('The parcel has left the parcel delivery centre and is on its way to …
  DeliveryFailure: 'failed_attempt', // Unable to deliver the parcel ('Unfortunately we have not been able to deliver your parc…
  ReturningFromDelivery: 'failed_attempt', // Returned to delivery depot ('After an unsuccessful delivery attempt the parcel is back …
  ParcelShop: 'available_for_pickup', // At a pickup point ('Delivered by driver to Pickup parcelshop')
  Customs: 'in_transit', // At cross border checking (for non-EU shipments)
  Warehouse: 'in_transit', // Held at warehouse for consolidation/rerouting
  Consolidation: 'in_transit', // Parcel consolidated for new delivery
  Delivered: 'delivered', // Parcel received by recipient.
  '01': 'in_transit', // Consolidation - Parcel is sorted at a consolidation depot, between sending and destinat…
  '02': 'in_transit', // Inbound - Inbound parcel / first scan at destination depot.
  '03': 'out_for_delivery', // Out For Delivery - Driver's departure from the destination depot for the delivery of th…
  '04': 'failed_attempt', // Drivers Return - Parcels that were out for delivery, but have not been delivered, had t…
  '05': 'picked_up', // Pick-Up - Inbound / first scan when the parcel arrives at sending/first depot.
  '06': 'exception', // System Return - Parcel returned due to an exception (e.g. an invalid address).
  '08': 'in_transit', // Warehouse - Parcels not dispatched for delivery on the day they arrive at the destinati…
  '09': 'in_transit', // Inbound Exception - Inbound parcel at destination depot after an exception.
});
