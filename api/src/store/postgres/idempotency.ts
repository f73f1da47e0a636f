/** Idempotency keys on PostgreSQL; the claim is decided by the pure rule in booking/idempotency.ts. */
import type pg from 'pg';
import { decideClaim, IDEMPOTENCY_TTL_MS } from '../../booking/idempotency.ts';
import type { IdempotencyClaim, IdempotencyStore, IdempotentResponse } from '../ports/idempotency.ts';
import { type KeyRow, toStoredKey } from '../rows.ts';
import type { PostgresDatabase } from './database.ts';

export async function completeKey(
  client: pg.Pool | pg.PoolClient,
  merchantId: string,
  { key, statusCode, body, now }: IdempotentResponse,
): Promise<void> {
  await client.query(
    `UPDATE idempotency_keys SET state = 'done', status_code = $3, response_body = $4, expires_at = $5
     WHERE merchant_id = $1 AND key = $2`,
    [merchantId, key, statusCode, body, now + IDEMPOTENCY_TTL_MS],
  );
}

export class PostgresIdempotency implements IdempotencyStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async claimIdempotencyKey(
    merchantId: string,
    key: string,
    requestHash: string,
    now: number,
  ): Promise<IdempotencyClaim> {
    // The common case, a new key, is one statement; only a key seen before needs the locking read below.
    const inserted = await this.#db.pool.query(
      `INSERT INTO idempotency_keys (merchant_id, key, request_hash, state, locked_at, expires_at)
       VALUES ($1, $2, $3, 'in_progress', $4, $5) ON CONFLICT DO NOTHING`,
      [merchantId, key, requestHash, now, now + IDEMPOTENCY_TTL_MS],
    );
    if (inserted.rowCount === 1) return { state: 'new' };
    return this.#db.tx(async (client): Promise<IdempotencyClaim> => {
      const { rows } = await client.query<KeyRow>(
        `SELECT request_hash, state, status_code, response_body, locked_at, expires_at FROM idempotency_keys
         WHERE merchant_id = $1 AND key = $2 FOR UPDATE`,
        [merchantId, key],
      );
      const claim = decideClaim(rows[0] ? toStoredKey(rows[0]) : null, requestHash, now);
      if (claim.state === 'new') {
        await client.query(
          `UPDATE idempotency_keys SET request_hash = $3, state = 'in_progress', status_code = NULL, response_body = NULL,
             locked_at = $4, expires_at = $5 WHERE merchant_id = $1 AND key = $2`,
          [merchantId, key, requestHash, now, now + IDEMPOTENCY_TTL_MS],
        );
      }
      return claim;
    });
  }

  async completeIdempotencyKey(
    merchantId: string,
    key: string,
    statusCode: number,
    body: string,
    now: number,
  ): Promise<void> {
    await completeKey(this.#db.pool, merchantId, { key, statusCode, body, now });
  }

  async releaseIdempotencyKey(merchantId: string, key: string): Promise<void> {
    await this.#db.pool.query(
      `DELETE FROM idempotency_keys WHERE merchant_id = $1 AND key = $2 AND state = 'in_progress'`,
      [merchantId, key],
    );
  }
}
