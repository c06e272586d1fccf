// Idempotency-Key records of the orders API. No "server-only": the worker purges them.
import type { DB, Tx } from "../client.ts";
import { prepared } from "../raw.ts";

export type IdempotencyRecord = {
  requestHash: string;
  responseStatus: number | null;
  responseBody: string | null;
  responseHeaders: string | null;
  claimToken: string | null;
  lockedUntil: number | null;
  createdAt: number;
};

type Ref = { apiKeyId: number; key: string };

export function readIdempotency(db: DB | Tx, r: Ref): IdempotencyRecord | undefined {
  return prepared(
    db,
    `SELECT request_hash AS requestHash, response_status AS responseStatus, response_body AS responseBody, response_headers AS responseHeaders,
     claim_token AS claimToken, locked_until AS lockedUntil, created_at AS createdAt FROM idempotency_keys WHERE api_key_id = ? AND key = ?`,
  ).get(r.apiKeyId, r.key) as IdempotencyRecord | undefined;
}

export function insertClaim(tx: Tx, c: Ref & { requestHash: string; token: string; lockedUntil: number; at: number }): void {
  prepared(tx, "INSERT INTO idempotency_keys (api_key_id, key, request_hash, claim_token, locked_until, created_at) VALUES (?, ?, ?, ?, ?, ?)").run(
    c.apiKeyId,
    c.key,
    c.requestHash,
    c.token,
    c.lockedUntil,
    c.at,
  );
}

/** Takes over an unfinished claim whose lease ran out (its process died); false if it finished or is held meanwhile. */
export function takeOverClaim(tx: Tx, c: Ref & { token: string; lockedUntil: number; at: number }): boolean {
  return (
    prepared(tx, "UPDATE idempotency_keys SET claim_token = ?, locked_until = ? WHERE api_key_id = ? AND key = ? AND response_status IS NULL AND locked_until <= ?").run(
      c.token,
      c.lockedUntil,
      c.apiKeyId,
      c.key,
      c.at,
    ).changes === 1
  );
}

export function deleteIdempotency(tx: Tx, r: Ref): void {
  prepared(tx, "DELETE FROM idempotency_keys WHERE api_key_id = ? AND key = ?").run(r.apiKeyId, r.key);
}

export function claimHeld(tx: Tx, c: Ref & { token: string }): boolean {
  return prepared(tx, "SELECT 1 FROM idempotency_keys WHERE api_key_id = ? AND key = ? AND claim_token = ? AND response_status IS NULL").get(c.apiKeyId, c.key, c.token) !== undefined;
}

export function storeIdempotentResponse(tx: Tx, c: Ref & { token: string; status: number; headers: Record<string, string>; body: string; at: number }): boolean {
  return (
    prepared(
      tx,
      `UPDATE idempotency_keys SET response_status = ?, response_headers = ?, response_body = ?, completed_at = ?, locked_until = NULL
       WHERE api_key_id = ? AND key = ? AND claim_token = ? AND response_status IS NULL`,
    ).run(c.status, JSON.stringify(c.headers), c.body, c.at, c.apiKeyId, c.key, c.token).changes === 1
  );
}

/** Gives a claim back when its request wrote nothing (it was refused before the change ran). */
export function releaseClaim(db: DB | Tx, c: Ref & { token: string }): void {
  prepared(db, "DELETE FROM idempotency_keys WHERE api_key_id = ? AND key = ? AND claim_token = ? AND response_status IS NULL").run(c.apiKeyId, c.key, c.token);
}

/** Deletes records created before `before` (kept 24 h); returns how many. */
export function purgeIdempotencyBefore(db: DB | Tx, before: number): number {
  return prepared(db, "DELETE FROM idempotency_keys WHERE created_at < ?").run(before).changes;
}
