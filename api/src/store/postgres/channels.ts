/** Channel poll cursors on PostgreSQL: a poll's orders and its cursor commit together, once. */
import type { OutboxMessage } from '../../booking/outbox-message.ts';
import type { ChannelStore } from '../ports/channels.ts';
import { type PostgresDatabase, writeOutbox } from './database.ts';

export class PostgresChannels implements ChannelStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async channelCursor(merchantId: string, channelId: string): Promise<string | null> {
    const { rows } = await this.#db.pool.query<{ cursor: string }>(
      'SELECT cursor FROM channel_cursors WHERE merchant_id = $1 AND channel_id = $2',
      [merchantId, channelId],
    );
    return rows[0]?.cursor ?? null;
  }

  async advanceChannel(
    merchantId: string,
    channelId: string,
    expected: string | null,
    cursor: string,
    messages: readonly OutboxMessage[],
    now: number,
  ): Promise<boolean> {
    return this.#db.tx(async (client) => {
      // The row is created first (if missing) and locked, so two workers' polls of one channel take turns.
      await client.query(
        `INSERT INTO channel_cursors (merchant_id, channel_id, cursor, updated_at) VALUES ($1, $2, NULL, $3)
         ON CONFLICT DO NOTHING`,
        [merchantId, channelId, new Date(now)],
      );
      const { rows } = await client.query<{ cursor: string | null }>(
        'SELECT cursor FROM channel_cursors WHERE merchant_id = $1 AND channel_id = $2 FOR UPDATE',
        [merchantId, channelId],
      );
      if ((rows[0]?.cursor ?? null) !== expected) return false;
      await client.query(
        'UPDATE channel_cursors SET cursor = $3, updated_at = $4 WHERE merchant_id = $1 AND channel_id = $2',
        [merchantId, channelId, cursor, new Date(now)],
      );
      await writeOutbox(client, merchantId, messages, new Date(now));
      return true;
    });
  }

  async settleChannelOrder(merchantId: string, channelId: string, externalId: string, now: number): Promise<void> {
    await this.#db.pool.query(
      'INSERT INTO channel_settled (merchant_id, channel_id, external_id, settled_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [merchantId, channelId, externalId, new Date(now)],
    );
  }

  async isChannelOrderSettled(merchantId: string, channelId: string, externalId: string): Promise<boolean> {
    const { rowCount } = await this.#db.pool.query(
      'SELECT 1 FROM channel_settled WHERE merchant_id = $1 AND channel_id = $2 AND external_id = $3',
      [merchantId, channelId, externalId],
    );
    return (rowCount ?? 0) > 0;
  }
}
