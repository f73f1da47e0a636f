/**
 * Shop platforms' order webhooks (CONTRACT §8): `POST /v1/channels/{merchant}/{channelId}/webhooks`. The body
 * is taken as bytes and its signature checked on them (Shopify `X-Shopify-Hmac-Sha256`, WooCommerce
 * `X-WC-Webhook-Signature`: base64 HMAC-SHA256 with the channel's secret) before anything of it is read; a
 * wrong or missing signature, or a channel that does not exist, is 401 and nothing more. A verified order is
 * stored in the outbox as it came and answered 202 at once: booking (or cancelling) happens from the outbox, in
 * order per platform order, so a slow booking never makes the platform retry. WooCommerce's ping, sent when a
 * webhook is created (a form body `webhook_id=N`, unsigned), is answered 200 and books nothing.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ChannelConfig } from '../../../../shared/src/config.ts';
import { ApiError } from '../../../../shared/src/errors.ts';
import { CHANNEL_ORDER, channelJobKey } from '../../channels/channel-jobs.ts';
import { parsePlatformJson } from '../../channels/platform-json.ts';
import { shopifyOrderId } from '../../channels/shopify-order.ts';
import { hasValidSignature } from '../../channels/signatures.ts';
import { HttpError } from '../../http-error.ts';
import { DEFAULT_LIMITS } from '../../merchants/registry.ts';

const ChannelReceipt = Type.Object({
  received: Type.Literal(true),
  action: Type.Enum(['queued', 'ignored', 'ping'], {
    description: 'queued: stored, booked or cancelled from the outbox; ignored: a topic Promesse does not act on',
  }),
});

/** The topics each platform's orders come with that Promesse acts on; others are acknowledged and left. */
const TOPICS: Readonly<Record<'shopify' | 'woocommerce', readonly string[]>> = {
  shopify: ['orders/create', 'orders/cancelled'],
  woocommerce: ['order.created', 'order.updated'],
};

const WOOCOMMERCE_PING = /^webhook_id=\d{1,20}$/;

const header = (value: string | string[] | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

export async function channelWebhookRoutes(instance: FastifyInstance): Promise<void> {
  await instance.register(async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    // Bytes, not parsed JSON: the signature is over the raw body.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      ['application/json', 'application/x-www-form-urlencoded'],
      { parseAs: 'buffer', bodyLimit: 2 * 1_048_576 },
      (_request, body, done) => done(null, body),
    );
    app.post(
      '/v1/channels/:merchant/:channelId/webhooks',
      {
        // Per channel and sending address, as generous as a secret key's writes: a platform replaying a backlog
        // is not refused, and forged requests (counted before their signature is checked) spend only their own
        // address's allowance, never the platform's.
        config: {
          rateLimit: {
            max: (request) =>
              app.merchants.byId((request.params as { merchant: string }).merchant)?.limits.writesPerMinutePerKey ??
              DEFAULT_LIMITS.writesPerMinutePerKey,
            keyGenerator: (request) => {
              const { merchant, channelId } = request.params as { merchant: string; channelId: string };
              return `channel|${merchant}|${channelId}|${request.ip}`;
            },
          },
        },
        schema: {
          summary: "A shop platform's order webhook (Shopify, WooCommerce), signed with the channel's secret",
          description:
            "Point the platform's order webhooks here: Shopify orders/create and orders/cancelled (signed with the app's client secret), WooCommerce order.created and order.updated (signed with the webhook's secret). Verified orders are stored and answered 202; booking happens from the outbox, once per platform order id, and a failure opens a channel_order_failed exception.",
          tags: ['channels'],
          consumes: ['application/json'],
          params: Type.Object({
            merchant: Type.String({ maxLength: 64 }),
            channelId: Type.String({ maxLength: 64 }),
          }),
          response: { 200: ChannelReceipt, 202: ChannelReceipt, '4xx': ApiError },
        },
      },
      async (request, reply) => {
        const runtime = app.merchants.byId(request.params.merchant);
        const channel = runtime?.channels.get(request.params.channelId);
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const refused = new HttpError(401, 'unauthorized', 'Missing or wrong signature, or no such channel.');
        if (!runtime || !channel?.secret || channel.type === 'prestashop') throw refused;
        const headers = request.headers;
        const signature = header(
          channel.type === 'shopify' ? headers['x-shopify-hmac-sha256'] : headers['x-wc-webhook-signature'],
        );
        if (
          channel.type === 'woocommerce' &&
          signature === undefined &&
          String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') &&
          WOOCOMMERCE_PING.test(raw.toString('latin1'))
        ) {
          return reply.status(200).send({ received: true, action: 'ping' });
        }
        if (!hasValidSignature(raw, signature, channel.secret)) throw refused;

        const topic =
          header(channel.type === 'shopify' ? headers['x-shopify-topic'] : headers['x-wc-webhook-topic']) ?? '';
        if (!TOPICS[channel.type].includes(topic)) return reply.status(200).send({ received: true, action: 'ignored' });
        const body = raw.toString('utf8');
        const order = parsePlatformJson(body);
        if (!order) throw new HttpError(400, 'invalid_request', 'The body is not a JSON object.');
        const externalId = platformOrderId(channel, order);
        if (!externalId) throw new HttpError(400, 'invalid_request', 'The order has no id.');
        const deliveryId = header(
          channel.type === 'shopify' ? headers['x-shopify-webhook-id'] : headers['x-wc-webhook-delivery-id'],
        );
        await app.store.enqueueOutbox(
          runtime.merchant.id,
          [
            {
              type: CHANNEL_ORDER,
              orderId: channelJobKey(channel.id, externalId),
              payload: { channelId: channel.id, topic, deliveryId: deliveryId?.slice(0, 100) ?? null, body },
            },
          ],
          app.clock(),
        );
        return reply.status(202).send({ received: true, action: 'queued' });
      },
    );
  });
}

function platformOrderId(channel: ChannelConfig, order: Record<string, unknown>): string {
  if (channel.type === 'shopify') return shopifyOrderId(order);
  const id = order.id;
  return typeof id === 'number' && Number.isInteger(id) && id > 0 ? String(id) : '';
}
