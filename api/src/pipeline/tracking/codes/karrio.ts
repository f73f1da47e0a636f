/**
 * Karrio's eleven published tracker statuses (and the twelfth its server added) (`TrackerDetails.status` in Karrio's OpenAPI document,
 * ../shared/peers/karrio/openapi.yml) onto our ten. Karrio's events carry no status of their own: a tracker's
 * status is what its newest event says (see carriers/karrio/tracker-events.ts).
 */
import { codeTable } from './code-table.ts';

export const KARRIO_STATUSES = codeTable({
  pending: null, // a tracker with no news yet
  unknown: null, // Karrio could not read the carrier's status
  on_hold: 'exception', // held (customs, an address problem): someone must act
  cancelled: 'cancelled', // the label was voided
  delivered: 'delivered',
  in_transit: 'in_transit',
  delivery_delayed: 'in_transit', // still moving, later than planned; lateness is our own `late` exception
  out_for_delivery: 'out_for_delivery',
  ready_for_pickup: 'available_for_pickup',
  delivery_failed: 'failed_attempt',
  return_to_sender: 'returned_to_sender',
  // Not in the published document: Karrio's server has it since 2026.1 (schemas/openapi.yml at the same version).
  picked_up: 'picked_up',
});
