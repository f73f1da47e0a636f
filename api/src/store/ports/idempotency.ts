/** Idempotency keys: a request's first final answer, kept for replay (CONTRACT §4, the IETF draft). */
import type { IdempotencyClaim } from '../../booking/idempotency.ts';

export type { IdempotencyClaim };

/** The response of a claimed idempotency key, stored in the same transaction as the order it answers with. */
export interface IdempotentResponse {
  key: string;
  statusCode: number;
  body: string;
  now: number;
}

export interface IdempotencyStore {
  /** Claims an idempotency key for a request (by the hash of its body), or says why it cannot. */
  claimIdempotencyKey(merchantId: string, key: string, requestHash: string, now: number): Promise<IdempotencyClaim>;
  /** Stores the final response of a claimed key, kept for at least 24 hours. */
  completeIdempotencyKey(merchantId: string, key: string, statusCode: number, body: string, now: number): Promise<void>;
  /** Lets a claimed key go without a stored response (answers a retry may fix: 400, 422, 429). */
  releaseIdempotencyKey(merchantId: string, key: string): Promise<void>;
}
