/**
 * PrestaShop orders, pulled (CONTRACT §8): its webservice has no signed webhooks in core, so each `prestashop`
 * channel is polled every `pollEverySeconds` (60 by default) with `GET /api/orders` (JSON output, `display=full`,
 * ids above the channel's cursor, oldest first), authenticated with the channel's webservice key as the HTTP
 * Basic user. Each new order is put together with its delivery address, the address's country, its currency
 * and its customer (the order holds only their ids), and stored in the outbox with the cursor moved past it, in
 * one transaction: booked from there like a webhook's order, once. The first poll of a channel takes no order:
 * it starts the cursor at the shop's newest order, so connecting a shop does not book its past. Each poll also
 * asks which of the last `CANCEL_WINDOW` orders are now in a withdrawing state (`cancelledStates`: Canceled,
 * Payment error) and cancels their bookings.
 */
import type { ChannelConfig } from '../../../shared/src/config.ts';
import type { MerchantRegistry, MerchantRuntime } from '../merchants/registry.ts';
import type { Store } from '../store/store.ts';
import { CHANNEL_ORDER, channelJobKey } from './channel-jobs.ts';
import { type Json, jsonObject, jsonObjects, jsonText } from './channel-order.ts';
import { cancelledStatesOf, type PrestaShopOrder } from './prestashop-order.ts';

export interface PrestaShopPollerOptions {
  store: Store;
  merchants: MerchantRegistry;
  clock: () => number;
  /** orders taken per poll; the rest come with the next */
  pageSize?: number;
  /** per request */
  timeoutMs?: number;
  /** a channel's poll failed (the shop is down, the key refused); it is tried again when next due */
  onError?: (error: unknown, merchantId: string, channelId: string) => void;
}

/** A webservice answer that is neither JSON nor a 404: the poll stops and is tried again next time. */
export class PrestaShopUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrestaShopUnavailable';
  }
}

const DEFAULT_POLL_SECONDS = 60;
/** How many order ids below the cursor each poll looks at for cancellations. */
export const CANCEL_WINDOW = 1000;

export class PrestaShopPoller {
  readonly #options: Required<Omit<PrestaShopPollerOptions, 'onError'>> & Pick<PrestaShopPollerOptions, 'onError'>;
  readonly #lastPoll = new Map<string, number>();
  /** per channel, the withdrawn orders whose cancellation this process has stored already */
  readonly #cancelled = new Map<string, Set<string>>();

  constructor(options: PrestaShopPollerOptions) {
    this.#options = { pageSize: 50, timeoutMs: 20_000, ...options };
  }

  /** Polls every PrestaShop channel that is due; returns how many orders were taken. */
  async runOnce(): Promise<number> {
    const now = this.#options.clock();
    let taken = 0;
    for (const runtime of this.#options.merchants.all) {
      for (const channel of runtime.channels.values()) {
        if (channel.type !== 'prestashop') continue;
        const key = `${runtime.merchant.id}/${channel.id}`;
        const every = (channel.pollEverySeconds ?? DEFAULT_POLL_SECONDS) * 1000;
        if (now - (this.#lastPoll.get(key) ?? Number.NEGATIVE_INFINITY) < every) continue;
        this.#lastPoll.set(key, now);
        try {
          taken += await this.poll(runtime, channel);
        } catch (error) {
          this.#options.onError?.(error, runtime.merchant.id, channel.id);
        }
      }
    }
    return taken;
  }

  /** One poll of one channel; returns how many orders it stored. */
  async poll(runtime: MerchantRuntime, channel: ChannelConfig): Promise<number> {
    const { store, clock, pageSize } = this.#options;
    const merchantId = runtime.merchant.id;
    const expected = await store.channelCursor(merchantId, channel.id);
    if (expected === null) {
      const newest = await this.#orders(channel, { sort: '[id_DESC]', limit: '1', display: '[id]' });
      const start = newest[0] ? jsonText(newest[0].id) : '0';
      await store.advanceChannel(merchantId, channel.id, null, start, [], clock());
      return 0;
    }
    const orders = await this.#orders(channel, {
      display: 'full',
      sort: '[id_ASC]',
      limit: String(pageSize),
      'filter[id]': `>[${expected}]`,
    });
    const related = new Map<string, Json>();
    const messages = [];
    let cursor = expected;
    for (const order of orders) {
      const id = jsonText(order.id);
      if (!/^\d{1,20}$/.test(id) || BigInt(id) <= BigInt(cursor)) continue;
      const address = await this.#resource(channel, 'addresses', 'address', order.id_address_delivery, related);
      const fetched: PrestaShopOrder = {
        order,
        address,
        countryIso: jsonText(
          (await this.#resource(channel, 'countries', 'country', address.id_country, related)).iso_code,
        ),
        currencyIso: jsonText(
          (await this.#resource(channel, 'currencies', 'currency', order.id_currency, related)).iso_code,
        ),
        customer: await this.#resource(channel, 'customers', 'customer', order.id_customer, related),
      };
      messages.push({
        type: CHANNEL_ORDER,
        orderId: channelJobKey(channel.id, id),
        payload: { channelId: channel.id, topic: 'orders', deliveryId: null, body: JSON.stringify(fetched) },
      });
      cursor = id;
    }
    let taken = 0;
    if (cursor !== expected) {
      // Another worker's poll moved the cursor meanwhile: its orders are stored, these are not stored twice.
      const advanced = await store.advanceChannel(merchantId, channel.id, expected, cursor, messages, clock());
      taken = advanced ? messages.length : 0;
    }
    await this.#cancellations(runtime, channel, expected);
    return taken;
  }

  /**
   * Stores a cancellation for each recent order now in a withdrawing state, once per process (another process,
   * or this one after a restart, stores it again: cancelling a cancelled order changes nothing).
   */
  async #cancellations(runtime: MerchantRuntime, channel: ChannelConfig, below: string): Promise<void> {
    const top = BigInt(below);
    if (top === 0n) return;
    const bottom = top > BigInt(CANCEL_WINDOW) ? top - BigInt(CANCEL_WINDOW) : 1n;
    const withdrawn = await this.#orders(channel, {
      display: '[id,reference,current_state]',
      'filter[current_state]': `[${cancelledStatesOf(channel).join('|')}]`,
      'filter[id]': `[${bottom},${top}]`,
      limit: String(CANCEL_WINDOW),
    });
    const key = `${runtime.merchant.id}/${channel.id}`;
    const known = this.#cancelled.get(key) ?? new Set<string>();
    this.#cancelled.set(key, known);
    const fresh = withdrawn.filter((order) => /^\d{1,20}$/.test(jsonText(order.id)) && !known.has(jsonText(order.id)));
    if (fresh.length === 0) return;
    await this.#options.store.enqueueOutbox(
      runtime.merchant.id,
      fresh.map((order) => ({
        type: CHANNEL_ORDER,
        orderId: channelJobKey(channel.id, jsonText(order.id)),
        payload: {
          channelId: channel.id,
          topic: 'orders/cancelled',
          deliveryId: null,
          body: JSON.stringify({ order }),
        },
      })),
      this.#options.clock(),
    );
    for (const order of fresh) known.add(jsonText(order.id));
    // Orders below the window are no longer asked about: forget them.
    for (const id of known) if (BigInt(id) < bottom) known.delete(id);
  }

  async #orders(channel: ChannelConfig, query: Record<string, string>): Promise<Json[]> {
    const answer = await this.#get(channel, 'orders', query);
    // A 404 on the list itself is a wrong address or a shop in maintenance, never "no orders": taking it for
    // an empty shop would start the cursor at 0 and book the shop's whole past at the next poll.
    if (answer === null) throw new PrestaShopUnavailable(`PrestaShop ${channel.id}: GET /api/orders answered 404`);
    // PrestaShop answers an empty list as `[]` rather than `{"orders": []}`.
    return jsonObjects(jsonObject(answer).orders);
  }

  /** One resource (an address, a country …) by id, each fetched once per poll; {} when there is none. */
  async #resource(
    channel: ChannelConfig,
    plural: string,
    singular: string,
    id: unknown,
    cache: Map<string, Json>,
  ): Promise<Json> {
    const key = `${plural}/${jsonText(id)}`;
    if (!/^\d{1,20}$/.test(jsonText(id))) return {};
    const cached = cache.get(key);
    if (cached) return cached;
    const found = jsonObject(jsonObject(await this.#get(channel, key, {}))[singular]);
    cache.set(key, found);
    return found;
  }

  /** A webservice GET in JSON; null for a 404 (a resource deleted since), PrestaShopUnavailable otherwise. */
  async #get(channel: ChannelConfig, path: string, query: Record<string, string>): Promise<unknown> {
    const url = new URL(`${(channel.baseUrl ?? '').replace(/\/+$/, '')}/api/${path}`);
    url.searchParams.set('output_format', 'JSON');
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          authorization: `Basic ${Buffer.from(`${channel.apiKey ?? ''}:`).toString('base64')}`,
          accept: 'application/json',
        },
        redirect: 'error',
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
    } catch (error) {
      throw new PrestaShopUnavailable(`PrestaShop ${channel.id}: ${(error as Error).message}`);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new PrestaShopUnavailable(`PrestaShop ${channel.id}: GET /api/${path} answered ${response.status}`);
    }
    try {
      return await response.json();
    } catch {
      throw new PrestaShopUnavailable(`PrestaShop ${channel.id}: GET /api/${path} is not JSON`);
    }
  }
}
