/**
 * Returns (CONTRACT §9) as pure decisions on the order that holds them: who may return what (the merchant's
 * window from each delivery, its non-returnable skus and reasons, and at most what was delivered minus what is
 * already coming back), each step of a return's life, what an inspection restocks, and the refund it is owed.
 * The store applies a decision in the order's own transaction, so two requests for the last returnable unit
 * see each other: one is taken, the other refused.
 */
import type { ErrorDetail } from '../../../shared/src/errors.ts';
import type { Order, Shipment } from '../../../shared/src/orders.ts';
import type {
  InspectRequest,
  Refund,
  Return,
  ReturnLine,
  ReturnReason,
  ReturnRequest,
  ReturnStatus,
} from '../../../shared/src/returns.ts';
import type { OutboxMessage } from '../booking/outbox-message.ts';
import { isoFromDay } from '../promise/local-date.ts';
import type { Merchant } from '../promise/merchant.ts';
import { localDateTime } from '../promise/zone.ts';

/** Units that come back on hand (a return's resellable units), with the return they came in. */
export interface Restock {
  warehouse: string;
  sku: string;
  quantity: number;
  note: string;
}

/** The pipeline's jobs a return asks for: its label bought, its label voided. Not events: nobody subscribes. */
export const RETURN_LABEL = 'return.label_requested';
export const RETURN_LABEL_VOID = 'return.label_void';

/** Reasons that put the fault on the merchant: no label fee, damaged units refunded, shipping per the policy. */
export const MERCHANT_FAULT: ReadonlySet<ReturnReason> = new Set(['damaged', 'wrong_item', 'not_as_described']);

/** What a return decision refuses: `invalid` (422) or `conflict` (409), with a stable code. */
export interface ReturnError {
  type: 'invalid' | 'conflict';
  code: 'not_returnable' | 'invalid_state' | 'validation_failed';
  message: string;
  details?: (ErrorDetail | Record<string, unknown>)[];
}

export type ReturnDecision =
  | { ok: true; order: Order; ret: Return; outbox: OutboxMessage[]; restocks?: Restock[]; opened?: boolean }
  | { ok: false; error: ReturnError };

/** Who acts, and when. */
export interface ReturnContext {
  merchant: Merchant;
  actor: string;
  now: number;
}

/**
 * The returns that count against what can be returned: all but those rejected before their parcel arrived (a
 * return rejected once received holds units that are back at the warehouse).
 */
const counting = (ret: Return) => ret.status !== 'rejected' || ret.timeline.some((t) => t.type === 'return.received');

/** One delivered shipment's units of a sku, and the last local date a return of them may be asked on. */
export interface Returnable {
  shipmentId: string;
  sku: string;
  /** delivered, minus what returns already take */
  quantity: number;
  lastDay: string;
  open: boolean;
}

/**
 * What each delivered shipment can still take back at `now`: its units per sku, minus the lines of returns not
 * rejected. The window runs from the delivery's local date (the shipping warehouse's zone) through
 * `returns.windowDays` days later, whole days.
 */
export function returnables(order: Order, merchant: Merchant, now: number): Returnable[] {
  const out: Returnable[] = [];
  for (const shipment of order.shipments) {
    if (!shipment.deliveredAt || shipment.status === 'cancelled') continue;
    const zone = merchant.warehouseById.get(shipment.warehouse)?.timeZone ?? 'UTC';
    const delivered = localDateTime(Date.parse(shipment.deliveredAt), zone).day;
    const last = delivered + merchant.returns.windowDays;
    const open = localDateTime(now, zone).day <= last;
    for (const item of shipment.items) {
      const taken = (order.returns ?? [])
        .filter(counting)
        .flatMap((r) => r.items)
        .filter((line) => line.shipmentId === shipment.id && line.sku === item.sku)
        .reduce((sum, line) => sum + line.quantity, 0);
      out.push({
        shipmentId: shipment.id,
        sku: item.sku,
        quantity: Math.max(0, item.quantity - taken),
        lastDay: isoFromDay(last),
        open,
      });
    }
  }
  return out;
}

const refused = (message: string, details: (ErrorDetail | Record<string, unknown>)[]): ReturnDecision => ({
  ok: false,
  error: { type: 'invalid', code: 'not_returnable', message, details },
});

const units = (lines: readonly { sku: string; quantity: number }[]) =>
  lines.map((l) => `${l.quantity}× ${l.sku}`).join(', ');

/**
 * A return's step: its changes and a timeline entry, on its own timeline and (unless `orderTimeline` is false: a
 * carrier's scan that changes nothing) the order's, with the return's id.
 */
function stepped(
  order: Order,
  ret: Return,
  change: Partial<Return>,
  entry: { type: string; message: string; at?: string },
  { actor, now }: { actor: string; now: number },
  orderTimeline = true,
): { order: Order; ret: Return } {
  const updatedAt = new Date(now).toISOString();
  const at = entry.at ?? updatedAt;
  const line = { at, type: entry.type, actor, message: entry.message };
  const next: Return = { ...ret, ...change, updatedAt, timeline: [...ret.timeline, line] };
  const returns = (order.returns ?? []).some((r) => r.id === ret.id)
    ? (order.returns ?? []).map((r) => (r.id === ret.id ? next : r))
    : [...(order.returns ?? []), next];
  const timeline = orderTimeline
    ? [...order.timeline, { ...line, message: `${ret.id}: ${entry.message}`, returnId: ret.id }]
    : order.timeline;
  return { ret: next, order: { ...order, returns, updatedAt, timeline } };
}

/** A return's step noted on its timeline without a change of status (a refused label, a voided one). */
export function noteOnReturn(
  order: Order,
  returnId: string,
  entry: { type: string; message: string },
  context: { actor: string; now: number },
): Order | null {
  const ret = order.returns?.find((r) => r.id === returnId);
  return ret ? stepped(order, ret, {}, entry, context).order : null;
}

const announce = (type: string, order: Order, ret: Return, extra: Record<string, unknown> = {}): OutboxMessage => ({
  type,
  orderId: order.id,
  payload: { orderId: order.id, returnId: ret.id, status: ret.status, ...extra },
});

/**
 * A job of the return's own (its label bought or voided): under a key of its own, so that the order's events
 * never wait behind a carrier, and the order it is about in its payload.
 */
const returnJob = (type: string, order: Order, ret: Return): OutboxMessage => ({
  type,
  orderId: `${order.id}:${ret.id}`,
  payload: { orderId: order.id, returnId: ret.id },
});

/** What an approval announces, and the label it asks for when the return goes back with one. */
const approval = (order: Order, ret: Return): OutboxMessage[] => [
  announce('return.approved', order, ret),
  ...(ret.method === 'label' ? [returnJob(RETURN_LABEL, order, ret)] : []),
];

/**
 * A shopper's request: every line checked (a reason the merchant takes, a sku it takes back, units delivered
 * within the window and not already coming back), then the units taken from the delivered shipments, oldest
 * delivery first. Approved at once under `returns.autoApprove`.
 */
export function requestReturn(
  order: Order,
  request: ReturnRequest,
  id: string,
  context: ReturnContext,
): ReturnDecision {
  const { merchant, now } = context;
  const policy = merchant.returns;
  const problems: (ErrorDetail | Record<string, unknown>)[] = [];
  if (!policy.methods.includes(request.method)) problems.push({ field: 'method', code: 'method_not_offered' });
  const available = returnables(order, merchant, now).sort((a, b) => {
    const at = (r: Returnable) => order.shipments.find((s) => s.id === r.shipmentId)?.deliveredAt ?? '';
    return at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0;
  });
  const wanted = new Map<string, number>();
  for (const line of request.items) wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantity);
  request.items.forEach((line, i) => {
    if (!policy.reasons.includes(line.reason))
      problems.push({ field: `items[${i}].reason`, code: 'reason_not_accepted' });
    if (policy.nonReturnableSkus.has(line.sku)) {
      problems.push({ field: `items[${i}].sku`, code: 'not_returnable_sku' });
      return;
    }
    const ofSku = available.filter((r) => r.sku === line.sku);
    if (ofSku.length === 0) {
      const ordered = order.items.some((item) => item.sku === line.sku);
      problems.push({ field: `items[${i}].sku`, code: ordered ? 'not_delivered' : 'not_in_order' });
      return;
    }
    const inWindow = ofSku.filter((r) => r.open);
    if (inWindow.length === 0) {
      const lastDay = ofSku
        .map((r) => r.lastDay)
        .sort()
        .at(-1);
      problems.push({ field: `items[${i}].sku`, code: 'window_closed', lastDay });
      return;
    }
    const returnable = inWindow.reduce((sum, r) => sum + r.quantity, 0);
    // Reported once per sku, on its first line, when the lines of the sku together ask for too much.
    const first = request.items.findIndex((other) => other.sku === line.sku) === i;
    if (first && (wanted.get(line.sku) ?? 0) > returnable)
      problems.push({ field: `items[${i}].quantity`, code: 'more_than_returnable', returnable });
  });
  if (problems.length > 0) return refused('These items cannot be returned.', problems);

  const lines: ReturnLine[] = [];
  const left = new Map(available.filter((r) => r.open).map((r) => [`${r.shipmentId}|${r.sku}`, r.quantity]));
  for (const line of request.items) {
    let quantity = line.quantity;
    for (const r of available) {
      if (quantity === 0) break;
      if (!r.open || r.sku !== line.sku) continue;
      const key = `${r.shipmentId}|${r.sku}`;
      const take = Math.min(quantity, left.get(key) ?? 0);
      if (take === 0) continue;
      left.set(key, (left.get(key) ?? 0) - take);
      quantity -= take;
      const comment = line.comment !== undefined ? { comment: line.comment } : {};
      lines.push({ sku: line.sku, quantity: take, reason: line.reason, ...comment, shipmentId: r.shipmentId });
    }
  }
  // One parcel goes to one warehouse, and its units are restocked there: without a returns warehouse, the units of
  // one return come from one warehouse's shipments.
  const warehouseOf = (line: ReturnLine) => order.shipments.find((s) => s.id === line.shipmentId)?.warehouse ?? '';
  const warehouses = [...new Set(lines.map(warehouseOf))];
  if (policy.warehouse === null && warehouses.length > 1)
    return refused('These items were shipped from several warehouses: return them one warehouse at a time.', [
      { field: 'items', code: 'several_warehouses', warehouses },
    ]);
  const at = new Date(now).toISOString();
  const draft: Return = {
    id,
    orderId: order.id,
    status: 'requested',
    method: request.method,
    items: lines,
    warehouse: policy.warehouse ?? warehouses[0] ?? '',
    label: null,
    inspection: null,
    refund: null,
    createdAt: at,
    updatedAt: at,
    timeline: [],
  };
  const asked = stepped(
    order,
    draft,
    {},
    { type: 'return.requested', message: `Return requested (${request.method}): ${units(lines)}.` },
    context,
  );
  const outbox = [announce('return.requested', asked.order, asked.ret)];
  if (!policy.autoApprove) return { ok: true, ...asked, outbox, opened: true };
  const approved = stepped(
    asked.order,
    asked.ret,
    { status: 'approved' },
    { type: 'return.approved', message: 'Approved by the returns policy.' },
    { ...context, actor: 'system' },
  );
  return {
    ok: true,
    ...approved,
    outbox: [...outbox, ...approval(approved.order, approved.ret)],
    opened: true,
  };
}

/** The steps a merchant takes by hand: the statuses each starts from, where it leads, and how it reads. */
export const ACTIONS = {
  approve: { from: ['requested'], to: 'approved', done: 'Approved', verb: 'approved' },
  reject: {
    from: ['requested', 'approved', 'label_created', 'received'],
    to: 'rejected',
    done: 'Rejected',
    verb: 'rejected',
  },
  receive: {
    from: ['approved', 'label_created', 'in_transit'],
    to: 'received',
    done: 'Received at the warehouse',
    verb: 'received',
  },
  refund: {
    from: ['inspected'],
    to: 'refunded',
    done: "Refund handed to the merchant's systems",
    verb: 'refunded',
  },
} as const satisfies Record<string, { from: readonly ReturnStatus[]; to: ReturnStatus; done: string; verb: string }>;

export type ReturnAction = keyof typeof ACTIONS;

function wrongState(ret: Return, verb: string): ReturnDecision {
  return {
    ok: false,
    error: {
      type: 'conflict',
      code: 'invalid_state',
      message: `Return ${ret.id} is ${ret.status}: it cannot be ${verb}.`,
    },
  };
}

/**
 * Approve, reject, receive or refund a return, from the statuses each allows. A rejected return's label, if it
 * has one that has not moved, is voided; an approved label return gets its label.
 */
export function actOnReturn(
  order: Order,
  returnId: string,
  action: ReturnAction,
  note: string | undefined,
  context: ReturnContext,
): ReturnDecision | null {
  const ret = order.returns?.find((r) => r.id === returnId);
  if (!ret) return null;
  const step = ACTIONS[action];
  if (!(step.from as readonly ReturnStatus[]).includes(ret.status)) return wrongState(ret, step.verb);
  const message = `${step.done}${note ? `: ${note}` : '.'}`;
  const done = stepped(order, ret, { status: step.to }, { type: `return.${step.to}`, message }, context);
  const outbox =
    action === 'approve'
      ? approval(done.order, done.ret)
      : [
          announce(`return.${step.to}`, done.order, done.ret, action === 'refund' ? { refund: done.ret.refund } : {}),
          ...(action === 'reject' && ret.label ? [returnJob(RETURN_LABEL_VOID, done.order, done.ret)] : []),
        ];
  return { ok: true, ...done, outbox };
}

/**
 * The inspection of a received return: every unit it holds, each resellable or damaged. Resellable units go back
 * on hand at the return's warehouse (a bundle as its components) with a `return` ledger line; damaged ones are
 * recorded. The refund is computed now and handed on when the merchant refunds.
 */
export function inspectReturn(
  order: Order,
  returnId: string,
  request: InspectRequest,
  context: ReturnContext,
): ReturnDecision | null {
  const ret = order.returns?.find((r) => r.id === returnId);
  if (!ret) return null;
  if (ret.status !== 'received') return wrongState(ret, 'inspected');
  const expected = totals(ret.items);
  const inspected = totals(request.items);
  const problems: ErrorDetail[] = [];
  for (const sku of new Set([...expected.keys(), ...inspected.keys()])) {
    const want = expected.get(sku) ?? 0;
    const got = inspected.get(sku) ?? 0;
    if (want === got) continue;
    const index = request.items.findIndex((i) => i.sku === sku);
    problems.push({
      field: index >= 0 ? `items[${index}].quantity` : 'items',
      code: want > 0 ? 'does_not_match_return' : 'not_in_return',
      ...{ sku, expected: want, inspected: got },
    });
  }
  if (problems.length > 0) {
    return {
      ok: false,
      error: {
        type: 'invalid',
        code: 'validation_failed',
        message: 'An inspection accounts for every unit of the return, each resellable or damaged.',
        details: problems,
      },
    };
  }
  const { merchant } = context;
  const restocks: Restock[] = [];
  for (const item of request.items) {
    if (item.condition !== 'resellable') continue;
    for (const unit of merchant.products.get(item.sku)?.stockUnits ?? [{ sku: item.sku, quantity: 1 }]) {
      const quantity = unit.quantity * item.quantity;
      const same = restocks.find((r) => r.sku === unit.sku);
      if (same) same.quantity += quantity;
      else restocks.push({ warehouse: ret.warehouse, sku: unit.sku, quantity, note: `return ${ret.id}` });
    }
  }
  const at = new Date(context.now).toISOString();
  const inspection = { at, items: request.items.map(({ sku, quantity, condition }) => ({ sku, quantity, condition })) };
  const refund = refundOf(order, ret, inspection.items, merchant);
  const damaged = request.items.filter((i) => i.condition === 'damaged');
  const message = `Inspected: ${units(request.items.filter((i) => i.condition === 'resellable')) || 'nothing'} resellable${damaged.length ? `, ${units(damaged)} damaged` : ''}; refund ${refund.total} ${refund.currency} (minor units).`;
  const done = stepped(
    order,
    ret,
    { status: 'inspected', inspection, refund },
    { type: 'return.inspected', message },
    context,
  );
  return { ok: true, ...done, restocks, outbox: [announce('return.inspected', done.order, done.ret, { refund })] };
}

function totals(lines: readonly { sku: string; quantity: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of lines) out.set(line.sku, (out.get(line.sku) ?? 0) + line.quantity);
  return out;
}

/**
 * What a return is owed: resellable units at their order line's unit price; damaged ones too when the reason
 * puts the fault on the merchant (they arrived damaged, wrong or not as described), otherwise the shopper
 * returned them damaged and they are not. The label fee comes off for a label bought, unless the merchant is at
 * fault. The order's
 * shipping is refunded once, with the return that brings its last unit back, as `returns.refundShipping` says.
 */
export function refundOf(
  order: Order,
  ret: Return,
  inspected: readonly { sku: string; quantity: number; condition: string }[],
  merchant: Merchant,
): Refund {
  const policy = merchant.returns;
  const atFault = ret.items.some((line) => MERCHANT_FAULT.has(line.reason));
  const lines: Refund['lines'] = [];
  for (const [sku, all] of totals(inspected)) {
    const resellable = inspected
      .filter((i) => i.sku === sku && i.condition === 'resellable')
      .reduce((sum, i) => sum + i.quantity, 0);
    const faultUnits = ret.items
      .filter((line) => line.sku === sku && MERCHANT_FAULT.has(line.reason))
      .reduce((sum, line) => sum + line.quantity, 0);
    const quantity = Math.min(all, resellable + Math.min(all - resellable, faultUnits));
    const unitPrice = order.items.find((item) => item.sku === sku)?.unitPrice ?? 0;
    lines.push({ sku, quantity, amount: quantity * unitPrice });
  }
  const items = lines.reduce((sum, line) => sum + line.amount, 0);
  const back = (order.returns ?? [])
    .filter((r) => r.id !== ret.id && (r.status === 'inspected' || r.status === 'refunded'))
    .flatMap((r) => r.items)
    .reduce((sum, line) => sum + line.quantity, 0);
  const thisOne = ret.items.reduce((sum, line) => sum + line.quantity, 0);
  const ordered = order.items.reduce((sum, item) => sum + item.quantity, 0);
  const shippingRefunded = (order.returns ?? []).some((r) => r.id !== ret.id && (r.refund?.shipping ?? 0) > 0);
  const refundsShipping = policy.refundShipping === 'always' || (policy.refundShipping === 'merchant_fault' && atFault);
  const shipping = refundsShipping && !shippingRefunded && back + thisOne >= ordered ? order.totals.shipping : 0;
  const fee = ret.label !== null && !atFault ? Math.min(policy.labelFee, items + shipping) : 0;
  return { items, shipping, fee, total: items + shipping - fee, currency: order.totals.currency, lines };
}

/** The return parcel's tracking statuses that say the carrier has it, before its delivery. */
const MOVING: ReadonlySet<string> = new Set(['picked_up', 'in_transit', 'out_for_delivery', 'available_for_pickup']);

/** A tracking event as a return reads it. */
export interface ReturnScan {
  status: string | null;
  occurredAt: string;
  message: string;
  carrier: string;
}

/**
 * A return parcel's new scans (in time order): each on the return's timeline; the first that says the carrier
 * has it moves the return to `in_transit`, its delivery to the warehouse marks it `received`. Nothing moves a
 * return back, and a return received by hand or already inspected keeps its status.
 */
export function trackReturn(order: Order, ret: Return, scans: readonly ReturnScan[], now: number): ReturnDecision {
  let current = { order, ret };
  const outbox: OutboxMessage[] = [];
  for (const scan of scans) {
    const status = current.ret.status;
    const arrived = scan.status === 'delivered' && (status === 'label_created' || status === 'in_transit');
    const moving = scan.status !== null && MOVING.has(scan.status) && status === 'label_created';
    const next: ReturnStatus | null = arrived ? 'received' : moving ? 'in_transit' : null;
    const entry = { type: next ? `return.${next}` : 'return.tracking', message: scan.message, at: scan.occurredAt };
    const context = { actor: `carrier:${scan.carrier}`, now };
    current = stepped(current.order, current.ret, next ? { status: next } : {}, entry, context, next !== null);
    if (next) outbox.push(announce(`return.${next}`, current.order, current.ret));
  }
  const timeline = [...current.order.timeline].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { ok: true, order: { ...current.order, timeline }, ret: current.ret, outbox };
}

/** The return's label, bought: the return waits for the carrier's first scan. Null: the label is not wanted now. */
export function labelReturn(
  order: Order,
  returnId: string,
  label: { trackingNumber: string; carrier: string; service: string },
  context: ReturnContext,
): ReturnDecision | null {
  const ret = order.returns?.find((r) => r.id === returnId);
  if (ret?.status !== 'approved' || ret.label) return null; // received by hand meanwhile, or labelled already
  const message = `Return label created, tracking number ${label.trackingNumber}.`;
  const done = stepped(
    order,
    ret,
    { status: 'label_created', label },
    { type: 'return.label_created', message },
    context,
  );
  return { ok: true, ...done, outbox: [announce('return.label_created', done.order, done.ret, { label })] };
}

/** The carrier and service a return's label is bought from: the policy's, else the first shipment's. */
export function returnCarrier(order: Order, ret: Return, merchant: Merchant): { carrier: string; service: string } {
  if (merchant.returns.carrier) return merchant.returns.carrier;
  const shipment = order.shipments.find((s) => s.id === ret.items[0]?.shipmentId);
  return { carrier: shipment?.carrier ?? '', service: shipment?.service ?? '' };
}

const DAY = 86_400_000;

/** A return's status as its parcel's: none before the label, settled once it arrived (or never will). */
const PARCEL_STATUS: Record<ReturnStatus, Shipment['status']> = {
  requested: 'pending',
  approved: 'pending',
  label_created: 'label_created',
  in_transit: 'in_transit',
  received: 'delivered',
  inspected: 'delivered',
  refunded: 'delivered',
  rejected: 'cancelled',
};

/**
 * A return parcel as the carrier adapters and the tracking poller see a parcel: from the shopper to the return's
 * warehouse, its units, its label's carrier and tracking number, and a status read from the return's.
 */
export function returnParcel(
  order: Order,
  ret: Return,
  merchant: Merchant,
): { shipment: Shipment; labelledAt: string } {
  const labelledAt = ret.timeline.find((t) => t.type === 'return.label_created')?.at ?? ret.updatedAt;
  const { carrier, service } = ret.label ?? returnCarrier(order, ret, merchant);
  const day = (offset: number) => new Date(Date.parse(labelledAt) + offset * DAY).toISOString().slice(0, 10);
  const scans = ret.timeline.filter((t) => t.actor.startsWith('carrier:'));
  const status = PARCEL_STATUS[ret.status];
  return {
    labelledAt,
    shipment: {
      id: ret.id,
      warehouse: ret.warehouse,
      carrier,
      service,
      items: [...totals(ret.items)].map(([sku, quantity]) => ({ sku, quantity })),
      reservations: [],
      dispatchDate: day(0),
      promisedDelivery: { earliest: day(2), latest: day(5) },
      status,
      trackingNumber: ret.label?.trackingNumber ?? null,
      lastEventAt: scans.at(-1)?.at ?? null,
    },
  };
}
