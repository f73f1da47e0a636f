/**
 * The sandbox carrier: behaves like a real one for demos and tests. Its tracking numbers are real S10 numbers
 * (derived from the idempotency key, so a retried request gets the same number), and its labels are 4×6 in PDFs
 * with a scannable Code 128 barcode drawn by bwip-js and laid out with pdf-lib.
 */
import { createHash } from 'node:crypto';
import bwipjs from 'bwip-js';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { printable } from '../pdf-text.ts';
import type { CarrierAdapter, CarrierEvent, CreatedLabel, LabelRequest, TrackRequest } from './carrier-adapter.ts';
import { type JourneySettings, journeySoFar } from './sandbox-journey.ts';
import { s10TrackingNumber } from './tracking-number.ts';

const INCH = 72;

export class SandboxCarrier implements CarrierAdapter {
  readonly name = 'sandbox';
  readonly #journeys: JourneySettings;

  constructor(journeys: JourneySettings) {
    this.#journeys = journeys;
  }

  async track({ trackingNumber, shipment, labelledAt, now }: TrackRequest): Promise<CarrierEvent[]> {
    return journeySoFar(trackingNumber, shipment, labelledAt, now, this.#journeys);
  }

  async createLabel({
    idempotencyKey,
    merchant,
    order,
    shipment,
    returning = false,
  }: LabelRequest): Promise<CreatedLabel> {
    // Derived from the idempotency key: a retried request gets the same number. C is the S10 prefix of parcels;
    // the second letter and the serial carry the hash (26 × 10⁸ numbers per origin country).
    const hash = createHash('sha256').update(idempotencyKey).digest();
    const service = `C${String.fromCharCode(65 + ((hash[4] ?? 0) % 26))}`;
    const warehouse = merchant.warehouseById.get(shipment.warehouse);
    const trackingNumber = s10TrackingNumber(service, hash.readUInt32BE(0), warehouse?.country ?? 'FR');

    const pdf = await PDFDocument.create();
    pdf.setTitle(`Label ${trackingNumber}`);
    pdf.setCreator('Promesse sandbox carrier');
    const page = pdf.addPage([4 * INCH, 6 * INCH]);
    const regular = await pdf.embedFont(StandardFonts.Helvetica);
    const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
    let y = 6 * INCH - 28;
    const line = (text: string, size = 10, font = regular) => {
      page.drawText(printable(text), { x: 18, y, size, font, color: rgb(0, 0, 0) });
      y -= size + 4;
    };
    line(`${shipment.carrier.toUpperCase()} · ${shipment.service}`, 12, bold);
    line(
      `Ship by ${shipment.dispatchDate} · deliver ${shipment.promisedDelivery.earliest} to ${shipment.promisedDelivery.latest}`,
      8,
    );
    y -= 6;
    const to = order.shippingAddress;
    const shopper = () => {
      line(to.name, 14, bold);
      line(to.line1, 12);
      if (to.line2) line(to.line2, 12);
      line(`${to.postalCode} ${to.city}`, 14, bold);
      line(to.country, 12);
    };
    const warehouseLines = (size: number) => {
      line(merchant.name, size, size > 10 ? bold : regular);
      line(`${warehouse?.name ?? shipment.warehouse}, ${warehouse?.country ?? ''}`, size);
      const address = warehouse?.address;
      if (address) {
        line(address.line1, size);
        line(`${address.postalCode} ${address.city}`, size);
      }
    };
    // A return goes from the shopper back to the warehouse.
    line(returning ? 'RETURN · FROM' : 'FROM', 8, bold);
    if (returning) shopper();
    else warehouseLines(10);
    y -= 10;
    line('TO', 8, bold);
    if (returning) warehouseLines(14);
    else shopper();
    y -= 10;
    line(`Order ${order.reference} · ${shipment.items.map((i) => `${i.quantity}× ${i.sku}`).join(', ')}`, 8);

    const barcode = await bwipjs.toBuffer({
      bcid: 'code128',
      text: trackingNumber,
      scale: 3,
      height: 18,
      includetext: true,
      textxalign: 'center',
    });
    const image = await pdf.embedPng(barcode);
    const width = 4 * INCH - 36;
    page.drawImage(image, { x: 18, y: 24, width, height: (image.height / image.width) * width });
    return { trackingNumber, pdf: await pdf.save() };
  }

  async cancelLabel(): Promise<void> {
    // The sandbox keeps no state of its own: a cancelled label simply never gets scanned.
  }
}
