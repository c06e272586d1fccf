import { createHash, randomUUID } from "node:crypto";
import type { DB, Tx } from "../../db/client.ts";
import {
  claimHeld,
  deleteIdempotency,
  insertClaim,
  purgeIdempotencyBefore,
  readIdempotency,
  releaseClaim,
  storeIdempotentResponse,
  takeOverClaim,
  type IdempotencyRecord,
} from "../../db/queries/idempotency.ts";
import { DomainError } from "../errors.ts";
import type { ApiAnswer } from "./problem.ts";

/** How long a key is remembered per API key; the worker purges older ones. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/**
 * How long a claimed key counts as "still running". The change itself is one short synchronous transaction,
 * so a claim left unfinished past this belongs to a process that died: the next request takes it over.
 */
const CLAIM_LEASE_MS = 15_000;

export type IdempotencyRef = { apiKeyId: number; key: string };
export type Claim =
  | { kind: "claimed"; token: string }
  | { kind: "replay"; answer: ApiAnswer }
  | { kind: "mismatch" }
  | { kind: "in_progress"; retryAfterSeconds: number };

/** JSON with object keys sorted: the same request in another key order or spacing is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** What "the same request" means: method, path and body. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256").update(`${method} ${path}\n${canonical(body)}`).digest("hex");
}

function decide(row: IdempotencyRecord, fingerprint: string, now: number): Exclude<Claim, { kind: "claimed" }> | null {
  if (row.requestHash !== fingerprint) return { kind: "mismatch" };
  if (row.responseStatus !== null) {
    return { kind: "replay", answer: { status: row.responseStatus, headers: JSON.parse(row.responseHeaders ?? "{}") as Record<string, string>, body: row.responseBody ?? "" } };
  }
  if ((row.lockedUntil ?? 0) > now) return { kind: "in_progress", retryAfterSeconds: Math.max(1, Math.ceil(((row.lockedUntil ?? now) - now) / 1000)) };
  return null;
}

/**
 * Claims an Idempotency-Key in its own short transaction, before the change runs: a concurrent request
 * (another process, another server) then sees it unfinished and is told to retry (409), instead of running
 * the change twice. A finished key answers with the stored response; a different request with the key is refused.
 */
export function claimIdempotencyKey(db: DB, r: IdempotencyRef & { fingerprint: string; now: number }): Claim {
  const fresh = (row: IdempotencyRecord | undefined) => (row && row.createdAt > r.now - IDEMPOTENCY_TTL_MS ? row : undefined);
  // A plain read first: replays and refusals never take the write lock.
  const seen = fresh(readIdempotency(db, r));
  const early = seen ? decide(seen, r.fingerprint, r.now) : null;
  if (early) return early;
  return db.transaction(
    (tx): Claim => {
      const stored = readIdempotency(tx, r);
      const row = fresh(stored);
      if (stored && !row) deleteIdempotency(tx, r); // older than 24 h: as if never used
      const token = randomUUID();
      const lockedUntil = r.now + CLAIM_LEASE_MS;
      if (!row) {
        insertClaim(tx, { ...r, requestHash: r.fingerprint, token, lockedUntil, at: r.now });
        return { kind: "claimed", token };
      }
      const decided = decide(row, r.fingerprint, r.now);
      if (decided) return decided;
      return takeOverClaim(tx, { ...r, token, lockedUntil, at: r.now }) ? { kind: "claimed", token } : { kind: "in_progress", retryAfterSeconds: 1 };
    },
    { behavior: "immediate" },
  );
}

/** Inside the change's transaction: still ours? (a request that outlived its lease may have been taken over). */
export function confirmClaim(tx: Tx, r: IdempotencyRef & { token: string }): void {
  if (!claimHeld(tx, r)) throw new DomainError("idempotency_in_progress", "Another request with this Idempotency-Key took over; retry to get its response.");
}

/** Inside the change's transaction: the response, so the change and its answer commit together. */
export function storeAnswer(tx: Tx, r: IdempotencyRef & { token: string }, answer: ApiAnswer, at: number): void {
  if (!storeIdempotentResponse(tx, { ...r, status: answer.status, headers: answer.headers, body: answer.body, at })) confirmClaim(tx, r);
}

export function giveBack(db: DB, r: IdempotencyRef & { token: string }): void {
  releaseClaim(db, r);
}

/** The worker's daily-window purge: keys older than 24 h. */
export function purgeIdempotencyKeys(db: DB, now = Date.now()): number {
  return purgeIdempotencyBefore(db, now - IDEMPOTENCY_TTL_MS);
}
