/**
 * Orders from the shop platforms, booked from the outbox (CONTRACT §8). Each stored webhook body (or polled
 * PrestaShop order) is one `channel.order` job, ordered per platform order: it is read again with the
 * platform's reader and then booked exactly as `POST /v1/orders` would book it (idempotent on the platform's
 * order id, channel = the channel id, reference = the platform's order name), or the booked order cancelled. A
 * refusal (an unknown sku, no stock, no option, totals that do not add up) gives up at once: the relay's
 * `onDead` opens a `channel_order_failed` exception naming the platform's order, and replaying the job from the
 * outbox books it once the cause is fixed. Nothing in the messages is personal data: codes, fields, skus.
 */
import type { ChannelConfig } from '../../../shared/src/config.ts';
import type { MerchantRegistry } from '../merchants/registry.ts';
import { type JobHandler, RetryAt } from '../pipeline/outbox-relay.ts';
import { ServiceError } from '../service-error.ts';
import type { Booker, BookingService } from '../services/booking-service.ts';
import type { OutboxJob, Store } from '../store/store.ts';
import type { ChannelOrder } from './channel-order.ts';
import { parsePlatformJson } from './platform-json.ts';
import { readPrestaShopOrder } from './prestashop-order.ts';
import { readShopifyOrder } from './shopify-order.ts';
import { readWooCommerceOrder } from './woocommerce-order.ts';

export const CHANNEL_ORDER = 'channel.order';

/** The outbox's order key of a platform order: its jobs run in order. */
export const channelJobKey = (channelId: string, externalId: string) => `ch:${channelId}:${externalId}`;

/**
 * The idempotency key a platform order books under (scoped to the merchant, as every key). A header cannot
 * hold a line break, so no key a client sends to `POST /v1/orders` can take a channel order's.
 */
export const channelBookingKey = (channelId: string, externalId: string) => `channel\n${channelId}\n${externalId}`;

const PLATFORM_NAMES: Readonly<Record<ChannelConfig['type'], string>> = {
  shopify: 'Shopify',
  woocommerce: 'WooCommerce',
  prestashop: 'PrestaShop',
};

export interface ChannelJobDependencies {
  store: Store;
  merchants: MerchantRegistry;
  bookings: BookingService;
  clock: () => number;
}

/** A stored job's order, read with its channel's reader; null when the body is not what was stored. */
export function readChannelJob(channel: ChannelConfig, payload: OutboxJob['payload']): ChannelOrder | null {
  const body = typeof payload.body === 'string' ? parsePlatformJson(payload.body) : null;
  if (!body) return null;
  const topic = typeof payload.topic === 'string' ? payload.topic : '';
  if (channel.type === 'shopify') return readShopifyOrder(body, topic, channel);
  if (channel.type === 'woocommerce') return readWooCommerceOrder(body, topic, channel);
  return readPrestaShopOrder(body, channel, topic);
}

/** What a refusal says: its code, then each detail's field and code (and sku), never an address. */
function describe(error: ServiceError): string {
  const details = (error.details ?? []).map((d) => {
    const detail = d as Record<string, unknown>;
    return [detail.field, detail.code, detail.sku].filter((part) => typeof part === 'string').join(' ');
  });
  return details.length > 0 ? `${error.code} (${details.join('; ')})` : `${error.code}: ${error.message}`;
}

export function channelJobs(deps: ChannelJobDependencies): Record<string, JobHandler> {
  const handle: JobHandler = async (job) => {
    const runtime = deps.merchants.byId(job.merchantId);
    const channelId = String(job.payload.channelId);
    const channel = runtime?.channels.get(channelId);
    if (!runtime || !channel) throw new RetryAt(null, `The channel "${channelId}" is no longer configured.`);
    const order = readChannelJob(channel, job.payload);
    if (!order) throw new RetryAt(null, 'The stored body is not a JSON object.');
    const platform = PLATFORM_NAMES[channel.type];
    const giveUp = (what: string, why: string): never => {
      throw new RetryAt(null, `${platform} order ${order.name} (id ${order.externalId}) could not be ${what}: ${why}`);
    };
    const merchantId = runtime.merchant.id;
    const booker: Booker = { merchant: runtime, actor: `channel:${channel.id}` };
    const key = channelBookingKey(channel.id, order.externalId);
    const now = deps.clock();
    if (order.action === 'ignore') return;
    if (order.action === 'cancel') {
      const [booked] = await deps.store.findOrders(merchantId, { reference: order.name, channel: channel.id });
      // Cancelled before it was booked (its booking failed, or is still to be replayed): it never books now.
      if (!booked) return deps.store.settleChannelOrder(merchantId, channel.id, order.externalId, now);
      if (booked.status === 'cancelled') return;
      try {
        await deps.bookings.cancel(booker, booked.id, {});
      } catch (error) {
        if (error instanceof ServiceError) giveUp('cancelled', describe(error));
        throw error;
      }
      return;
    }
    if (await deps.store.isChannelOrderSettled(merchantId, channel.id, order.externalId)) return;
    if (order.problems.length > 0) {
      giveUp('booked', `invalid_order (${order.problems.map((p) => `${p.field} ${p.code}`).join('; ')})`);
    }
    try {
      await deps.bookings.bookOnce(booker, order.request, key, now);
    } catch (error) {
      // Booked before under a key that has since expired (a platform redelivering days later): booked once.
      if (error instanceof ServiceError && error.code === 'duplicate_reference') return;
      if (error instanceof ServiceError) giveUp('booked', describe(error));
      throw error;
    }
  };
  return { [CHANNEL_ORDER]: handle };
}
