/** Console sessions (CONTRACT §10), kept server-side so that every API process behind a balancer knows them. */

export interface SessionStore {
  /** A session's data while it has not expired at `now`; null otherwise. */
  getSession(id: string, now: number): Promise<string | null>;
  /** Stores a session's data until `expiresAt`, replacing what it had. */
  setSession(id: string, data: string, expiresAt: number): Promise<void>;
  destroySession(id: string): Promise<void>;
  /** Forgets the sessions expired at `now`; returns how many. */
  sweepSessions(now: number): Promise<number>;
}
