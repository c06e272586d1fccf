import type { DB, Tx } from "../../db/client.ts";
import { json, prepared } from "../../db/raw.ts";
import { bumpTableVersion, tableVersion } from "../../db/versions.ts";
import { appendAudit, SYSTEM, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { dueAtSql } from "../orders/ship-by.ts";
import { failingOutboxMessages } from "../worker/cursors.ts";
import { ALERT_RULES, evaluateAlerts, readThresholds, type AlertFacts, type AlertThresholds, type LiveAlert } from "./rules.ts";

export function loadThresholds(tx: Tx | DB): AlertThresholds {
  const row = prepared(tx, "SELECT value FROM settings WHERE key = 'alert_thresholds'").get() as { value: string } | undefined;
  return readThresholds(row ? JSON.parse(row.value) : null);
}

/** The snapshot the rules read: every row in a state an alert watches, with the time it entered it. */
function loadFacts(tx: Tx | DB): AlertFacts {
  const all = <T>(sqlText: string) => prepared(tx, sqlText).all() as T[];
  return {
    awaitingFulfillment: all("SELECT id AS orderId, status_changed_at AS since FROM orders WHERE status = 'awaiting_fulfillment'"),
    paymentProcessing: all("SELECT id AS orderId, status_changed_at AS since FROM orders WHERE status = 'payment_processing'"),
    pendingBackorders: all("SELECT id AS backorderId, order_id AS orderId, created_at AS createdAt FROM backorders WHERE status = 'pending'"),
    // Due by the earlier of ship-by and the promise kept from before a move (lib/orders/ship-by.ts).
    pendingShipments: all(`SELECT s.id AS shipmentId, s.order_id AS orderId, ${dueAtSql("s")} AS shipBy FROM shipments s WHERE s.status = 'pending'`),
    failedWebhooks: all("SELECT id AS webhookId, order_id AS orderId, received_at AS receivedAt, error FROM webhook_events WHERE error IS NOT NULL"),
    undeliveredOutbox: failingOutboxMessages(tx),
    heldOrders: all(
      `SELECT o.id AS orderId, d.created_at AS since, json_extract(d.plan, '$.hold.reason') AS reason
       FROM orders o JOIN routing_decisions d ON d.id = (SELECT max(id) FROM routing_decisions WHERE order_id = o.id)
       WHERE o.status = 'paid' AND d.held = 1`,
    ),
  };
}

export type EvaluationSummary = { raised: number; reraised: number; resolved: number; open: number };

/**
 * Runs the rules against the database: reads what they watch in one read transaction (a snapshot, holding
 * no lock a writer waits on: at a million orders the read and the rules take ~0.8 s, which an immediate
 * transaction made every cancel, payment and webhook wait out once a minute), then writes what changed in
 * a short immediate one. The writes are guarded for what may have happened in between: a raise is a no-op
 * if the alert is already live (the unique live (rule, subject) index), a re-raise only re-opens an alert
 * still acknowledged with its snooze over (not one acknowledged again meanwhile), a resolve only a live
 * alert. Runs take turns as the one immediate transaction made them: a run writes only if no other run
 * wrote since it read (`table_versions` 'alert_runs'), else it reads again, so an older snapshot never
 * undoes a newer one (the worker's run and a manager's "Evaluate now" in another process). A condition
 * that changed in between is seen by the next run, as one that changes just after a run always was.
 * Called by the worker every minute and by a manager's "Evaluate now". `afterRead` runs between the read
 * and the write of each attempt (tests use it to interleave a writer).
 */
export function evaluateAndStoreAlerts(db: DB, now = Date.now(), o: { afterRead?: (attempt: number) => void } = {}): EvaluationSummary {
  for (let attempt = 1; ; attempt++) {
    const { run, result } = db.transaction(
      (tx) => {
        const rules = ALERT_RULES.map(() => "?").join(", ");
        const live = prepared(tx, `SELECT id, rule, subject, status, snoozed_until AS snoozedUntil FROM alerts WHERE status <> 'resolved' AND rule IN (${rules})`).all(...ALERT_RULES) as LiveAlert[];
        return { run: tableVersion(tx, "alert_runs"), result: evaluateAlerts({ facts: loadFacts(tx), thresholds: loadThresholds(tx), live, now }) };
      },
      { behavior: "deferred" },
    );
    o.afterRead?.(attempt);
    const summary = db.transaction((tx) => (tableVersion(tx, "alert_runs") === run || attempt >= MAX_ATTEMPTS ? store(tx, result, now) : null), { behavior: "immediate" });
    if (summary) return summary;
  }
}

/** Reads before a run writes whatever another run did meanwhile: a third attempt writes (turns are seconds apart). */
const MAX_ATTEMPTS = 3;

function store(tx: Tx, result: ReturnType<typeof evaluateAlerts>, now: number): EvaluationSummary {
  bumpTableVersion(tx, "alert_runs");
  // A new alert on an order someone already owns an alert of is theirs too: one owner per order's row.
  const insert = prepared(
    tx,
    `INSERT INTO alerts (rule, subject, order_id, status, raised_at, since, data, owner_id, assigned_at)
     VALUES (?, ?, ?, 'open', ?, ?, ?, (SELECT owner_id FROM alerts WHERE order_id = ? AND status <> 'resolved' AND owner_id IS NOT NULL ORDER BY id LIMIT 1), NULL)
     ON CONFLICT DO NOTHING`,
  );
  let raised = 0;
  for (const a of result.raise) raised += insert.run(a.rule, a.subject, a.orderId, now, a.since, json(a.data), a.orderId).changes;
  const reopen = prepared(tx, "UPDATE alerts SET status = 'open', raised_at = ?, snoozed_until = NULL WHERE id = ? AND status = 'acknowledged' AND snoozed_until <= ?");
  const byId = prepared(tx, "SELECT id, rule, subject, order_id AS orderId FROM alerts WHERE id = ?");
  let reraised = 0;
  for (const id of result.reraise) {
    if (reopen.run(now, id, now).changes === 0) continue;
    reraised += 1;
    const a = byId.get(id) as { id: number; rule: string; subject: string; orderId: number | null };
    appendAudit(tx, { entityType: "alert", entityId: id, orderId: a.orderId, actor: SYSTEM, action: "alert_reraised", fromStatus: "acknowledged", toStatus: "open", reason: "Still stuck after the snooze.", data: { rule: a.rule, subject: a.subject }, at: now });
  }
  const close = prepared(tx, "UPDATE alerts SET status = 'resolved', resolved_at = ? WHERE id = ? AND status <> 'resolved'");
  let resolved = 0;
  for (const id of result.resolve) resolved += close.run(now, id).changes;
  const open = (prepared(tx, "SELECT count(*) AS n FROM alerts WHERE status = 'open'").get() as { n: number }).n;
  return { raised, reraised, resolved, open };
}

/** The snoozes a manager may choose when acknowledging. */
export const SNOOZE_HOURS = [1, 4, 24] as const;

const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/**
 * A manager takes an alert: it becomes theirs (the owner, replacing whoever it was assigned to), quiet until the snooze ends, and the note
 * is audited. An alert someone else holds (acknowledged, snooze not over) is theirs: the guarded
 * UPDATE lets one of two concurrent acknowledgements win and the other is told who holds it.
 */
export function acknowledgeAlert(tx: Tx, a: { alertId: number; note: string; snoozeHours: number; actor: Actor; at: number }): { alertId: number; snoozedUntil: number } {
  const row = prepared(tx, "SELECT id, rule, subject, order_id AS orderId, status FROM alerts WHERE id = ?").get(a.alertId) as
    | { id: number; rule: string; subject: string; orderId: number | null; status: string }
    | undefined;
  if (!row) throw new DomainError("not_found", `Alert ${a.alertId} does not exist.`);
  const snoozedUntil = a.at + a.snoozeHours * 3_600_000;
  const changed = prepared(
    tx,
    `UPDATE alerts SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ?, note = ?, snoozed_until = ?,
       owner_id = ?, assigned_at = CASE WHEN owner_id IS ? THEN assigned_at ELSE ? END
     WHERE id = ? AND status <> 'resolved'
       AND (status = 'open' OR acknowledged_by IS NULL OR acknowledged_by IS ? OR snoozed_until IS NULL OR snoozed_until <= ?)`,
  ).run(a.actor.id, a.at, a.note, snoozedUntil, a.actor.id, a.actor.id, a.at, a.alertId, a.actor.id, a.at).changes;
  if (changed === 0) throw refusal(tx, a.alertId);
  appendAudit(tx, {
    entityType: "alert",
    entityId: row.id,
    orderId: row.orderId,
    actor: a.actor,
    action: "alert_acknowledged",
    fromStatus: row.status,
    toStatus: "acknowledged",
    reason: a.note,
    data: { rule: row.rule, subject: row.subject, snoozedUntil },
    at: a.at,
  });
  return { alertId: row.id, snoozedUntil };
}

/** Why an acknowledgement changed nothing, read after the guarded UPDATE: cleared, or held by someone. */
function refusal(tx: Tx, alertId: number): DomainError {
  const now = prepared(tx, "SELECT a.status, a.acknowledged_at AS at, a.snoozed_until AS until, a.note, u.name FROM alerts a LEFT JOIN users u ON u.id = a.acknowledged_by WHERE a.id = ?").get(alertId) as
    | { status: string; at: number | null; until: number | null; note: string | null; name: string | null }
    | undefined;
  if (!now || now.status === "resolved") return new DomainError("conflict", "This alert has already cleared; nothing to acknowledge.");
  const who = now.name ?? "someone else";
  return new DomainError(
    "conflict",
    `${who} already acknowledged this alert${now.at ? ` at ${utc(now.at)}` : ""}${now.until ? ` and holds it until ${utc(now.until)}` : ""}${now.note ? `: “${now.note}”` : ""}. Ask ${who}, or take it once the snooze ends.`,
  );
}
