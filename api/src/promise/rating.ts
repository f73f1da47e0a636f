/**
 * Rating (CONTRACT §3 "Rating"): which lane of a service carries a parcel to a destination, whether the parcel
 * fits the service, and what the shipment costs with its surcharges.
 */
import { LRUCache } from 'lru-cache';
import type { Lane, Merchant, Service } from './merchant.ts';

export interface Parcel {
  weightGrams: number;
  longestSideCm: number;
  dangerousGoods: boolean;
}

/**
 * How specifically one pattern matches a normalized postal code: the pattern's length, or -1 when it does not
 * match. "*" matches anything, including no postal code; "75*" matches codes that start with 75.
 */
export function postalMatchLength(pattern: string, postalCode: string): number {
  if (pattern === '*') return 0;
  if (pattern.endsWith('*')) return postalCode.startsWith(pattern.slice(0, -1)) ? pattern.length : -1;
  return postalCode === pattern ? pattern.length + 1 : -1;
}

/** The best match of a list of patterns, -1 when none matches. */
export function bestPostalMatch(patterns: readonly string[], postalCode: string): number {
  let best = -1;
  for (const pattern of patterns) best = Math.max(best, postalMatchLength(pattern, postalCode));
  return best;
}

/** The lane of a service from an origin country to a destination: the longest matching pattern wins, ties in file order. */
export function findLane(service: Service, origin: string, country: string, postalCode: string): Lane | null {
  let found: Lane | null = null;
  let foundLength = -1;
  for (const lane of service.lanes) {
    if (!lane.from.has(origin) || !lane.to.has(country)) continue;
    const length = bestPostalMatch(lane.postalCodes, postalCode);
    if (length > foundLength) {
      found = lane;
      foundLength = length;
    }
  }
  return found;
}

/** Lanes per (origin, destination, postal code), one entry per service of the merchant, in service order. */
export class LaneIndex {
  readonly #merchant: Merchant;
  readonly #lanes = new LRUCache<string, readonly (Lane | null)[]>({ max: 20_000 });

  constructor(merchant: Merchant) {
    this.#merchant = merchant;
  }

  lanes(origin: string, country: string, postalCode: string): readonly (Lane | null)[] {
    const key = `${origin}|${country}|${postalCode}`;
    let lanes = this.#lanes.get(key);
    if (!lanes) {
      lanes = this.#merchant.services.map((service) => findLane(service, origin, country, postalCode));
      this.#lanes.set(key, lanes);
    }
    return lanes;
  }

  /** Whether any service carries parcels from this origin to the destination. */
  served(origin: string, country: string, postalCode: string): boolean {
    return this.lanes(origin, country, postalCode).some((lane) => lane !== null);
  }
}

/** Whether the parcel is within the service's weight, size and dangerous-goods limits. */
export function fits(service: Service, parcel: Parcel): boolean {
  return (
    parcel.weightGrams <= service.maxWeightGrams &&
    parcel.longestSideCm <= service.maxSideCm &&
    (!parcel.dangerousGoods || service.allowsDangerousGoods)
  );
}

/**
 * The price of one shipment in minor units: the first rate band that holds the weight, plus the fixed surcharges
 * that apply, then the applicable percents added together and taken on that sum, rounded half up once.
 * Null when no band holds the weight.
 * @example shipmentPrice(colissimoHome, lane, { weightGrams: 450, … }, '75011') // 690 + 10 % fuel = 759
 */
export function shipmentPrice(service: Service, lane: Lane, weightGrams: number, postalCode: string): number | null {
  const rate = lane.rates.find((band) => band.upToGrams >= weightGrams);
  if (!rate) return null;
  let sum = rate.amount;
  let milliPercent = 0;
  for (const surcharge of service.surcharges) {
    if (surcharge.postalCodes && bestPostalMatch(surcharge.postalCodes, postalCode) < 0) continue;
    sum += surcharge.amount;
    milliPercent += surcharge.milliPercent;
  }
  // sum × (1 + percent/100), in integers: percent is kept in thousandths, so the scale is 100 000.
  return Math.floor((2 * sum * (100_000 + milliPercent) + 100_000) / 200_000);
}
