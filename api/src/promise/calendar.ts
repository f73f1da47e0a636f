/**
 * The business calendar of CONTRACT §3: warehouse days, pickup days and delivery days. One instance per merchant;
 * it memoizes each day's answer, since a promise asks about the same few days again and again.
 */
import { LRUCache } from 'lru-cache';
import { publicHolidays } from './holidays.ts';
import { type Day, isoWeekday, yearOfDay } from './local-date.ts';
import type { Carrier, Warehouse } from './merchant.ts';

/** How far a calendar walk may go before the combination is declared impossible (e.g. a carrier that never picks up). */
export const MAX_CALENDAR_SCAN_DAYS = 400;

export class BusinessCalendar {
  readonly #warehouseDays = new LRUCache<string, boolean>({ max: 50_000 });
  readonly #deliveryDays = new LRUCache<string, boolean>({ max: 50_000 });

  /** A date in the warehouse's working days, not a public holiday of its country/region, not a closed date. */
  isWarehouseDay(warehouse: Warehouse, day: Day): boolean {
    const key = `${warehouse.id}|${day}`;
    let open = this.#warehouseDays.get(key);
    if (open === undefined) {
      open =
        warehouse.workingDays[isoWeekday(day)] === true &&
        !warehouse.closedDates.has(day) &&
        !publicHolidays(warehouse.holidayCountry, warehouse.holidayRegion, yearOfDay(day)).has(day);
      this.#warehouseDays.set(key, open);
    }
    return open;
  }

  /** A warehouse day on which the carrier picks up. */
  isPickupDay(warehouse: Warehouse, carrier: Carrier, day: Day): boolean {
    return carrier.pickupDays[isoWeekday(day)] === true && this.isWarehouseDay(warehouse, day);
  }

  /** A date in the carrier's delivery days that is not a public holiday of the destination country. */
  isDeliveryDay(carrier: Carrier, country: string, day: Day): boolean {
    const key = `${carrier.id}|${country}|${day}`;
    let open = this.#deliveryDays.get(key);
    if (open === undefined) {
      open = carrier.deliveryDays[isoWeekday(day)] === true && !publicHolidays(country, null, yearOfDay(day)).has(day);
      this.#deliveryDays.set(key, open);
    }
    return open;
  }

  /** The first warehouse day on or after `day`, or null when none comes within the scan limit. */
  warehouseDayOnOrAfter(warehouse: Warehouse, day: Day): Day | null {
    for (let d = day; d < day + MAX_CALENDAR_SCAN_DAYS; d++) if (this.isWarehouseDay(warehouse, d)) return d;
    return null;
  }

  /** `count` warehouse days after `day` (0 gives `day`). */
  addWarehouseDays(warehouse: Warehouse, day: Day, count: number): Day | null {
    let d: Day | null = day;
    for (let i = 0; i < count && d !== null; i++) d = this.warehouseDayOnOrAfter(warehouse, d + 1);
    return d;
  }

  /** The first pickup day on or after `day`. */
  pickupDayOnOrAfter(warehouse: Warehouse, carrier: Carrier, day: Day): Day | null {
    for (let d = day; d < day + MAX_CALENDAR_SCAN_DAYS; d++) if (this.isPickupDay(warehouse, carrier, d)) return d;
    return null;
  }

  /** The `count`-th delivery day after `day` (0 gives `day`). */
  addDeliveryDays(carrier: Carrier, country: string, day: Day, count: number): Day | null {
    let d = day;
    for (let found = 0; found < count; ) {
      d++;
      if (d > day + MAX_CALENDAR_SCAN_DAYS) return null;
      if (this.isDeliveryDay(carrier, country, d)) found++;
    }
    return d;
  }
}
