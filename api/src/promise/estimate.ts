/**
 * The dates of one shipment (CONTRACT §3 "Dates", steps 1–5): from the instant of the order to the cut-off,
 * the dispatch day and the delivery window, all in the warehouse's zone and calendars.
 */
import type { BusinessCalendar } from './calendar.ts';
import type { Day } from './local-date.ts';
import type { Carrier, Warehouse } from './merchant.ts';
import { localDateTime, zonedInstant } from './zone.ts';

export interface ShipmentSchedule {
  dispatch: Day;
  earliest: Day;
  latest: Day;
  /** the instant of today's cut-off when ordering after it would dispatch later, else null */
  cutoffAt: number | null;
}

export interface ScheduleInput {
  warehouse: Warehouse;
  carrier: Carrier;
  /** the destination country, whose public holidays are not delivery days */
  country: string;
  transitDays: readonly [number, number];
  /** the arrival date of incoming stock the shipment waits for, or null when it ships from stock */
  readyFrom: Day | null;
}

/** The cut-off that applies to a warehouse and carrier: the carrier's own, else the warehouse default. */
export function cutoffTime(warehouse: Warehouse, carrier: Carrier): string {
  return warehouse.cutoffs.get(carrier.id) ?? warehouse.defaultCutoff;
}

/** Where an order placed at `now` stands against today's cut-off at a warehouse for a carrier (step 1). */
export interface OrderWindow {
  /** the local date at the warehouse */
  today: Day;
  /** the instant of today's cut-off */
  cutoff: number;
  /** whether today is a warehouse day and the cut-off is still ahead */
  todayCounts: boolean;
}

export function orderWindow(
  now: number,
  warehouse: Warehouse,
  carrier: Carrier,
  calendar: BusinessCalendar,
): OrderWindow {
  const today = localDateTime(now, warehouse.timeZone).day;
  const cutoff = zonedInstant(today, cutoffTime(warehouse, carrier), warehouse.timeZone);
  return { today, cutoff, todayCounts: now < cutoff && calendar.isWarehouseDay(warehouse, today) };
}

/**
 * Schedules a shipment ordered within `window` (steps 2–5); null when the calendars never allow it (e.g. a
 * carrier that never picks up on the warehouse's working days). The result depends on `now` only through the
 * window, which is what lets callers cache it per day and side of the cut-off.
 * @example
 * // Monday 2026-11-23 10:00 in Paris, cut-off 14:00, 1–2 transit days:
 * scheduleShipment(input, orderWindow(now, warehouse, carrier, calendar), calendar)
 * // → dispatch Monday, delivery Tuesday–Wednesday, cutoffAt 13:00Z
 */
export function scheduleShipment(
  input: ScheduleInput,
  window: OrderWindow,
  calendar: BusinessCalendar,
): ShipmentSchedule | null {
  const { warehouse, carrier, country, transitDays, readyFrom } = input;
  const { today, cutoff, todayCounts } = window;

  const dispatchFrom = (firstDay: Day | null): Day | null => {
    let start = firstDay;
    if (start !== null && readyFrom !== null && readyFrom > start)
      start = calendar.warehouseDayOnOrAfter(warehouse, readyFrom);
    if (start === null) return null;
    const prepared = calendar.addWarehouseDays(warehouse, start, warehouse.handlingDays);
    return prepared === null ? null : calendar.pickupDayOnOrAfter(warehouse, carrier, prepared);
  };

  const nextDay = calendar.warehouseDayOnOrAfter(warehouse, today + 1);
  const dispatch = dispatchFrom(todayCounts ? today : nextDay);
  if (dispatch === null) return null;
  const earliest = calendar.addDeliveryDays(carrier, country, dispatch, transitDays[0]);
  const latest = calendar.addDeliveryDays(carrier, country, dispatch, transitDays[1]);
  if (earliest === null || latest === null) return null;

  let cutoffAt: number | null = null;
  if (todayCounts) {
    const dispatchIfLate = dispatchFrom(nextDay);
    if (dispatchIfLate === null || dispatchIfLate > dispatch) cutoffAt = cutoff;
  }
  return { dispatch, earliest, latest, cutoffAt };
}
