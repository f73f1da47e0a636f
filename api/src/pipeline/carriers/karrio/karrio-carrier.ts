/**
 * The `karrio` carrier adapter (CONTRACT §7): real labels and tracking through a Karrio instance, for any of the
 * carriers it connects. Each merchant's carrier brings its own settings (`carriers[].settings`: the instance,
 * the key, the service codes), read at each call from the merchant's config as loaded.
 *
 * One label per shipment, ever: our shipment id is Karrio's `reference`, and every purchase first looks the
 * reference up. The contract asks for the look-up after an unclear failure; it is done before every purchase
 * because a process that dies mid-request leaves no trace of the attempt, and a look-up costs far less than a
 * second label.
 */

import type { KarrioSettings } from '../../../../../shared/src/config.ts';
import { customsDeclaration } from '../../../booking/customs.ts';
import { currencyDigits } from '../../../booking/money.ts';
import type { Merchant } from '../../../promise/merchant.ts';
import type {
  CancelRequest,
  CarrierAdapter,
  CarrierEvent,
  CreatedLabel,
  LabelRequest,
  TrackRequest,
} from '../carrier-adapter.ts';
import { CarrierRefused } from '../carrier-adapter.ts';
import { KarrioClient } from './karrio-client.ts';
import { type KarrioTracker, trackerEvents } from './tracker-events.ts';

/** The parts of Karrio's `Shipment` the adapter reads. */
interface KarrioShipment {
  id?: string;
  status?: string;
  reference?: string | null;
  tracking_number?: string | null;
  label_url?: string | null;
  docs?: { label?: string | null } | null;
  messages?: { message?: string; carrier_name?: string }[];
}

/**
 * Karrio's shipment statuses that have a label (a draft has none yet; a cancelled one has none any more).
 * `created` is what Karrio's server calls `purchased` since 2026.1.19; the published document still says
 * `purchased`, so both are read.
 */
const LABELLED = new Set([
  'purchased',
  'created',
  'shipped',
  'in_transit',
  'delivered',
  'needs_attention',
  'out_for_delivery',
  'delivery_failed',
]);

export class KarrioCarrier implements CarrierAdapter {
  readonly name = 'karrio';
  /** one client per settings object: merchants' configs are loaded once and kept */
  readonly #clients = new WeakMap<object, KarrioClient>();

  async createLabel({ merchant, order, shipment, returning = false }: LabelRequest): Promise<CreatedLabel> {
    const { settings, client } = this.#of(merchant, shipment.carrier);
    const found = await this.#find(client, shipment.id);
    const bought =
      found ??
      (await client.json<KarrioShipment>('POST', '/v1/shipments', {
        body: shipmentData(settings, merchant, order, shipment, returning),
      }));
    if (!bought?.tracking_number) {
      throw new CarrierRefused(
        bought?.messages
          ?.map((m) => m.message)
          .filter(Boolean)
          .join('; ') || 'Karrio bought no label for this shipment',
      );
    }
    const label = bought.docs?.label
      ? new Uint8Array(Buffer.from(bought.docs.label, 'base64'))
      : bought.label_url
        ? await client.label(bought.label_url)
        : null;
    if (!label) throw new CarrierRefused(`Karrio's shipment ${bought.id ?? ''} has no label document`);
    return { trackingNumber: bought.tracking_number, pdf: label };
  }

  async cancelLabel({ merchant, shipment }: CancelRequest): Promise<void> {
    const { client } = this.#of(merchant, shipment.carrier);
    const found = await this.#find(client, shipment.id);
    if (!found?.id) return; // nothing was bought, or it is voided already
    await client.json('POST', `/v1/shipments/${encodeURIComponent(found.id)}/cancel`);
  }

  async track({ merchant, trackingNumber, shipment }: TrackRequest): Promise<CarrierEvent[]> {
    const { client } = this.#of(merchant, shipment.carrier);
    const tracker = await client.json<KarrioTracker>('GET', `/v1/trackers/${encodeURIComponent(trackingNumber)}`, {
      missing: 'null',
    });
    const timeZone = merchant.warehouseById.get(shipment.warehouse)?.timeZone ?? 'UTC';
    return tracker ? trackerEvents(tracker, timeZone) : [];
  }

  /** Karrio's labelled shipment with our reference, if there is one. */
  async #find(client: KarrioClient, reference: string): Promise<KarrioShipment | null> {
    const page = await client.json<{ results?: KarrioShipment[] } & KarrioShipment>('GET', '/v1/shipments', {
      query: { reference },
    });
    // The document declares a Shipment here; Karrio answers a page of them ({count, next, previous, results}).
    const candidates = Array.isArray(page?.results) ? page.results : page ? [page] : [];
    return candidates.find((s) => s.reference === reference && LABELLED.has(s.status ?? '')) ?? null;
  }

  #of(merchant: Merchant, carrierId: string): { settings: KarrioSettings; client: KarrioClient } {
    const carrier = merchant.carriers.find((c) => c.id === carrierId);
    if (carrier?.adapter !== 'karrio') throw new Error(`carrier ${carrierId} does not ship through Karrio`);
    // Validated at start (validate-config.ts), secrets already read from the environment.
    const settings = carrier.settings as KarrioSettings;
    let client = this.#clients.get(settings);
    if (!client) {
      client = new KarrioClient(settings);
      this.#clients.set(settings, client);
    }
    return { settings, client };
  }
}

/**
 * Karrio's `ShipmentData` for one of our shipments; for a return (`returning`), the shopper is the shipper, the
 * warehouse the recipient, and `options.is_return` is set.
 */
export function shipmentData(
  settings: KarrioSettings,
  merchant: Merchant,
  order: LabelRequest['order'],
  shipment: LabelRequest['shipment'],
  returning = false,
): Record<string, unknown> {
  const warehouse = merchant.warehouseById.get(shipment.warehouse);
  const from = warehouse?.address;
  if (!from) throw new CarrierRefused(`warehouse ${shipment.warehouse} has no address to ship from`);
  const grams = shipment.items.reduce(
    (sum, i) => sum + (merchant.products.get(i.sku)?.weightGrams ?? 0) * i.quantity,
    0,
  );
  const longest = Math.max(0, ...shipment.items.map((i) => merchant.products.get(i.sku)?.longestSideCm ?? 0));
  const to = order.shippingAddress;
  const service = settings.serviceCodes[shipment.service];
  if (!service) throw new CarrierRefused(`no Karrio service code for ${shipment.service}`);
  const warehouseAddress = {
    person_name: from.name,
    address_line1: from.line1,
    ...(from.line2 ? { address_line2: from.line2 } : {}),
    city: from.city,
    postal_code: from.postalCode,
    country_code: from.country,
    ...(from.phone ? { phone_number: from.phone } : {}),
    ...(from.email ? { email: from.email } : {}),
  };
  const shopperAddress = {
    person_name: to.name,
    address_line1: to.line1,
    ...(to.line2 ? { address_line2: to.line2 } : {}),
    city: to.city,
    postal_code: to.postalCode,
    country_code: to.country.toUpperCase(),
    ...(to.phone ? { phone_number: to.phone } : {}),
    ...(to.email ? { email: to.email } : {}),
    residential: true,
  };
  return {
    shipper: returning ? shopperAddress : warehouseAddress,
    recipient: returning ? warehouseAddress : shopperAddress,
    ...(returning ? { options: { is_return: true } } : {}),
    parcels: [
      {
        // Karrio wants a weight; the few grams of an empty product list still make a parcel it can rate.
        weight: Math.max(grams, 1) / 1000,
        weight_unit: 'KG',
        ...(longest > 0 ? { length: longest, dimension_unit: 'CM' } : {}),
        reference_number: shipment.id,
      },
    ],
    service,
    reference: shipment.id,
    label_type: 'PDF',
    metadata: {
      promesse_shipment_id: shipment.id,
      promesse_order_id: order.id,
      promesse_order_reference: order.reference,
    },
    ...(settings.carrierIds ? { carrier_ids: settings.carrierIds } : {}),
    ...customsData(merchant, order, shipment, returning),
  };
}

/**
 * Karrio's `customs` for a parcel that crosses the EU customs border (CONTRACT §9); nothing for one that does not.
 * A return declares the same goods coming back: returned merchandise, its duties the merchant's (the
 * recipient's), under DAP, and never an IOSS number (IOSS is for sales into the EU).
 */
function customsData(
  merchant: Merchant,
  order: LabelRequest['order'],
  shipment: LabelRequest['shipment'],
  returning: boolean,
): { customs?: Record<string, unknown> } {
  const declaration = customsDeclaration(merchant, order, shipment);
  if (!declaration) return {};
  const amount = (minor: number) => minor / 10 ** currencyDigits(declaration.currency);
  return {
    customs: {
      commodities: declaration.lines.map((line) => ({
        weight: line.weightGrams,
        weight_unit: 'G',
        title: line.description.slice(0, 35),
        description: line.description.slice(0, 100),
        quantity: line.quantity,
        sku: line.sku.slice(0, 35),
        hs_code: line.hsCode,
        value_amount: amount(line.unitValue),
        value_currency: declaration.currency,
        origin_country: line.originCountry,
      })),
      content_type: returning ? 'return_merchandise' : 'merchandise',
      incoterm: returning ? 'DAP' : declaration.incoterm,
      invoice: declaration.invoice.slice(0, 50),
      commercial_invoice: true,
      certify: true,
      signer: merchant.name.slice(0, 50),
      // Who pays duties follows the incoterm: the sender under DDP, the recipient otherwise.
      duty: {
        paid_by: !returning && declaration.incoterm === 'DDP' ? 'sender' : 'recipient',
        currency: declaration.currency,
      },
      options: {
        ...(declaration.eori ? { eori_number: declaration.eori } : {}),
        ...(declaration.ioss && !returning ? { ioss: declaration.ioss } : {}),
      },
    },
  };
}
