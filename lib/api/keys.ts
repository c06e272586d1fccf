import { createHash, randomBytes } from "node:crypto";
import type { DB } from "../../db/client.ts";
import { apiKeyByHash, apiKeyById, touchApiKey, type ApiKeyAuth } from "../../db/queries/api-keys.ts";
import { DomainError } from "../errors.ts";
import type { Caller } from "../guard.ts";
import { scopeFor, scopesGrant } from "./scopes.ts";

/** Keys are 24 random bytes: a fast hash is the right one (nothing to brute-force), and it is what we look up by. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** A new key: shown once; only its hash and the prefix (for the admin list) are stored. */
export function newApiKey(): { key: string; prefix: string; keyHash: string } {
  const key = `sy_${randomBytes(24).toString("base64url")}`;
  return { key, prefix: key.slice(0, 10), keyHash: hashApiKey(key) };
}

export type KeyCheck = { ok: true; key: ApiKeyAuth } | { ok: false; message: string };

/** Reads `Authorization: Bearer <key>`; an unknown or revoked key is refused the same way a missing one is (401). */
export function authenticateApiKey(db: DB, authorization: string | null): KeyCheck {
  const m = /^Bearer +([A-Za-z0-9_-]{1,200})\s*$/i.exec(authorization ?? "");
  if (!m) return { ok: false, message: "Send your API key as `Authorization: Bearer <key>`." };
  const key = apiKeyByHash(db, hashApiKey(m[1]!));
  if (!key) return { ok: false, message: "This API key is not known." };
  if (key.revokedAt !== null) return { ok: false, message: `This API key (${key.prefix}…) was revoked on ${new Date(key.revokedAt).toISOString()}.` };
  return { ok: true, key };
}

/** An API key as the guard's caller: its scopes stand in for a role (lib/api/scopes.ts), re-read inside every write. */
export function apiKeyCaller(key: ApiKeyAuth): Caller {
  return {
    actor: { id: null, label: `API key "${key.name}" (${key.prefix}…)` },
    may: (permission) => scopesGrant(key.scopes, permission),
    refusedBecause: (permission) => `This API key lacks the ${scopeFor(permission)} scope.`,
    authoriseAtWrite: (tx, permission) => {
      const now = apiKeyById(tx, key.id);
      if (!now || now.revokedAt !== null) throw new DomainError("unauthenticated", `This API key (${key.prefix}…) was revoked.`);
      if (!scopesGrant(now.scopes, permission)) throw new DomainError("forbidden", `This API key lacks the ${scopeFor(permission)} scope.`);
    },
  };
}

const TOUCH_EVERY_MS = 60_000;
const touched = ((globalThis as unknown as { switchyardKeyTouched?: Map<number, number> }).switchyardKeyTouched ??= new Map());

/**
 * Records when a key was last used, at most once a minute per key and process, so reads stay reads; and
 * never waits for the write lock (a long write elsewhere must not hold up a read): busy means next time.
 */
export function noteKeyUsed(db: DB, keyId: number, now = Date.now()): void {
  if (now - (touched.get(keyId) ?? 0) < TOUCH_EVERY_MS) return;
  touched.set(keyId, now);
  const conn = db.$client;
  const wait = conn.pragma("busy_timeout", { simple: true }) as number;
  conn.pragma("busy_timeout = 0");
  try {
    touchApiKey(db, keyId, now);
  } catch (error) {
    if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
    touched.delete(keyId);
  } finally {
    conn.pragma(`busy_timeout = ${wait}`);
  }
}
