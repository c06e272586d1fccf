// API keys: the hash and prefix only, never the key. No "server-only": scripts (bench, fuzz set-up) create keys too.
import type { DB, Tx } from "../client.ts";
import { prepared } from "../raw.ts";

export type ApiKeyRow = {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  rateLimitPerMinute: number;
  createdAt: number;
  createdBy: number | null;
  createdByName: string | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
  revokedByName: string | null;
};

type Raw = Omit<ApiKeyRow, "scopes"> & { scopes: string };
const SELECT = `SELECT k.id, k.name, k.prefix, k.scopes, k.rate_limit_per_minute AS rateLimitPerMinute, k.created_at AS createdAt, k.created_by AS createdBy,
  c.name AS createdByName, k.last_used_at AS lastUsedAt, k.revoked_at AS revokedAt, r.name AS revokedByName
  FROM api_keys k LEFT JOIN users c ON c.id = k.created_by LEFT JOIN users r ON r.id = k.revoked_by`;
const row = (r: Raw | undefined): ApiKeyRow | undefined => (r ? { ...r, scopes: JSON.parse(r.scopes) as string[] } : undefined);

/** What every API request reads first: lean (no joins), by the unique hash. */
export type ApiKeyAuth = Pick<ApiKeyRow, "id" | "name" | "prefix" | "scopes" | "rateLimitPerMinute" | "revokedAt">;

export function apiKeyByHash(db: DB | Tx, keyHash: string): ApiKeyAuth | undefined {
  const r = prepared(db, "SELECT id, name, prefix, scopes, rate_limit_per_minute AS rateLimitPerMinute, revoked_at AS revokedAt FROM api_keys WHERE key_hash = ?").get(keyHash) as
    | (Omit<ApiKeyAuth, "scopes"> & { scopes: string })
    | undefined;
  return r ? { ...r, scopes: JSON.parse(r.scopes) as string[] } : undefined;
}

export function apiKeyById(db: DB | Tx, id: number): ApiKeyRow | undefined {
  return row(prepared(db, `${SELECT} WHERE k.id = ?`).get(id) as Raw | undefined);
}

/** Newest first, revoked ones last. */
export function listApiKeys(db: DB | Tx): ApiKeyRow[] {
  return (prepared(db, `${SELECT} ORDER BY k.revoked_at IS NOT NULL, k.id DESC`).all() as Raw[]).map((r) => row(r)!);
}

export function insertApiKey(tx: Tx, k: { name: string; prefix: string; keyHash: string; scopes: string[]; rateLimitPerMinute: number; createdBy: number | null; at: number }): number {
  return (
    prepared(tx, "INSERT INTO api_keys (name, prefix, key_hash, scopes, rate_limit_per_minute, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id").get(
      k.name,
      k.prefix,
      k.keyHash,
      JSON.stringify(k.scopes),
      k.rateLimitPerMinute,
      k.createdBy,
      k.at,
    ) as { id: number }
  ).id;
}

/** Revokes a key that is not revoked yet; false when it already was (or does not exist). */
export function markApiKeyRevoked(tx: Tx, id: number, by: number | null, at: number): boolean {
  return prepared(tx, "UPDATE api_keys SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL").run(at, by, id).changes === 1;
}

export function touchApiKey(db: DB | Tx, id: number, at: number): void {
  prepared(db, "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)").run(at, id, at);
}
