/**
 * Promise accuracy (CONTRACT §6 "Accuracy"): every booked shipment's promised window against its delivery. A
 * delivered shipment is on time when delivered on or before `latest` (its delivery date read in the warehouse's
 * zone), early before `earliest`, late after `latest`. Pure: the orders come in, the groups go out.
 */
import { ACCURACY_GROUPINGS, type AccuracyGroup } from '../../../shared/src/analytics.ts';
import type { Order, Shipment } from '../../../shared/src/orders.ts';
import { type Day, dayFromIso, isoFromDay, isoWeekday } from '../promise/local-date.ts';
import type { Merchant } from '../promise/merchant.ts';
import { localDateTime } from '../promise/zone.ts';

export { ACCURACY_GROUPINGS };
export type AccuracyGrouping = (typeof ACCURACY_GROUPINGS)[number];

/** The ISO week of a date, as `2026-W48`. */
export function isoWeek(day: Day): string {
  const thursday = day + 4 - isoWeekday(day);
  const year = Number(isoFromDay(thursday).slice(0, 4));
  const week = Math.floor((thursday - (dayFromIso(`${year}-01-01`) as Day)) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The delivery date of a shipment in its warehouse's zone, or null while it is not delivered. */
function deliveryDay(shipment: Shipment, merchant: Merchant): Day | null {
  // Shipments delivered before `deliveredAt` was kept: their last event is the delivery.
  const at = shipment.deliveredAt ?? shipment.lastEventAt;
  if (shipment.status !== 'delivered' || !at) return null;
  const zone = merchant.warehouseById.get(shipment.warehouse)?.timeZone ?? 'UTC';
  return localDateTime(Date.parse(at), zone).day;
}

/** How a delivered shipment's promise held: early (before earliest; on time all the same), within, or late. */
export function deliveryOutcome(shipment: Shipment, merchant: Merchant): 'early' | 'within' | 'late' | null {
  const delivered = deliveryDay(shipment, merchant);
  if (delivered === null) return null;
  if (delivered > (dayFromIso(shipment.promisedDelivery.latest) as Day)) return 'late';
  return delivered < (dayFromIso(shipment.promisedDelivery.earliest) as Day) ? 'early' : 'within';
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? null : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number);
const round = (n: number) => Math.round(n * 10_000) / 10_000;

interface Tally {
  group: AccuracyGroup;
  ranges: number;
  lateBy: number[];
  transits: number[];
}

/** Which shipments a tally counts: all, or one service's, or one warehouse's. */
export interface AccuracyFilter {
  service?: string | undefined;
  warehouse?: string | undefined;
}

/** Calendar days from a delivered shipment's dispatch (its first carrier scan, else its dispatch date) to delivery. */
function transitDays(shipment: Shipment, merchant: Merchant, delivered: Day): number {
  const zone = merchant.warehouseById.get(shipment.warehouse)?.timeZone ?? 'UTC';
  const dispatched = shipment.dispatchedAt
    ? localDateTime(Date.parse(shipment.dispatchedAt), zone).day
    : (dayFromIso(shipment.dispatchDate) as Day);
  return Math.max(0, delivered - dispatched);
}

/**
 * Counts how promises held, order by order, grouped by `groupBy` (cancelled shipments aside); `groups()` gives the
 * figures so far. Orders can come a page at a time: only the tallies are kept.
 * @example const tally = new AccuracyTally(merchant, 'service'); tally.add(order); tally.groups()
 */
export class AccuracyTally {
  readonly #merchant: Merchant;
  readonly #groupBy: AccuracyGrouping;
  readonly #groups = new Map<string, Tally>();
  readonly #filter: AccuracyFilter;

  constructor(merchant: Merchant, groupBy: AccuracyGrouping, filter: AccuracyFilter = {}) {
    this.#merchant = merchant;
    this.#groupBy = groupBy;
    this.#filter = filter;
  }

  add(order: Order): void {
    const merchant = this.#merchant;
    const groupBy = this.#groupBy;
    const groups = this.#groups;
    const { service, warehouse } = this.#filter;
    for (const shipment of order.shipments) {
      if (shipment.status === 'cancelled') continue;
      if ((service && shipment.service !== service) || (warehouse && shipment.warehouse !== warehouse)) continue;
      const earliest = dayFromIso(shipment.promisedDelivery.earliest) as Day;
      const latest = dayFromIso(shipment.promisedDelivery.latest) as Day;
      const key =
        groupBy === 'week'
          ? isoWeek(dayFromIso(order.createdAt.slice(0, 10)) as Day)
          : groupBy === 'lane'
            ? `${shipment.warehouse}→${order.shippingAddress.country.toUpperCase()}`
            : groupBy === 'carrier'
              ? shipment.carrier
              : shipment[groupBy];
      let entry = groups.get(key);
      if (!entry) {
        entry = {
          group: {
            key,
            shipments: 0,
            delivered: 0,
            onTime: 0,
            early: 0,
            late: 0,
            onTimeRate: null,
            meanRangeDays: null,
            lateDays: { p50: null, p95: null },
            transitDays: { p50: null, p95: null },
          },
          ranges: 0,
          lateBy: [],
          transits: [],
        };
        groups.set(key, entry);
      }
      const { group } = entry;
      group.shipments++;
      entry.ranges += latest - earliest;
      const outcome = deliveryOutcome(shipment, merchant);
      if (outcome === null) continue;
      group.delivered++;
      entry.transits.push(transitDays(shipment, merchant, deliveryDay(shipment, merchant) as Day));
      if (outcome === 'late') {
        group.late++;
        entry.lateBy.push((deliveryDay(shipment, merchant) as Day) - latest);
      } else {
        group.onTime++;
        if (outcome === 'early') group.early++;
      }
    }
  }

  groups(): AccuracyGroup[] {
    return [...this.#groups.values()]
      .map(({ group, ranges, lateBy, transits }) => {
        lateBy.sort((a, b) => a - b);
        transits.sort((a, b) => a - b);
        return {
          ...group,
          onTimeRate: group.delivered === 0 ? null : round(group.onTime / group.delivered),
          meanRangeDays: round(ranges / group.shipments),
          lateDays: { p50: percentile(lateBy, 0.5), p95: percentile(lateBy, 0.95) },
          transitDays: { p50: percentile(transits, 0.5), p95: percentile(transits, 0.95) },
        };
      })
      .sort((a, b) => a.key.localeCompare(b.key));
  }
}

/**
 * Groups the shipments of `orders` (cancelled ones aside) by `groupBy` and counts how their promises held.
 * @example promiseAccuracy(orders, merchant, 'service') // [{ key: 'colissimo-home', shipments: 12, … }]
 */
export function promiseAccuracy(
  orders: Iterable<Order>,
  merchant: Merchant,
  groupBy: AccuracyGrouping,
): AccuracyGroup[] {
  const tally = new AccuracyTally(merchant, groupBy);
  for (const order of orders) tally.add(order);
  return tally.groups();
}
