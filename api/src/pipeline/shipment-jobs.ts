/**
 * What the pipeline does with the booking's outbox messages: a label for every requested shipment (once, even
 * when the job runs twice), and the carrier told when a labelled shipment is cancelled, so that its label is
 * voided. A carrier's refusal gives up at once (see CarrierRefused), after a timeline entry says why.
 */
import type { Order, Shipment } from '../../../shared/src/orders.ts';
import { advance } from '../booking/order-status.ts';
import type { MerchantRegistry } from '../merchants/registry.ts';
import type { Merchant } from '../promise/merchant.ts';
import type { OutboxJob, Store } from '../store/store.ts';
import { adapterOf } from './carriers/adapters.ts';
import { type CarrierAdapter, CarrierRefused } from './carriers/carrier-adapter.ts';
import { type JobHandler, RetryAt } from './outbox-relay.ts';

/** When a shipment's label was created (its timeline entry), else when the order was: when tracking can begin. */
export function labelledAt(order: Order, shipmentId: string): string {
  return (
    order.timeline.find((t) => t.type === 'shipment.label_created' && t.shipmentId === shipmentId)?.at ??
    order.createdAt
  );
}

export interface ShipmentJobDependencies {
  store: Store;
  merchants: MerchantRegistry;
  adapters: Readonly<Record<string, CarrierAdapter>>;
  clock: () => number;
}

function adapterFor(deps: ShipmentJobDependencies, merchantId: string, carrierId: string): CarrierAdapter {
  const { name, adapter } = adapterOf(deps.adapters, deps.merchants.byId(merchantId)?.merchant, carrierId);
  if (!adapter) throw new Error(`no carrier adapter "${name}" for carrier ${carrierId}`);
  return adapter;
}

/** The order with one more timeline entry about a shipment (status unchanged). */
function noted(order: Order, at: string, shipment: Shipment, type: string, message: string): Order {
  return {
    ...order,
    updatedAt: at,
    timeline: [...order.timeline, { at, type, actor: `carrier:${shipment.carrier}`, message, shipmentId: shipment.id }],
  };
}

/**
 * The order a shipment job is about: its payload says so (a held label's job runs under a key of its own, so
 * that the order's other jobs do not wait behind it), else its outbox order key.
 */
export const orderOf = (job: OutboxJob): string =>
  typeof job.payload.orderId === 'string' ? job.payload.orderId : job.orderId;

export function shipmentJobs(deps: ShipmentJobDependencies): Record<string, JobHandler> {
  const { store } = deps;

  /** The carrier refused the label: the order's timeline says so, and the job gives up (carrier_refused). */
  const refused = async (job: OutboxJob, shipment: Shipment, error: CarrierRefused): Promise<never> => {
    const at = new Date(deps.clock()).toISOString();
    await store.changeOrder<'unchanged'>(job.merchantId, orderOf(job), (current) => ({
      ok: true,
      order: noted(current, at, shipment, 'shipment.label_refused', `The carrier refused the label: ${error.message}`),
    }));
    throw new RetryAt(null, `carrier refused the label: ${error.message}`, { cause: error });
  };

  /**
   * Claims a pending shipment for its label before the carrier is called, in one transaction with the order: an
   * edit from then on is refused (edit-order's `editable`), so the label is bought for the order as it stands.
   * Returns the order as claimed, or null when there is nothing to label (cancelled, labelled already).
   */
  const claim = async (job: OutboxJob, shipmentId: string): Promise<Order | null> => {
    const at = new Date(deps.clock()).toISOString();
    const claimed = await store.changeOrder<'nothing'>(job.merchantId, orderOf(job), (current) => {
      const target = current.shipments.find((s) => s.id === shipmentId);
      if (target?.status !== 'pending') return { ok: false, error: 'nothing' };
      const already = current.timeline.some(
        (t) => t.type === 'shipment.label_requested' && t.shipmentId === shipmentId,
      );
      if (already) return { ok: true, order: current }; // a retry: claimed the first time
      return { ok: true, order: noted(current, at, target, 'shipment.label_requested', 'Buying the label.') };
    });
    return claimed?.ok ? claimed.order : null;
  };

  const createLabel: JobHandler = async (job: OutboxJob) => {
    const shipmentId = String(job.payload.shipmentId);
    const runtime = deps.merchants.byId(job.merchantId);
    const order = runtime ? await claim(job, shipmentId) : null;
    const shipment = order?.shipments.find((s) => s.id === shipmentId);
    if (!order || !shipment || !runtime) return; // cancelled, or labelled already
    const adapter = adapterFor(deps, job.merchantId, shipment.carrier);
    let created: Awaited<ReturnType<CarrierAdapter['createLabel']>>;
    try {
      created = await adapter.createLabel({ idempotencyKey: shipment.id, merchant: runtime.merchant, order, shipment });
    } catch (error) {
      if (error instanceof CarrierRefused) return refused(job, shipment, error);
      throw error;
    }
    const now = deps.clock();
    const label = await store.saveLabel(
      job.merchantId,
      { shipmentId, orderId: order.id, carrier: shipment.carrier, ...created },
      now,
    );
    const at = new Date(now).toISOString();
    const change = await store.changeOrder<'unchanged' | 'cancelled'>(job.merchantId, order.id, (current) => {
      const target = current.shipments.find((s) => s.id === shipmentId);
      if (target?.status === 'cancelled') return { ok: false, error: 'cancelled' };
      if (target?.status !== 'pending') return { ok: false, error: 'unchanged' };
      const shipments = current.shipments.map((s) =>
        s.id === shipmentId ? { ...s, status: 'label_created' as const, trackingNumber: label.trackingNumber } : s,
      );
      const next: Order = {
        ...current,
        shipments,
        status: advance(
          current.status,
          shipments.map((s) => s.status),
        ),
        updatedAt: at,
        timeline: [
          ...current.timeline,
          {
            at,
            type: 'shipment.label_created',
            actor: `carrier:${target.carrier}`,
            message: `Label created, tracking number ${label.trackingNumber}.`,
            shipmentId,
          },
        ],
      };
      const payload = { orderId: order.id, shipmentId, trackingNumber: label.trackingNumber };
      return { ok: true, order: next, outbox: [{ type: 'shipment.label_created', orderId: order.id, payload }] };
    });
    // Cancelled while the label was being bought: nothing will ever be shipped on it, so it is voided now.
    if (change && !change.ok && change.error === 'cancelled') {
      await voidLabel(runtime.merchant, shipment, label.trackingNumber, job);
    }
  };

  /** Voids a label and says so on the order's timeline. */
  const voidLabel = async (merchant: Merchant, shipment: Shipment, trackingNumber: string, job: OutboxJob) => {
    try {
      await adapterFor(deps, job.merchantId, shipment.carrier).cancelLabel({ merchant, shipment, trackingNumber });
    } catch (error) {
      if (!(error instanceof CarrierRefused)) throw error;
      throw new RetryAt(null, `carrier refused to void label ${trackingNumber}: ${error.message}`, { cause: error });
    }
    const at = new Date(deps.clock()).toISOString();
    await store.changeOrder<'unchanged'>(job.merchantId, orderOf(job), (current) =>
      current.timeline.some((t) => t.type === 'shipment.label_cancelled' && t.shipmentId === shipment.id)
        ? { ok: false, error: 'unchanged' }
        : {
            ok: true,
            order: noted(current, at, shipment, 'shipment.label_cancelled', `Label ${trackingNumber} voided.`),
          },
    );
  };

  const cancelLabels: JobHandler = async (job) => {
    const order = await store.getOrder(job.merchantId, orderOf(job));
    const merchant = deps.merchants.byId(job.merchantId)?.merchant;
    if (!order || !merchant) return;
    for (const shipment of order.shipments) {
      if (shipment.status !== 'cancelled' || !shipment.trackingNumber) continue;
      if (order.timeline.some((t) => t.type === 'shipment.label_cancelled' && t.shipmentId === shipment.id)) continue;
      await voidLabel(merchant, shipment, shipment.trackingNumber, job);
    }
  };

  return { 'shipment.requested': createLabel, 'order.cancelled': cancelLabels };
}
