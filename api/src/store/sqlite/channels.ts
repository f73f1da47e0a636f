/** Channel poll cursors on SQLite. */
import type { OutboxMessage } from '../../booking/outbox-message.ts';
import type { ChannelStore } from '../ports/channels.ts';
import { type SqliteDatabase, writeOutbox } from './database.ts';

export class SqliteChannels implements ChannelStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async channelCursor(merchantId: string, channelId: string): Promise<string | null> {
    const row = this.#db
      .sql('SELECT cursor FROM channel_cursors WHERE merchant_id = ? AND channel_id = ?')
      .get(merchantId, channelId) as { cursor: string } | undefined;
    return row?.cursor ?? null;
  }

  async advanceChannel(
    merchantId: string,
    channelId: string,
    expected: string | null,
    cursor: string,
    messages: readonly OutboxMessage[],
    now: number,
  ): Promise<boolean> {
    const at = new Date(now).toISOString();
    return this.#db.raw
      .transaction((): boolean => {
        const current = this.#db
          .sql('SELECT cursor FROM channel_cursors WHERE merchant_id = ? AND channel_id = ?')
          .get(merchantId, channelId) as { cursor: string } | undefined;
        if ((current?.cursor ?? null) !== expected) return false;
        this.#db
          .sql(
            `INSERT INTO channel_cursors (merchant_id, channel_id, cursor, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (merchant_id, channel_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
          )
          .run(merchantId, channelId, cursor, at);
        writeOutbox(this.#db, merchantId, messages, at);
        return true;
      })
      .immediate();
  }

  async settleChannelOrder(merchantId: string, channelId: string, externalId: string, now: number): Promise<void> {
    this.#db
      .sql(
        'INSERT INTO channel_settled (merchant_id, channel_id, external_id, settled_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(merchantId, channelId, externalId, new Date(now).toISOString());
  }

  async isChannelOrderSettled(merchantId: string, channelId: string, externalId: string): Promise<boolean> {
    const row = this.#db
      .sql('SELECT 1 FROM channel_settled WHERE merchant_id = ? AND channel_id = ? AND external_id = ?')
      .get(merchantId, channelId, externalId);
    return row !== undefined;
  }
}
