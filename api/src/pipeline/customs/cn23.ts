/**
 * The CN23 customs declaration of a parcel (UPU form CN 23, CONTRACT §9), as an A4 PDF laid out with pdf-lib:
 * sender with EORI, addressee, the category of item (sale of goods), one row per content line (description,
 * quantity, net weight, value, HS tariff number, country of origin), the totals, the incoterm, the IOSS number
 * where it applies, the invoice (the order's reference), and the date and signature line.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { Order, Shipment } from '../../../../shared/src/orders.ts';
import type { CustomsDeclaration } from '../../booking/customs.ts';
import { currencyDigits } from '../../booking/money.ts';
import type { Merchant } from '../../promise/merchant.ts';
import { printable } from '../pdf-text.ts';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 40;

/** An amount in minor units as a plain decimal (`12.90`). */
function decimal(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

const kilograms = (grams: number) => (grams / 1000).toFixed(3);

export interface Cn23Input {
  merchant: Merchant;
  order: Order;
  shipment: Shipment;
  declaration: CustomsDeclaration;
  trackingNumber: string;
  /** the declaration's date, YYYY-MM-DD */
  date: string;
}

export async function cn23Pdf({ merchant, order, shipment, declaration, trackingNumber, date }: Cn23Input) {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`CN23 ${trackingNumber}`);
  pdf.setSubject(`Customs declaration of shipment ${shipment.id} (order ${order.reference})`);
  pdf.setCreator('Promesse');
  const page = pdf.addPage(A4);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let y = A4[1] - MARGIN;
  const text = (value: string, x: number, size = 9, font: PDFFont = regular) =>
    page.drawText(printable(value), { x, y, size, font, color: rgb(0, 0, 0) });
  const line = (value: string, size = 9, font: PDFFont = regular) => {
    text(value, MARGIN, size, font);
    y -= size + 4;
  };

  line('CN 23  CUSTOMS DECLARATION / DECLARATION EN DOUANE', 14, bold);
  line(`Tracking number: ${trackingNumber}    Shipment: ${shipment.id}    Order: ${order.reference}`, 8);
  y -= 8;

  const warehouse = merchant.warehouseById.get(shipment.warehouse);
  const from = warehouse?.address;
  const address = order.shippingAddress;
  const top = y;
  line('FROM / EXPEDITEUR', 8, bold);
  for (const part of [
    merchant.name,
    from?.name ?? warehouse?.name ?? '',
    from?.line1 ?? '',
    from?.line2 ?? '',
    `${from?.postalCode ?? ''} ${from?.city ?? ''}`.trim(),
    declaration.from,
    `EORI: ${declaration.eori ?? ''}`,
  ].filter(Boolean)) {
    line(part);
  }
  const bottom = y;
  y = top;
  const column = A4[0] / 2;
  const right = (value: string, size = 9, font: PDFFont = regular) => {
    text(value, column, size, font);
    y -= size + 4;
  };
  right('TO / DESTINATAIRE', 8, bold);
  for (const part of [
    address.name,
    address.line1,
    address.line2 ?? '',
    `${address.postalCode} ${address.city}`,
    declaration.to,
    address.phone ? `Tel: ${address.phone}` : '',
  ].filter(Boolean)) {
    right(part);
  }
  y = Math.min(y, bottom) - 10;

  line("Category of item / Categorie de l'envoi:  [X] Sale of goods / Vente de marchandises", 9, bold);
  y -= 6;
  const columns = [MARGIN, 260, 310, 380, 450, 520];
  const row = (cells: string[], font: PDFFont = regular) => {
    for (const [i, cell] of cells.entries()) text(cell, columns[i] ?? MARGIN, 8, font);
    y -= 13;
  };
  row(
    ['Detailed description of contents', 'Qty', 'Net kg', `Value ${declaration.currency}`, 'HS tariff no.', 'Origin'],
    bold,
  );
  page.drawLine({ start: { x: MARGIN, y: y + 9 }, end: { x: A4[0] - MARGIN, y: y + 9 }, thickness: 0.5 });
  for (const item of declaration.lines) {
    row([
      `${item.description} (${item.sku})`.slice(0, 48),
      String(item.quantity),
      kilograms(item.weightGrams * item.quantity),
      decimal(item.unitValue * item.quantity, declaration.currency),
      item.hsCode ?? '',
      item.originCountry ?? '',
    ]);
  }
  page.drawLine({ start: { x: MARGIN, y: y + 9 }, end: { x: A4[0] - MARGIN, y: y + 9 }, thickness: 0.5 });
  row(
    [
      'Total',
      '',
      kilograms(declaration.totalWeightGrams),
      decimal(declaration.totalValue, declaration.currency),
      '',
      '',
    ],
    bold,
  );
  y -= 8;
  line(
    `Total weight (net): ${kilograms(declaration.totalWeightGrams)} kg    Total value: ${decimal(declaration.totalValue, declaration.currency)} ${declaration.currency}`,
  );
  line(`Postal charges / Fees: ${decimal(order.totals.shipping, declaration.currency)} ${declaration.currency}`);
  line(`Incoterm: ${declaration.incoterm}    Invoice: ${declaration.invoice}`);
  if (declaration.iossApplies) line(`IOSS: ${declaration.ioss ?? ''}`);
  y -= 14;
  line('I certify that the particulars given in this customs declaration are correct and that this item does not', 8);
  line('contain any dangerous article prohibited by legislation or by postal or customs regulations.', 8);
  y -= 6;
  line(`Date and sender's signature: ${date}  ${merchant.name}`, 9, bold);
  drawFrame(page);
  return pdf.save();
}

function drawFrame(page: PDFPage): void {
  page.drawRectangle({
    x: MARGIN / 2,
    y: MARGIN / 2,
    width: A4[0] - MARGIN,
    height: A4[1] - MARGIN,
    borderWidth: 0.5,
    borderColor: rgb(0, 0, 0),
  });
}
