import type { Tx } from "../../db/client.ts";
import { apiKeyById, insertApiKey, markApiKeyRevoked } from "../../db/queries/api-keys.ts";
import { appendAudit, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { newApiKey } from "./keys.ts";
import { API_SCOPES, type ApiScope } from "./scopes.ts";

/** Creates a key with its audit row; the key is returned this once and never stored or audited. */
export function createApiKey(tx: Tx, c: { name: string; scopes: ApiScope[]; rateLimitPerMinute: number; actor: Actor; at: number }): { id: number; key: string; prefix: string } {
  const scopes = API_SCOPES.filter((s) => c.scopes.includes(s));
  if (scopes.length === 0) throw new DomainError("invalid_input", "Choose at least one scope.");
  const { key, prefix, keyHash } = newApiKey();
  const id = insertApiKey(tx, { name: c.name, prefix, keyHash, scopes, rateLimitPerMinute: c.rateLimitPerMinute, createdBy: c.actor.id, at: c.at });
  appendAudit(tx, {
    entityType: "api_key",
    entityId: id,
    actor: c.actor,
    action: "api_key_created",
    reason: `API key "${c.name}" (${prefix}…) created with ${scopes.join(", ")}, ${c.rateLimitPerMinute} requests a minute`,
    data: { name: c.name, prefix, scopes, rateLimitPerMinute: c.rateLimitPerMinute },
    at: c.at,
  });
  return { id, key, prefix };
}

/** Revokes a key at once (the next request with it is a 401), with its audit row. */
export function revokeApiKey(tx: Tx, r: { id: number; actor: Actor; at: number }): { id: number; revokedAt: number } {
  const key = apiKeyById(tx, r.id);
  if (!key) throw new DomainError("not_found", `API key ${r.id} does not exist.`);
  if (!markApiKeyRevoked(tx, r.id, r.actor.id, r.at)) throw new DomainError("conflict", `API key "${key.name}" is already revoked.`);
  appendAudit(tx, {
    entityType: "api_key",
    entityId: r.id,
    actor: r.actor,
    action: "api_key_revoked",
    reason: `API key "${key.name}" (${key.prefix}…) revoked`,
    data: { name: key.name, prefix: key.prefix, scopes: key.scopes },
    at: r.at,
  });
  return { id: r.id, revokedAt: r.at };
}
