/**
 * Console sessions (CONTRACT §10), kept server-side so that every API process behind a balancer knows them. Ids
 * arrive hashed (plugins/console.ts): the store never holds an id a cookie could carry.
 */

export interface SessionStore {
  /** A session's data while it has not expired at `now`; null otherwise. */
  getSession(id: string, now: number): Promise<string | null>;
  /** Stores a session's data until `expiresAt`, replacing what it had. */
  setSession(id: string, data: string, expiresAt: number): Promise<void>;
  /** Updates a session that exists (an idle refresh): a session destroyed meanwhile stays destroyed. */
  touchSession(id: string, data: string, expiresAt: number): Promise<void>;
  destroySession(id: string): Promise<void>;
  /** Forgets the sessions expired at `now`; returns how many. */
  sweepSessions(now: number): Promise<number>;
}
