/** Console sessions on SQLite. */
import type { SessionStore } from '../ports/sessions.ts';
import type { SqliteDatabase } from './database.ts';

export class SqliteSessions implements SessionStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async getSession(id: string, now: number): Promise<string | null> {
    const row = this.#db.sql('SELECT data FROM console_sessions WHERE id = ? AND expires_at > ?').get(id, now) as
      | { data: string }
      | undefined;
    return row?.data ?? null;
  }

  async setSession(id: string, data: string, expiresAt: number): Promise<void> {
    this.#db
      .sql(
        `INSERT INTO console_sessions (id, data, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
      )
      .run(id, data, expiresAt);
  }

  async touchSession(id: string, data: string, expiresAt: number): Promise<void> {
    this.#db.sql('UPDATE console_sessions SET data = ?, expires_at = ? WHERE id = ?').run(data, expiresAt, id);
  }

  async destroySession(id: string): Promise<void> {
    this.#db.sql('DELETE FROM console_sessions WHERE id = ?').run(id);
  }

  async sweepSessions(now: number): Promise<number> {
    return this.#db.sql('DELETE FROM console_sessions WHERE expires_at <= ?').run(now).changes;
  }
}
