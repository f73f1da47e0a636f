/**
 * Transit as CONTRACT §6 counts it: the service's delivery days after the dispatch date, up to and including the
 * delivery date, both read in the warehouse's zone. A parcel delivered on its dispatch date has transit 0; one
 * delivered on a day that is not a delivery day counts as delivered on the delivery day before it.
 */
import type { BusinessCalendar } from './calendar.ts';
import { MAX_CALENDAR_SCAN_DAYS } from './calendar.ts';
import type { Day } from './local-date.ts';
import type { Carrier, Merchant } from './merchant.ts';
import { localDateTime } from './zone.ts';

/** One delivered parcel: where it went, when it left and when it arrived (instants in ms). */
export interface TransitObservation {
  service: string;
  warehouse: string;
  /** ISO 3166-1 alpha-2, upper case */
  country: string;
  postalCode: string;
  dispatchedAt: number;
  deliveredAt: number;
}

/**
 * The delivery days after `dispatch` up to and including `delivered`; null when the delivery is before the
 * dispatch or further away than a calendar walk goes.
 * @example transitDays(monday, wednesday, carrier, 'FR', calendar) // 2
 */
export function transitDays(
  dispatch: Day,
  delivered: Day,
  carrier: Carrier,
  country: string,
  calendar: BusinessCalendar,
): number | null {
  if (delivered < dispatch || delivered - dispatch > MAX_CALENDAR_SCAN_DAYS) return null;
  let count = 0;
  for (let day = dispatch + 1; day <= delivered; day++) if (calendar.isDeliveryDay(carrier, country, day)) count++;
  return count;
}

/** Why an observation cannot be learned from. */
export type TransitRefusal = 'unknown_service' | 'unknown_warehouse' | 'delivered_before_dispatch';

/** An observation's transit and its local dates, or why it cannot count. */
export function observedTransit(
  observation: TransitObservation,
  merchant: Merchant,
  calendar: BusinessCalendar,
): { transit: number; dispatch: Day; delivered: Day } | { refused: TransitRefusal } {
  const service = merchant.serviceById.get(observation.service);
  if (!service) return { refused: 'unknown_service' };
  const warehouse = merchant.warehouseById.get(observation.warehouse);
  if (!warehouse) return { refused: 'unknown_warehouse' };
  const dispatch = localDateTime(observation.dispatchedAt, warehouse.timeZone).day;
  const delivered = localDateTime(observation.deliveredAt, warehouse.timeZone).day;
  const transit = transitDays(dispatch, delivered, service.carrier, observation.country, calendar);
  return transit === null ? { refused: 'delivered_before_dispatch' } : { transit, dispatch, delivered };
}
