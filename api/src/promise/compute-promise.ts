/**
 * The promise rule end to end (CONTRACT §3): source the cart once, rate every service over the resulting
 * shipments, schedule each shipment, then sort and tag the options. Pure: the clock, the stock and the
 * per-merchant caches come in as arguments.
 */
import { LRUCache } from 'lru-cache';
import type { DeliveryOption, Estimate, LineReason, PromiseLine, PromiseStatus } from '../../../shared/src/promise.ts';
import type { StockView } from './availability.ts';
import { BusinessCalendar } from './calendar.ts';
import { orderWindow, type ShipmentSchedule, scheduleShipment } from './estimate.ts';
import { learnedOrConfigured, TransitModel } from './learned-transit.ts';
import { type Day, isoFromDay } from './local-date.ts';
import { type Merchant, normalizePostalCode, type Warehouse } from './merchant.ts';
import { fits, LaneIndex, type Parcel, shipmentPrice } from './rating.ts';
import { type SourcingLine, sourceLines } from './sourcing.ts';

export interface PromiseRequest {
  lines: readonly { sku: string; quantity: number }[];
  /** ISO 3166-1 alpha-2, upper case */
  country: string;
  postalCode: string | null;
}

/** What the core needs besides the request: the instant, the merchant with its caches, and the stock. */
export interface PromiseEnvironment {
  now: number;
  merchant: Merchant;
  calendar: BusinessCalendar;
  lanes: LaneIndex;
  stock: StockView;
  /** shipment schedules by warehouse, carrier, transit, readiness and order window; reused across promises */
  schedules: LRUCache<string, ScheduleText | 'none'>;
  /** the merchant's delivery history (CONTRACT §6); without it every promise uses the configured transit */
  transit?: TransitModel | null;
}

/**
 * The per-merchant state of the core: calendars, lane index, schedules, and the delivery history its promises
 * learn from (empty until the history is loaded). Build once per merchant config.
 */
export type MerchantCaches = Pick<PromiseEnvironment, 'calendar' | 'lanes' | 'schedules'> & { transit: TransitModel };

export function merchantCaches(merchant: Merchant): MerchantCaches {
  return {
    calendar: new BusinessCalendar(),
    lanes: new LaneIndex(merchant),
    schedules: new LRUCache({ max: 20_000 }),
    // Twice the window, so that a fixed test clock some way behind the newest delivery still finds its window.
    transit: new TransitModel({ keepDays: 2 * merchant.estimates.windowDays }),
  };
}

export interface PromiseResult {
  status: PromiseStatus;
  reason: LineReason | null;
  items: PromiseLine[];
  options: DeliveryOption[];
}

interface PlannedShipment {
  warehouse: Warehouse;
  lines: SourcingLine[];
  parcel: Parcel;
  readyFrom: Day | null;
}

/** Cart lines with the same sku are one line: sourcing never splits a line, so it must see the whole quantity. */
export function mergeLines(lines: PromiseRequest['lines']): { sku: string; quantity: number }[] {
  const merged = new Map<string, number>();
  for (const line of lines) merged.set(line.sku, (merged.get(line.sku) ?? 0) + line.quantity);
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}

function planShipments(
  lines: readonly SourcingLine[],
  warehouses: readonly Warehouse[],
  readyFrom: readonly (Day | null)[],
) {
  const byWarehouse = new Map<Warehouse, PlannedShipment>();
  lines.forEach((line, index) => {
    const warehouse = warehouses[index] as Warehouse;
    const product = line.product;
    if (!product) return;
    let shipment = byWarehouse.get(warehouse);
    if (!shipment) {
      shipment = {
        warehouse,
        lines: [],
        parcel: { weightGrams: 0, longestSideCm: 0, dangerousGoods: false },
        readyFrom: null,
      };
      byWarehouse.set(warehouse, shipment);
    }
    shipment.lines.push(line);
    shipment.parcel.weightGrams += product.weightGrams * line.quantity;
    shipment.parcel.longestSideCm = Math.max(shipment.parcel.longestSideCm, product.longestSideCm);
    shipment.parcel.dangerousGoods ||= product.dangerousGoods;
    const ready = readyFrom[index] ?? null;
    if (ready !== null && (shipment.readyFrom === null || ready > shipment.readyFrom)) shipment.readyFrom = ready;
  });
  return [...byWarehouse.values()].sort(
    (a, b) => a.warehouse.priority - b.warehouse.priority || a.warehouse.order - b.warehouse.order,
  );
}

/** A schedule as the answer shows it; formatted once per promise and shared by the services that ride it. */
export interface ScheduleText {
  dispatch: Day;
  dispatchDate: string;
  cutoffAt: string | null;
  delivery: { earliest: string; latest: string };
}

function scheduleText(schedule: ShipmentSchedule | null): ScheduleText | null {
  if (!schedule) return null;
  return {
    dispatch: schedule.dispatch,
    dispatchDate: isoFromDay(schedule.dispatch),
    cutoffAt: schedule.cutoffAt === null ? null : new Date(schedule.cutoffAt).toISOString(),
    delivery: { earliest: isoFromDay(schedule.earliest), latest: isoFromDay(schedule.latest) },
  };
}

function compareOptions(a: DeliveryOption, b: DeliveryOption): number {
  return (
    a.delivery.earliest.localeCompare(b.delivery.earliest) ||
    a.delivery.latest.localeCompare(b.delivery.latest) ||
    a.price.amount - b.price.amount ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** An option's estimate: from history only when every shipment's is, with the fewest samples of any. */
function optionEstimate(estimates: readonly Estimate[]): Estimate {
  const history = estimates.every((e) => e.basis === 'history');
  return {
    basis: history ? 'history' : 'configured',
    samples: history ? Math.min(...estimates.map((e) => e.samples)) : 0,
    onTimeTarget: estimates[0]?.onTimeTarget ?? 0.95,
  };
}

/** Sorts options and tags `fastest` (first, and any tied on both dates) and `cheapest` (every lowest price). */
export function sortAndTag(options: DeliveryOption[]): DeliveryOption[] {
  options.sort(compareOptions);
  const first = options[0];
  if (!first) return options;
  const lowest = Math.min(...options.map((o) => o.price.amount));
  for (const option of options) {
    option.tags = [];
    if (option.delivery.earliest === first.delivery.earliest && option.delivery.latest === first.delivery.latest) {
      option.tags.push('fastest');
    }
    if (option.price.amount === lowest) option.tags.push('cheapest');
  }
  return options;
}

/**
 * Computes the promise for a cart and destination at `env.now`.
 * @example computePromise({ lines: [{ sku: 'MUG-01', quantity: 1 }], country: 'FR', postalCode: '75011' }, env)
 */
export function computePromise(request: PromiseRequest, env: PromiseEnvironment): PromiseResult {
  const { merchant, calendar, lanes, now } = env;
  const postalCode = normalizePostalCode(request.postalCode ?? '');
  const { country } = request;
  const lines: SourcingLine[] = mergeLines(request.lines).map((line) => ({
    ...line,
    product: merchant.products.get(line.sku),
  }));

  const sources = sourceLines(lines, {
    merchant,
    stock: env.stock,
    served: (w) => lanes.served(w.country, country, postalCode),
  });
  const sourcedIndexes = sources.flatMap((source, index) => (source.warehouse ? [index] : []));
  const shipments = planShipments(
    sourcedIndexes.map((index) => lines[index] as SourcingLine),
    sourcedIndexes.map((index) => sources[index]?.warehouse as Warehouse),
    sourcedIndexes.map((index) => {
      const source = sources[index];
      return source?.warehouse ? source.availableFrom : null;
    }),
  );

  const options: DeliveryOption[] = [];
  const windows = new Map<string, ReturnType<typeof orderWindow>>();
  const shipmentLanes = shipments.map((s) => lanes.lanes(s.warehouse.country, country, postalCode));
  merchant.services.forEach((service, serviceIndex) => {
    if (shipments.length === 0) return;
    const carrier = service.carrier;
    let amount = 0;
    const shipmentPromises: DeliveryOption['shipments'] = [];
    for (const [shipmentIndex, shipment] of shipments.entries()) {
      const lane = shipmentLanes[shipmentIndex]?.[serviceIndex];
      if (!lane || !fits(service, shipment.parcel)) return;
      const price = shipmentPrice(service, lane, shipment.parcel.weightGrams, postalCode);
      if (price === null) return;
      const { warehouse, readyFrom } = shipment;
      const windowKey = `${warehouse.id}|${carrier.id}`;
      let window = windows.get(windowKey);
      if (!window) {
        window = orderWindow(now, warehouse, carrier, calendar);
        windows.set(windowKey, window);
      }
      const key = `${warehouse.id}|${carrier.id}|${country}|${lane.transitDays[0]}|${lane.transitDays[1]}|${readyFrom}|${window.today}|${window.todayCounts}`;
      let schedule = env.schedules.get(key);
      if (schedule === undefined) {
        const input = { warehouse, carrier, country, transitDays: lane.transitDays, readyFrom };
        schedule = scheduleText(scheduleShipment(input, window, calendar)) ?? 'none';
        env.schedules.set(key, schedule);
      }
      if (schedule === 'none') return;
      // Step 4 from history when the lane has enough of it (CONTRACT §6); steps 1–3 stay as scheduled.
      const learned = learnedOrConfigured(
        env.transit ?? null,
        merchant.estimates,
        { service: service.id, warehouse: warehouse.id, country },
        postalCode,
        now,
        schedule.dispatch,
        lane.transitDays,
      );
      let delivery = schedule.delivery;
      if (learned?.basis === 'history') {
        // The learned transit counted from the same dispatch, kept beside the schedule it moves.
        const [early, late] = learned.transitDays;
        const learnedKey = `${key}|${early}|${late}`;
        let relearned = env.schedules.get(learnedKey);
        if (relearned === undefined) {
          const earliest = calendar.addDeliveryDays(carrier, country, schedule.dispatch, early);
          const latest = calendar.addDeliveryDays(carrier, country, schedule.dispatch, late);
          relearned =
            earliest === null || latest === null
              ? 'none'
              : { ...schedule, delivery: { earliest: isoFromDay(earliest), latest: isoFromDay(latest) } };
          env.schedules.set(learnedKey, relearned);
        }
        if (relearned === 'none') return;
        delivery = relearned.delivery;
      }
      amount += price;
      shipmentPromises.push({
        warehouse: shipment.warehouse.id,
        items: shipment.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
        dispatchDate: schedule.dispatchDate,
        cutoffAt: schedule.cutoffAt,
        delivery: { ...delivery },
        estimate: {
          basis: learned?.basis ?? 'configured',
          samples: learned?.samples ?? 0,
          onTimeTarget: merchant.estimates.onTimeTarget,
        },
      });
    }
    // ISO dates and instants order as strings: the latest is the last after sorting.
    const latestOf = (pick: (s: DeliveryOption['shipments'][number]) => string) =>
      shipmentPromises.map(pick).sort().at(-1) as string;
    const cutoffs = shipmentPromises.flatMap((s) => (s.cutoffAt ? [s.cutoffAt] : [])).sort();
    options.push({
      id: service.id,
      carrier: carrier.id,
      service: service.id,
      name: service.name,
      deliveryType: service.deliveryType,
      price: { amount, currency: merchant.currency },
      cutoffAt: cutoffs[0] ?? null,
      dispatchDate: latestOf((s) => s.dispatchDate),
      delivery: { earliest: latestOf((s) => s.delivery.earliest), latest: latestOf((s) => s.delivery.latest) },
      shipments: shipmentPromises,
      tags: [],
      estimate: optionEstimate(shipmentPromises.map((s) => s.estimate)),
    });
  });

  const noOption = options.length === 0;
  const items: PromiseLine[] = lines.map((line, index) => {
    const source = sources[index];
    if (source?.warehouse && !noOption) {
      const from = source.availableFrom;
      return {
        sku: line.sku,
        quantity: line.quantity,
        available: true,
        availableFrom: from === null ? null : isoFromDay(from),
        reason: null,
      };
    }
    // Sourced lines that no service can carry (weight, size, dangerous goods) are not served either.
    const reason: LineReason = source && !source.warehouse ? source.reason : 'no_service';
    return { sku: line.sku, quantity: line.quantity, available: false, availableFrom: null, reason };
  });

  if (noOption) {
    return { status: 'unavailable', reason: items[0]?.reason ?? 'no_service', items, options };
  }
  const status: PromiseStatus = items.every((item) => item.available) ? 'available' : 'partial';
  return { status, reason: null, items, options: sortAndTag(options) };
}
