/**
 * What the pipeline does with the booking's outbox messages: a label for every requested shipment (once, even
 * when the job runs twice), and the carrier told when a labelled shipment is cancelled.
 */
import type { Order } from '../../../shared/src/orders.ts';
import { advance } from '../booking/order-status.ts';
import type { MerchantRegistry } from '../merchants/registry.ts';
import type { OutboxJob, Store } from '../store/store.ts';
import { adapterOf } from './carriers/adapters.ts';
import type { CarrierAdapter } from './carriers/carrier-adapter.ts';
import type { JobHandler } from './outbox-relay.ts';

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

export function shipmentJobs(deps: ShipmentJobDependencies): Record<string, JobHandler> {
  const createLabel: JobHandler = async (job: OutboxJob) => {
    const { store } = deps;
    const shipmentId = String(job.payload.shipmentId);
    const order = await store.getOrder(job.merchantId, job.orderId);
    const shipment = order?.shipments.find((s) => s.id === shipmentId);
    const runtime = deps.merchants.byId(job.merchantId);
    if (!order || !shipment || !runtime || shipment.status !== 'pending') return; // cancelled, or labelled already
    const adapter = adapterFor(deps, job.merchantId, shipment.carrier);
    const created = await adapter.createLabel({
      idempotencyKey: shipment.id,
      merchant: runtime.merchant,
      order,
      shipment,
    });
    const now = deps.clock();
    const label = await store.saveLabel(
      job.merchantId,
      { shipmentId, orderId: order.id, carrier: shipment.carrier, ...created },
      now,
    );
    const at = new Date(now).toISOString();
    await store.changeOrder<'unchanged'>(job.merchantId, order.id, (current) => {
      const target = current.shipments.find((s) => s.id === shipmentId);
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
  };

  const cancelLabels: JobHandler = async (job) => {
    const order = await deps.store.getOrder(job.merchantId, job.orderId);
    for (const shipment of order?.shipments ?? []) {
      if (shipment.status === 'cancelled' && shipment.trackingNumber) {
        await adapterFor(deps, job.merchantId, shipment.carrier).cancelLabel(shipment.trackingNumber);
      }
    }
  };

  return { 'shipment.requested': createLabel, 'order.cancelled': cancelLabels };
}
