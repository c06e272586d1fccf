import { prepared } from "../../db/raw.ts";
import type { Tx } from "../../db/client.ts";
import { appendAudit, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";

/** A lead saves the location their shipments queue opens on (null clears it); audited on the user. */
export function setDefaultLocation(tx: Tx, d: { userId: number; locationId: number | null; actor: Actor; at: number }): { locationId: number | null } {
  if (d.locationId !== null) {
    const loc = prepared(tx, "SELECT kind, active FROM locations WHERE id = ?").get(d.locationId) as { kind: string; active: number } | undefined;
    if (!loc || loc.kind === "dropship" || !loc.active) throw new DomainError("invalid_input", "Choose an active warehouse or 3PL.");
  }
  const before = prepared(tx, "SELECT default_location_id AS id FROM users WHERE id = ?").get(d.userId) as { id: number | null } | undefined;
  if (!before) throw new DomainError("not_found", "No such user.");
  prepared(tx, "UPDATE users SET default_location_id = ?, updated_at = ? WHERE id = ?").run(d.locationId, d.at, d.userId);
  appendAudit(tx, { entityType: "user", entityId: d.userId, actor: d.actor, action: "default_location_set", data: { from: before.id, to: d.locationId }, at: d.at });
  return { locationId: d.locationId };
}
