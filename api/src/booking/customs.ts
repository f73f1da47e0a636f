/**
 * Customs (CONTRACT §9): which parcels cross the EU customs border, what their declaration says, and what is
 * missing for one. Pure: the merchant, the order and its shipments in, data out. The booking refuses an order
 * whose declaration would be incomplete before any stock is reserved; the label job sends the declaration to
 * the carrier; `GET /v1/shipments/{id}/customs` prints it as a CN23.
 */
import type { ErrorDetail } from '../../../shared/src/errors.ts';
import type { Order, OrderRequest, Shipment } from '../../../shared/src/orders.ts';
import { type Merchant, normalizePostalCode } from '../promise/merchant.ts';

/** The EU customs union: the 27 member states, and Monaco (in it through France). */
// biome-ignore format: a table reads better in rows
export const EU_CUSTOMS_UNION: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'MC',
]);

/**
 * Territories of member states that parcels reach only through customs, by postal code prefix: outside the
 * customs union (Ceuta, Melilla, Heligoland, Büsingen, Livigno, Campione d'Italia) or outside the VAT area so
 * that goods are declared (the Canary Islands, Åland, Mount Athos, overseas France). Overseas departments also
 * have country codes of their own (GP, MQ, GF, RE, YT …), outside the set above already.
 */
const DECLARED_TERRITORIES: Readonly<Record<string, readonly string[]>> = {
  ES: ['35', '38', '51', '52'],
  DE: ['27498', '78266'],
  IT: ['23041', '22061'],
  // Overseas France when shops send it as FR: Guadeloupe, Martinique, Guyane, La Réunion, Saint-Pierre-et-
  // Miquelon, Mayotte, Saint-Barthélemy, Saint-Martin, Wallis-et-Futuna, Polynésie, Nouvelle-Calédonie.
  FR: ['971', '972', '973', '974', '975', '976', '977', '978', '984', '986', '987', '988'],
  FI: ['22'], // Åland
  GR: ['63086'], // Mount Athos
};

/** Whether a parcel from `from` to `to` (at `postalCode`) crosses the EU customs border. */
export function crossesCustomsBorder(from: string, to: string, postalCode: string): boolean {
  const inUnion = (country: string) => EU_CUSTOMS_UNION.has(country);
  if (!inUnion(from) || !inUnion(to)) return true;
  const code = normalizePostalCode(postalCode);
  return (DECLARED_TERRITORIES[to] ?? []).some((prefix) => code.startsWith(prefix));
}

/** IOSS applies to goods sent into the EU from outside it, worth up to 150 EUR a parcel. */
export const IOSS_LIMIT_EUR_CENTS = 15_000;

export interface CustomsLine {
  sku: string;
  description: string;
  quantity: number;
  hsCode: string | null;
  originCountry: string | null;
  /** per unit, minor units of `currency` */
  unitValue: number;
  /** per unit */
  weightGrams: number;
}

/** A parcel's customs declaration: the CN23's content and the carrier's customs data. */
export interface CustomsDeclaration {
  from: string;
  to: string;
  incoterm: string;
  eori: string | null;
  /** when the parcel enters the EU from outside, worth up to 150 EUR */
  ioss: string | null;
  iossApplies: boolean;
  currency: string;
  lines: CustomsLine[];
  totalValue: number;
  totalWeightGrams: number;
  /** the order's reference, as the commercial invoice number */
  invoice: string;
}

/** The declaration of a shipment that crosses the EU customs border, or null for one that does not. */
export function customsDeclaration(merchant: Merchant, order: Order, shipment: Shipment): CustomsDeclaration | null {
  const from = merchant.warehouseById.get(shipment.warehouse)?.country ?? '';
  const to = order.shippingAddress.country;
  if (!crossesCustomsBorder(from, to, order.shippingAddress.postalCode)) return null;
  const lines = shipment.items.map((item): CustomsLine => {
    const product = merchant.products.get(item.sku);
    const unitPrice = order.items.find((line) => line.sku === item.sku)?.unitPrice ?? 0;
    return {
      sku: item.sku,
      description: product?.name ?? item.sku,
      quantity: item.quantity,
      hsCode: product?.customs.hsCode ?? null,
      originCountry: product?.customs.originCountry ?? null,
      unitValue: product?.customs.value ?? unitPrice,
      weightGrams: product?.weightGrams ?? 0,
    };
  });
  const totalValue = lines.reduce((sum, line) => sum + line.unitValue * line.quantity, 0);
  const iossApplies =
    EU_CUSTOMS_UNION.has(to) &&
    !EU_CUSTOMS_UNION.has(from) &&
    merchant.currency === 'EUR' &&
    totalValue <= IOSS_LIMIT_EUR_CENTS;
  return {
    from,
    to,
    incoterm: merchant.customs.incoterm,
    eori: merchant.customs.eori,
    ioss: iossApplies ? merchant.customs.ioss : null,
    iossApplies,
    currency: merchant.currency,
    lines,
    totalValue,
    totalWeightGrams: lines.reduce((sum, line) => sum + line.weightGrams * line.quantity, 0),
    invoice: order.reference,
  };
}

/**
 * What the order's customs declarations lack, as `{field, code: "required"}` naming the request's item
 * (`items[0].hsCode`) or the merchant's setting (`merchant.eori`), each once.
 */
export function customsProblems(request: Pick<OrderRequest, 'items'>, order: Order, merchant: Merchant): ErrorDetail[] {
  const fields = new Set<string>();
  for (const shipment of order.shipments) {
    const declaration = customsDeclaration(merchant, order, shipment);
    if (!declaration) continue;
    for (const line of declaration.lines) {
      const index = request.items.findIndex((item) => item.sku === line.sku);
      if (line.hsCode === null) fields.add(`items[${index}].hsCode`);
      if (line.originCountry === null) fields.add(`items[${index}].originCountry`);
      // A parcel declared at nothing is refused at the border: a free line needs its product's customsValue.
      if (line.unitValue <= 0) fields.add(`items[${index}].customsValue`);
    }
    if (declaration.eori === null) fields.add('merchant.eori');
    if (declaration.iossApplies && declaration.ioss === null) fields.add('merchant.ioss');
  }
  return [...fields].map((field) => ({ field, code: 'required' }));
}
