import type { Tx } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";
import { appendAudit, type Actor } from "../audit.ts";

/**
 * When an alert's subject splits (a backorder partly filled leaves its rest as a new row), the live
 * alert follows what remains: same row, so its owner, note, snooze and age stay; audited on the alert.
 */
export function carryAlert(tx: Tx, o: { rule: string; from: string; to: string; orderId: number | null; actor: Actor; at: number; reason: string }): boolean {
  const alert = prepared(tx, "SELECT id FROM alerts WHERE rule = ? AND subject = ? AND status <> 'resolved'").get(o.rule, o.from) as { id: number } | undefined;
  if (!alert) return false;
  prepared(tx, "UPDATE alerts SET subject = ? WHERE id = ? AND status <> 'resolved'").run(o.to, alert.id);
  appendAudit(tx, { entityType: "alert", entityId: alert.id, orderId: o.orderId, actor: o.actor, action: "alert_carried", reason: o.reason, data: { rule: o.rule, from: o.from, to: o.to }, at: o.at });
  return true;
}

/** Whether a subject already has a live past-SLA alert (two live alerts of one rule and subject cannot exist). */
export function liveAlertOn(tx: Tx, subject: string): boolean {
  return prepared(tx, "SELECT 1 FROM alerts WHERE rule = 'shipment_past_sla' AND subject = ? AND status <> 'resolved'").get(subject) !== undefined;
}
