/** Idempotency keys on SQLite; the claim is decided by the pure rule in booking/idempotency.ts. */
import { decideClaim, IDEMPOTENCY_TTL_MS } from '../../booking/idempotency.ts';
import type { IdempotencyClaim, IdempotencyStore, IdempotentResponse } from '../ports/idempotency.ts';
import { type KeyRow, toStoredKey } from '../rows.ts';
import type { SqliteDatabase } from './database.ts';

export function completeKey(
  db: SqliteDatabase,
  merchantId: string,
  { key, statusCode, body, now }: IdempotentResponse,
): void {
  db.sql(
    `UPDATE idempotency_keys SET state = 'done', status_code = ?, response_body = ?, expires_at = ?
       WHERE merchant_id = ? AND key = ?`,
  ).run(statusCode, body, now + IDEMPOTENCY_TTL_MS, merchantId, key);
}

export class SqliteIdempotency implements IdempotencyStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async claimIdempotencyKey(
    merchantId: string,
    key: string,
    requestHash: string,
    now: number,
  ): Promise<IdempotencyClaim> {
    return this.#db.raw
      .transaction((): IdempotencyClaim => {
        const row = this.#db
          .sql(
            'SELECT request_hash, state, status_code, response_body, locked_at, expires_at FROM idempotency_keys WHERE merchant_id = ? AND key = ?',
          )
          .get(merchantId, key) as KeyRow | undefined;
        const claim = decideClaim(row ? toStoredKey(row) : null, requestHash, now);
        if (claim.state === 'new') {
          this.#db
            .sql(
              `INSERT INTO idempotency_keys (merchant_id, key, request_hash, state, locked_at, expires_at) VALUES (?, ?, ?, 'in_progress', ?, ?)
                 ON CONFLICT (merchant_id, key) DO UPDATE SET request_hash = excluded.request_hash, state = 'in_progress',
                   status_code = NULL, response_body = NULL, locked_at = excluded.locked_at, expires_at = excluded.expires_at`,
            )
            .run(merchantId, key, requestHash, now, now + IDEMPOTENCY_TTL_MS);
        }
        return claim;
      })
      .immediate();
  }

  async completeIdempotencyKey(
    merchantId: string,
    key: string,
    statusCode: number,
    body: string,
    now: number,
  ): Promise<void> {
    completeKey(this.#db, merchantId, { key, statusCode, body, now });
  }

  async releaseIdempotencyKey(merchantId: string, key: string): Promise<void> {
    this.#db
      .sql(`DELETE FROM idempotency_keys WHERE merchant_id = ? AND key = ? AND state = 'in_progress'`)
      .run(merchantId, key);
  }
}
