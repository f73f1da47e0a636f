/**
 * What the pipeline does for returns: an approved return sent back with a label gets one from the carrier adapter
 * (once per return, its id the carrier's idempotency key), stored like an outbound label and watched by the
 * tracking poller, whose scans then move the return (decide-return's `trackReturn`). A carrier's refusal gives
 * up at once, after the return's timeline says why (a `carrier_refused` exception follows from the dead job).
 */
import type { MerchantRegistry } from '../merchants/registry.ts';
import { adapterOf, type CarrierAdapters } from '../pipeline/carriers/adapters.ts';
import { CarrierRefused } from '../pipeline/carriers/carrier-adapter.ts';
import { type JobHandler, RetryAt } from '../pipeline/outbox-relay.ts';
import type { OutboxJob, Store } from '../store/store.ts';
import { labelReturn, returnParcel } from './decide-return.ts';

export interface ReturnJobDependencies {
  store: Store;
  merchants: MerchantRegistry;
  adapters: CarrierAdapters;
  clock: () => number;
}

export function returnJobs(deps: ReturnJobDependencies): Record<string, JobHandler> {
  const { store } = deps;

  const createLabel: JobHandler = async (job: OutboxJob) => {
    const returnId = String(job.payload.returnId);
    const merchant = deps.merchants.byId(job.merchantId)?.merchant;
    const order = await store.getOrder(job.merchantId, job.orderId);
    const ret = order?.returns?.find((r) => r.id === returnId);
    if (!merchant || !order || ret?.method !== 'label' || ret.status !== 'approved' || ret.label) return;
    const { shipment } = returnParcel(order, ret, merchant);
    const { name, adapter } = adapterOf(deps.adapters, merchant, shipment.carrier);
    if (!adapter) throw new Error(`no carrier adapter "${name}" for carrier ${shipment.carrier}`);
    let created: Awaited<ReturnType<typeof adapter.createLabel>>;
    try {
      created = await adapter.createLabel({ idempotencyKey: ret.id, merchant, order, shipment, returning: true });
    } catch (error) {
      if (!(error instanceof CarrierRefused)) throw error;
      const at = deps.clock();
      await store.changeOrder<'unchanged'>(job.merchantId, order.id, (current) => {
        const target = current.returns?.find((r) => r.id === returnId);
        if (!target) return { ok: false, error: 'unchanged' };
        const entry = {
          at: new Date(at).toISOString(),
          type: 'return.label_refused',
          actor: `carrier:${shipment.carrier}`,
          message: `The carrier refused the return label: ${error.message}`,
        };
        const next = { ...target, timeline: [...target.timeline, entry] };
        return {
          ok: true,
          order: {
            ...current,
            updatedAt: entry.at,
            returns: (current.returns ?? []).map((r) => (r.id === returnId ? next : r)),
            timeline: [...current.timeline, { ...entry, returnId }],
          },
        };
      });
      throw new RetryAt(null, `carrier refused the return label: ${error.message}`, { cause: error });
    }
    const now = deps.clock();
    const label = await store.saveLabel(
      job.merchantId,
      { shipmentId: ret.id, orderId: order.id, carrier: shipment.carrier, ...created },
      now,
    );
    await store.changeOrder<'unchanged'>(job.merchantId, order.id, (current) => {
      const decision = labelReturn(
        current,
        returnId,
        { trackingNumber: label.trackingNumber, carrier: shipment.carrier, service: shipment.service },
        { merchant, actor: `carrier:${shipment.carrier}`, now },
      );
      if (!decision?.ok) return { ok: false, error: 'unchanged' };
      return { ok: true, order: decision.order, outbox: decision.outbox };
    });
  };

  return { 'return.approved': createLabel };
}
