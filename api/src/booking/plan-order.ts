/**
 * Turns a fresh promise and the chosen option into what a booking writes: the shipments with their promised
 * dates and the stock each one reserves (bundles by their components; lines promised from incoming stock as
 * backorders). Pure: ids and the clock come in.
 */
import type { Shipment } from '../../../shared/src/orders.ts';
import type { DeliveryOption, DeliveryPromise } from '../../../shared/src/promise.ts';
import type { Merchant } from '../promise/merchant.ts';
import type { PromiseClaims } from '../promise-token.ts';

export interface Reservation {
  warehouse: string;
  sku: string;
  quantity: number;
  /** reserved against incoming stock: the order waits for it */
  backorder: boolean;
}

/** The shipments of an option, ready to be stored (status pending, no tracking number yet). */
export function planShipments(
  option: DeliveryOption,
  promise: Pick<DeliveryPromise, 'items'>,
  merchant: Merchant,
  newId: () => string,
): Shipment[] {
  const waiting = new Set(promise.items.filter((item) => item.availableFrom !== null).map((item) => item.sku));
  return option.shipments.map((shipment) => {
    const units = new Map<string, { quantity: number; backorder: boolean }>();
    for (const item of shipment.items) {
      for (const unit of merchant.products.get(item.sku)?.stockUnits ?? []) {
        const key = `${unit.sku}|${waiting.has(item.sku)}`;
        const entry = units.get(key) ?? { quantity: 0, backorder: waiting.has(item.sku) };
        entry.quantity += unit.quantity * item.quantity;
        units.set(key, entry);
      }
    }
    return {
      id: newId(),
      warehouse: shipment.warehouse,
      carrier: option.carrier,
      service: option.service,
      items: shipment.items.map((item) => ({ ...item })),
      reservations: [...units].map(([key, entry]) => ({ sku: key.split('|')[0] as string, ...entry })),
      dispatchDate: shipment.dispatchDate,
      promisedDelivery: { ...shipment.delivery },
      status: 'pending',
      trackingNumber: null,
    };
  });
}

/** Every reservation of a set of shipments, one per warehouse, sku and kind. */
export function reservationsOf(shipments: readonly Shipment[]): Reservation[] {
  return shipments.flatMap((shipment) =>
    shipment.reservations.map((r) => ({
      warehouse: shipment.warehouse,
      sku: r.sku,
      quantity: r.quantity,
      backorder: r.backorder,
    })),
  );
}

/**
 * Whether the option got worse for the shopper since it was promised: a later `latest` or a higher price.
 * An earlier date or a lower price is not worse.
 */
export function gotWorse(promised: PromiseClaims['options'][number], fresh: DeliveryOption): boolean {
  const [, amount, , latest] = promised;
  return fresh.delivery.latest > latest || fresh.price.amount > amount;
}

/** Whether a token was issued for these lines and this destination (order of lines does not matter). */
export function sameCart(
  claims: PromiseClaims,
  lines: readonly { sku: string; quantity: number }[],
  destination: [string, string | null],
): boolean {
  const key = (list: readonly (readonly [string, number])[]) =>
    [...list]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([s, q]) => `${s}:${q}`)
      .join(',');
  const normalize = (code: string | null) => (code ?? '').toUpperCase().replace(/\s+/g, '');
  return (
    key(claims.lines) === key(lines.map((l) => [l.sku, l.quantity] as const)) &&
    claims.destination[0] === destination[0] &&
    normalize(claims.destination[1]) === normalize(destination[1])
  );
}
