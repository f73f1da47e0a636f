/** Console sessions on PostgreSQL, shared by every API process. */
import type { SessionStore } from '../ports/sessions.ts';
import type { PostgresDatabase } from './database.ts';

export class PostgresSessions implements SessionStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async getSession(id: string, now: number): Promise<string | null> {
    const { rows } = await this.#db.pool.query<{ data: string }>(
      'SELECT data FROM console_sessions WHERE id = $1 AND expires_at > $2',
      [id, now],
    );
    return rows[0]?.data ?? null;
  }

  async setSession(id: string, data: string, expiresAt: number): Promise<void> {
    await this.#db.pool.query(
      `INSERT INTO console_sessions (id, data, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
      [id, data, expiresAt],
    );
  }

  async touchSession(id: string, data: string, expiresAt: number): Promise<void> {
    await this.#db.pool.query('UPDATE console_sessions SET data = $2, expires_at = $3 WHERE id = $1', [
      id,
      data,
      expiresAt,
    ]);
  }

  async destroySession(id: string): Promise<void> {
    await this.#db.pool.query('DELETE FROM console_sessions WHERE id = $1', [id]);
  }

  async sweepSessions(now: number): Promise<number> {
    const { rowCount } = await this.#db.pool.query('DELETE FROM console_sessions WHERE expires_at <= $1', [now]);
    return rowCount ?? 0;
  }
}
