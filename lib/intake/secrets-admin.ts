import { createHash } from "node:crypto";
import type { Tx } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";
import { appendAudit, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { generateSecret, ROTATION_GRACE_MS } from "./secrets.ts";
import { SOURCE_LABELS, type WebhookSource } from "./types.ts";

/** A short fingerprint for the audit trail and the admin list: tells secrets apart without revealing them. */
export function fingerprint(secret: string): string {
  return createHash("sha256").update(secret).digest("hex").slice(0, 8);
}

/**
 * Creates or rotates a source's signing secret: generated here, or pasted from the sender (Stripe makes its
 * own). The previous secret stays valid for the grace period. Returned once to show the admin; only a
 * fingerprint is audited.
 */
export function setWebhookSecret(tx: Tx, s: { source: WebhookSource; secret?: string | null; actor: Actor; at: number }): { secret: string; rotated: boolean; previousValidUntil: number | null } {
  const secret = s.secret?.trim() || generateSecret(s.source);
  if (secret.length < 16) throw new DomainError("invalid_input", "A signing secret needs at least 16 characters.");
  const current = prepared(tx, "SELECT id, secret FROM webhook_endpoints WHERE source = ?").get(s.source) as { id: number; secret: string } | undefined;
  if (current?.secret === secret) throw new DomainError("invalid_input", "That is already the current secret.");
  const validUntil = current ? s.at + ROTATION_GRACE_MS : null;
  const id = current
    ? (prepared(tx, "UPDATE webhook_endpoints SET secret = ?, previous_secret = secret, previous_valid_until = ?, rotated_at = ?, created_by = ? WHERE id = ? RETURNING id").get(secret, validUntil, s.at, s.actor.id, current.id) as { id: number }).id
    : (prepared(tx, "INSERT INTO webhook_endpoints (source, secret, created_by, created_at) VALUES (?, ?, ?, ?) RETURNING id").get(s.source, secret, s.actor.id, s.at) as { id: number }).id;
  appendAudit(tx, {
    entityType: "webhook_secret",
    entityId: id,
    actor: s.actor,
    action: current ? "webhook_secret_rotated" : "webhook_secret_created",
    reason: `${SOURCE_LABELS[s.source]} signing secret ${current ? "rotated" : "created"} (${s.secret?.trim() ? "from the sender" : "generated"}), fingerprint ${fingerprint(secret)}${current ? `; the previous one (${fingerprint(current.secret)}) is accepted for 24 h` : ""}`,
    data: { source: s.source, fingerprint: fingerprint(secret), previousFingerprint: current ? fingerprint(current.secret) : null, previousValidUntil: validUntil },
    at: s.at,
  });
  return { secret, rotated: !!current, previousValidUntil: validUntil };
}
