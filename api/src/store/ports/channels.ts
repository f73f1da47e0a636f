/**
 * Sales channels: how far each poll of a polled one (PrestaShop) got, moved with the orders it took; and the
 * platform orders cancelled before they were booked, which must never book afterwards, kept for good.
 */
import type { OutboxMessage } from '../../booking/outbox-message.ts';

export interface ChannelStore {
  /** The poll cursor of a channel (PrestaShop: the last order id taken), or null before the first poll. */
  channelCursor(merchantId: string, channelId: string): Promise<string | null>;
  /**
   * Writes the orders a poll took into the outbox and moves the cursor, in one transaction, only if the cursor
   * still is `expected` (no other worker's poll moved it meanwhile); false, and nothing written, otherwise.
   */
  advanceChannel(
    merchantId: string,
    channelId: string,
    expected: string | null,
    cursor: string,
    messages: readonly OutboxMessage[],
    now: number,
  ): Promise<boolean>;
  /** Records that a platform order was cancelled before it booked: it never books afterwards. */
  settleChannelOrder(merchantId: string, channelId: string, externalId: string, now: number): Promise<void>;
  isChannelOrderSettled(merchantId: string, channelId: string, externalId: string): Promise<boolean>;
}
