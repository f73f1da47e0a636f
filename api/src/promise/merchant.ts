/**
 * A merchant's config compiled for the promise core: weekday masks, normalized postal patterns, surcharges split
 * into fixed and percent, bundles resolved to their weight and size. Built once per config load; pure data.
 */
import {
  type DeliveryType,
  ESTIMATE_DEFAULTS,
  type EVENT_CODE_TABLES,
  type MerchantConfig,
  type PostalAddress,
} from '../../../shared/src/config.ts';
import { RETURN_METHODS, RETURN_REASONS, type ReturnMethod, type ReturnReason } from '../../../shared/src/returns.ts';
import { type Day, dayFromIso } from './local-date.ts';

export interface Warehouse {
  id: string;
  name: string;
  country: string;
  timeZone: string;
  holidayCountry: string;
  holidayRegion: string | null;
  closedDates: ReadonlySet<Day>;
  /** index = ISO weekday */
  workingDays: readonly boolean[];
  handlingDays: number;
  defaultCutoff: string;
  /** HH:mm by carrier id; a Map, since a carrier may be called `constructor` or `toString` */
  cutoffs: ReadonlyMap<string, string>;
  priority: number;
  order: number;
  /** the sender's address on real carriers' labels */
  address: PostalAddress | null;
}

export interface Rate {
  upToGrams: number;
  amount: number;
}

export interface Lane {
  from: ReadonlySet<string>;
  to: ReadonlySet<string>;
  /** normalized: upper case, no spaces; "*" matches everything */
  postalCodes: readonly string[];
  transitDays: readonly [number, number];
  rates: readonly Rate[];
}

export interface Surcharge {
  name: string;
  postalCodes: readonly string[] | null;
  amount: number;
  /** thousandths of a percent, so that percent arithmetic stays in integers */
  milliPercent: number;
}

export interface Service {
  id: string;
  name: string;
  deliveryType: DeliveryType;
  carrier: Carrier;
  lanes: readonly Lane[];
  maxWeightGrams: number;
  maxSideCm: number;
  allowsDangerousGoods: boolean;
  surcharges: readonly Surcharge[];
}

export interface Carrier {
  id: string;
  name: string;
  adapter: string;
  /** the adapter's own settings, as validated at start (secrets already read from the environment) */
  settings: Readonly<Record<string, unknown>>;
  /** the table its own event codes are read with */
  eventCodes: (typeof EVENT_CODE_TABLES)[number];
  /** the shared secret of the carrier's signed tracking pushes, if it pushes */
  trackingSecret: string | null;
  pickupDays: readonly boolean[];
  deliveryDays: readonly boolean[];
  services: Service[];
}

export interface Product {
  sku: string;
  name: string;
  weightGrams: number;
  longestSideCm: number;
  dangerousGoods: boolean;
  /** for a bundle: what one unit takes from stock; for a product: itself × 1 */
  stockUnits: readonly { sku: string; quantity: number }[];
  isBundle: boolean;
  /** what customs read (CONTRACT §9); a product may lack them until it ships across a customs border */
  customs: { hsCode: string | null; originCountry: string | null; value: number | null };
}

/** What the merchant declares on parcels that cross a customs border (CONTRACT §9). */
export interface CustomsSettings {
  incoterm: string;
  eori: string | null;
  ioss: string | null;
}

/** The returns policy (CONTRACT §9, `returns` in the config), defaults filled in. */
export interface ReturnsSettings {
  windowDays: number;
  /** null: each shipment's own warehouse */
  warehouse: string | null;
  nonReturnableSkus: ReadonlySet<string>;
  reasons: readonly ReturnReason[];
  methods: readonly ReturnMethod[];
  autoApprove: boolean;
  /** null: the shipment's own carrier and service */
  carrier: { carrier: string; service: string } | null;
  labelFee: number;
  refundShipping: 'never' | 'merchant_fault' | 'always';
}

export interface Merchant {
  id: string;
  name: string;
  currency: string;
  customs: CustomsSettings;
  /** minutes after booking before labels are bought (`fulfilment.holdMinutes`): the window for edits */
  holdMinutes: number;
  returns: ReturnsSettings;
  warehouses: readonly Warehouse[];
  /** warehouses by preference: priority, then file order */
  warehousesByPriority: readonly Warehouse[];
  carriers: readonly Carrier[];
  services: readonly Service[];
  products: ReadonlyMap<string, Product>;
  warehouseById: ReadonlyMap<string, Warehouse>;
  serviceById: ReadonlyMap<string, Service>;
  /** how promises use delivery history (CONTRACT §6), defaults filled in */
  estimates: EstimateSettings;
}

export interface EstimateSettings {
  mode: 'learned' | 'configured';
  onTimeTarget: number;
  minSamples: number;
  windowDays: number;
}

/** Upper case without spaces: how postal codes and patterns are compared. */
export function normalizePostalCode(code: string): string {
  return code.toUpperCase().replace(/\s+/g, '');
}

function weekdayMask(days: readonly number[]): boolean[] {
  const mask = new Array<boolean>(8).fill(false);
  for (const day of days) mask[day] = true;
  return mask;
}

/** Compiles a validated config. Assumes `validateMerchantConfig` found no problem. */
export function compileMerchant(config: MerchantConfig): Merchant {
  const warehouses: Warehouse[] = config.warehouses.map((w, order) => {
    const cutoffs = new Map(Object.entries(w.cutoffs));
    const defaultCutoff = cutoffs.get('default') ?? '23:59';
    cutoffs.delete('default');
    return {
      id: w.id,
      name: w.name,
      country: w.country,
      timeZone: w.timeZone,
      holidayCountry: w.holidays.country,
      holidayRegion: w.holidays.region ?? null,
      closedDates: new Set((w.closedDates ?? []).map((d) => dayFromIso(d) ?? Number.NaN)),
      workingDays: weekdayMask(w.workingDays),
      handlingDays: w.handlingDays ?? 0,
      defaultCutoff,
      cutoffs,
      priority: w.priority ?? 1_000_000,
      order,
      address: w.address ?? null,
    };
  });
  const carriers: Carrier[] = [];
  const services: Service[] = [];
  for (const c of config.carriers) {
    const carrier: Carrier = {
      id: c.id,
      name: c.name,
      adapter: c.adapter ?? 'sandbox',
      settings: c.settings ?? {},
      // By default the adapter's own table (each adapter this build has, CARRIER_ADAPTERS, has one).
      eventCodes: c.eventCodes ?? (c.adapter === 'karrio' ? 'karrio' : 'sandbox'),
      trackingSecret: c.trackingSecret ?? null,
      pickupDays: weekdayMask(c.pickupDays),
      deliveryDays: weekdayMask(c.deliveryDays),
      services: [],
    };
    for (const s of c.services) {
      const service: Service = {
        id: s.id,
        name: s.name,
        deliveryType: s.deliveryType,
        carrier,
        lanes: s.lanes.map((lane) => ({
          from: new Set(lane.from),
          to: new Set(lane.to),
          postalCodes: (lane.postalCodes ?? ['*']).map(normalizePostalCode),
          transitDays: [lane.transitDays[0], lane.transitDays[1]] as const,
          rates: lane.rates,
        })),
        maxWeightGrams: s.maxWeightGrams ?? Number.POSITIVE_INFINITY,
        maxSideCm: s.maxSideCm ?? Number.POSITIVE_INFINITY,
        allowsDangerousGoods: s.allowsDangerousGoods ?? false,
        surcharges: (s.surcharges ?? []).map((x) => ({
          name: x.name,
          postalCodes: x.postalCodes ? x.postalCodes.map(normalizePostalCode) : null,
          amount: x.amount ?? 0,
          milliPercent: Math.round((x.percent ?? 0) * 1000),
        })),
      };
      carrier.services.push(service);
      services.push(service);
    }
    carriers.push(carrier);
  }
  const configured = new Map(config.products.map((p) => [p.sku, p]));
  const products = new Map<string, Product>();
  for (const p of config.products) {
    const parts = (p.components ?? []).map((c) => ({ part: configured.get(c.sku), quantity: c.quantity }));
    const partWeight = parts.reduce((sum, { part, quantity }) => sum + (part?.weightGrams ?? 0) * quantity, 0);
    const partSide = Math.max(0, ...parts.map(({ part }) => Math.max(0, ...(part?.dimensionsCm ?? []))));
    products.set(p.sku, {
      sku: p.sku,
      name: p.name,
      weightGrams: p.weightGrams ?? partWeight,
      longestSideCm: p.dimensionsCm ? Math.max(...p.dimensionsCm) : partSide,
      dangerousGoods: (p.dangerousGoods ?? false) || parts.some(({ part }) => part?.dangerousGoods === true),
      stockUnits: p.components
        ? p.components.map((c) => ({ sku: c.sku, quantity: c.quantity }))
        : [{ sku: p.sku, quantity: 1 }],
      isBundle: p.components !== undefined,
      customs: { hsCode: p.hsCode ?? null, originCountry: p.originCountry ?? null, value: p.customsValue ?? null },
    });
  }
  const warehousesByPriority = [...warehouses].sort((a, b) => a.priority - b.priority || a.order - b.order);
  return {
    id: config.merchant.id,
    name: config.merchant.name,
    currency: config.merchant.currency,
    customs: {
      incoterm: config.merchant.incoterm ?? 'DAP',
      eori: config.merchant.eori ?? null,
      ioss: config.merchant.ioss ?? null,
    },
    holdMinutes: config.fulfilment?.holdMinutes ?? 0,
    returns: {
      windowDays: config.returns?.windowDays ?? 30,
      warehouse: config.returns?.warehouse ?? null,
      nonReturnableSkus: new Set(config.returns?.nonReturnableSkus ?? []),
      reasons: config.returns?.reasons ?? RETURN_REASONS,
      methods: config.returns?.methods ?? RETURN_METHODS,
      autoApprove: config.returns?.autoApprove ?? false,
      carrier:
        config.returns?.carrier && config.returns.service
          ? { carrier: config.returns.carrier, service: config.returns.service }
          : null,
      labelFee: config.returns?.labelFee ?? 0,
      refundShipping: config.returns?.refundShipping ?? 'merchant_fault',
    },
    warehouses,
    warehousesByPriority,
    carriers,
    services,
    products,
    warehouseById: new Map(warehouses.map((w) => [w.id, w])),
    serviceById: new Map(services.map((s) => [s.id, s])),
    estimates: { ...ESTIMATE_DEFAULTS, ...config.estimates },
  };
}
