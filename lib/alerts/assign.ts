import type { Tx } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";
import type { Role } from "../../db/schema/auth.ts";
import { appendAudit, type Actor } from "../audit.ts";
import { can } from "../auth/permissions.ts";
import { DomainError } from "../errors.ts";
import { acknowledgeAlert } from "./evaluate.ts";
import { SHIPMENT_ALERT_RULE, type AlertScope } from "./scope.ts";

type LiveRow = { id: number; rule: string; subject: string; orderId: number | null; status: string; ownerId: number | null };

/** The live alerts asked for, each inside the caller's scope; any other id refuses the whole request. */
function liveAlerts(tx: Tx, ids: number[], scope: AlertScope): LiveRow[] {
  const unique = [...new Set(ids)];
  const rows = prepared(tx, `SELECT id, rule, subject, order_id AS orderId, status, owner_id AS ownerId FROM alerts WHERE id IN (${unique.map(() => "?").join(", ")})`).all(...unique) as LiveRow[];
  for (const id of unique) {
    const row = rows.find((r) => r.id === id);
    if (!row) throw new DomainError("not_found", `Alert ${id} does not exist.`);
    if (row.status === "resolved") throw new DomainError("conflict", `Alert ${id} has already cleared; reload.`);
    if (scope.shipmentsOnly && row.rule !== SHIPMENT_ALERT_RULE) throw new DomainError("forbidden", `Alert ${id} is not a shipment alert; a manager owns it.`);
    if (scope.locationId !== null && row.rule === SHIPMENT_ALERT_RULE) {
      const at = prepared(tx, "SELECT location_id AS id FROM shipments WHERE id = ?").get(Number(row.subject.split(":")[1])) as { id: number } | undefined;
      if (at?.id !== scope.locationId) throw new DomainError("forbidden", `Alert ${id} is for another location's shipment.`);
    }
  }
  return rows;
}

/**
 * Gives alerts an owner (or none) without acknowledging them: they stay open and counted, and the
 * owner is who answers for them. One audit row per alert, the note with it.
 */
export function assignAlerts(tx: Tx, a: { alertIds: number[]; ownerId: number | null; note: string | null; scope: AlertScope; actor: Actor; at: number }): { assigned: number } {
  if (a.ownerId !== null) {
    const owner = prepared(tx, "SELECT role, disabled FROM users WHERE id = ?").get(a.ownerId) as { role: Role; disabled: number } | undefined;
    if (!owner || owner.disabled) throw new DomainError("invalid_input", "Choose a current member of staff.");
    if (!can({ role: owner.role }, "alerts:read")) throw new DomainError("invalid_input", "That person cannot see alerts; choose someone who can.");
  }
  const update = prepared(tx, "UPDATE alerts SET owner_id = ?, assigned_at = ? WHERE id = ? AND status <> 'resolved'");
  let assigned = 0;
  for (const row of liveAlerts(tx, a.alertIds, a.scope)) {
    if (row.ownerId === a.ownerId) continue;
    assigned += update.run(a.ownerId, a.at, row.id).changes;
    appendAudit(tx, {
      entityType: "alert",
      entityId: row.id,
      orderId: row.orderId,
      actor: a.actor,
      action: a.ownerId === null ? "alert_unassigned" : "alert_assigned",
      fromStatus: row.status,
      toStatus: row.status,
      reason: a.note,
      data: { rule: row.rule, subject: row.subject, from: row.ownerId, to: a.ownerId },
      at: a.at,
    });
  }
  return { assigned };
}

/** Acknowledges several alerts with one note, all or none (an alert someone else holds refuses the lot, saying who). */
export function acknowledgeAlerts(tx: Tx, a: { alertIds: number[]; note: string; snoozeHours: number; scope: AlertScope; actor: Actor; at: number }): { acknowledged: number } {
  const rows = liveAlerts(tx, a.alertIds, a.scope);
  for (const row of rows) acknowledgeAlert(tx, { alertId: row.id, note: a.note, snoozeHours: a.snoozeHours, actor: a.actor, at: a.at });
  return { acknowledged: rows.length };
}
