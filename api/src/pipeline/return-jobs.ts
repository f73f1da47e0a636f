/**
 * What the pipeline does for returns: an approved return sent back with a label gets one from the carrier adapter
 * (once per return, its id the carrier's idempotency key), stored like an outbound label and watched by the
 * tracking poller, whose scans then move the return (decide-return's `trackReturn`); a rejected return's label
 * is voided. Both run under a key of their own, so that the order's events never wait behind a carrier. A
 * carrier's refusal gives up at once, after the return's timeline says why (the dead job opens a
 * `carrier_refused` exception).
 */
import type { MerchantRegistry } from '../merchants/registry.ts';
import type { Merchant } from '../promise/merchant.ts';
import { labelReturn, noteOnReturn, RETURN_LABEL, RETURN_LABEL_VOID, returnParcel } from '../returns/decide-return.ts';
import type { OutboxJob, Store } from '../store/store.ts';
import { adapterOf, type CarrierAdapters } from './carriers/adapters.ts';
import { type CarrierAdapter, CarrierRefused } from './carriers/carrier-adapter.ts';
import { type JobHandler, RetryAt } from './outbox-relay.ts';

export interface ReturnJobDependencies {
  store: Store;
  merchants: MerchantRegistry;
  adapters: CarrierAdapters;
  clock: () => number;
}

export function returnJobs(deps: ReturnJobDependencies): Record<string, JobHandler> {
  const { store } = deps;
  const orderOf = (job: OutboxJob) => String(job.payload.orderId);
  const returnOf = (job: OutboxJob) => String(job.payload.returnId);

  /** The return a job is about, its order, its merchant, its parcel and the parcel's carrier adapter. */
  const load = async (job: OutboxJob) => {
    const merchant = deps.merchants.byId(job.merchantId)?.merchant;
    const order = await store.getOrder(job.merchantId, orderOf(job));
    const ret = order?.returns?.find((r) => r.id === returnOf(job));
    if (!merchant || !order || !ret) return null;
    const { shipment } = returnParcel(order, ret, merchant);
    const { name, adapter } = adapterOf(deps.adapters, merchant, shipment.carrier);
    if (!adapter) throw new Error(`no carrier adapter "${name}" for carrier ${shipment.carrier}`);
    return { merchant, order, ret, shipment, adapter };
  };

  const note = (job: OutboxJob, carrier: string, type: string, message: string) =>
    store.changeOrder<'unchanged'>(job.merchantId, orderOf(job), (current) => {
      const order = noteOnReturn(
        current,
        returnOf(job),
        { type, message },
        {
          actor: `carrier:${carrier}`,
          now: deps.clock(),
        },
      );
      return order ? { ok: true, order } : { ok: false, error: 'unchanged' };
    });

  const voidLabel = async (
    job: OutboxJob,
    merchant: Merchant,
    adapter: CarrierAdapter,
    shipment: ReturnType<typeof returnParcel>['shipment'],
    trackingNumber: string,
  ) => {
    try {
      await adapter.cancelLabel({ merchant, shipment, trackingNumber });
    } catch (error) {
      if (!(error instanceof CarrierRefused)) throw error;
      throw new RetryAt(null, `carrier refused to void return label ${trackingNumber}: ${error.message}`, {
        cause: error,
      });
    }
    await store.rescheduleTracking(job.merchantId, shipment.id, null);
    await note(job, shipment.carrier, 'return.label_cancelled', `Return label ${trackingNumber} voided.`);
  };

  const createLabel: JobHandler = async (job) => {
    const found = await load(job);
    if (!found) return;
    const { merchant, order, ret, shipment, adapter } = found;
    if (ret.method !== 'label' || ret.status !== 'approved' || ret.label) return; // received by hand, or rejected
    let created: Awaited<ReturnType<CarrierAdapter['createLabel']>>;
    try {
      created = await adapter.createLabel({ idempotencyKey: ret.id, merchant, order, shipment, returning: true });
    } catch (error) {
      if (!(error instanceof CarrierRefused)) throw error;
      await note(
        job,
        shipment.carrier,
        'return.label_refused',
        `The carrier refused the return label: ${error.message}`,
      );
      throw new RetryAt(null, `carrier refused the return label: ${error.message}`, { cause: error });
    }
    const now = deps.clock();
    const label = await store.saveLabel(
      job.merchantId,
      { shipmentId: ret.id, orderId: order.id, carrier: shipment.carrier, ...created },
      now,
    );
    const labelled = { trackingNumber: label.trackingNumber, carrier: shipment.carrier, service: shipment.service };
    let unwanted = false;
    await store.changeOrder<'unchanged'>(job.merchantId, order.id, (current) => {
      const decision = labelReturn(current, ret.id, labelled, { merchant, actor: `carrier:${shipment.carrier}`, now });
      const target = current.returns?.find((r) => r.id === ret.id);
      // Received by hand or rejected while the label was being bought: nobody will ship on it.
      unwanted = !decision && target?.label?.trackingNumber !== label.trackingNumber;
      return decision?.ok
        ? { ok: true, order: decision.order, outbox: decision.outbox }
        : { ok: false, error: 'unchanged' };
    });
    if (unwanted) await voidLabel(job, merchant, adapter, shipment, label.trackingNumber);
  };

  const voidRejected: JobHandler = async (job) => {
    const found = await load(job);
    if (!found?.ret.label || found.ret.status !== 'rejected') return;
    if (found.ret.timeline.some((t) => t.type === 'return.label_cancelled')) return; // voided already
    await voidLabel(job, found.merchant, found.adapter, found.shipment, found.ret.label.trackingNumber);
  };

  return { [RETURN_LABEL]: createLabel, [RETURN_LABEL_VOID]: voidRejected };
}
