/** Sales channels that are polled (PrestaShop): how far each poll got, moved with the orders it took. */
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
}
