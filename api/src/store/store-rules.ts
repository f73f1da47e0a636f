/** Rules every store adapter applies the same way. */

/** Idempotency keys and their responses are kept at least this long (CONTRACT §4: ≥ 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** A key in progress for longer than this belonged to a process that died; another request may take it over. */
export const IDEMPOTENCY_LOCK_MS = 60_000;

/** The incoming quantity a level can promise against (backorders). */
export function incomingTotal(incoming: readonly { quantity: number }[]): number {
  return incoming.reduce((sum, entry) => sum + entry.quantity, 0);
}
