import "server-only";
import { database } from "../index.ts";
import { prepared } from "../raw.ts";

const ALERT_PAGE_SIZE = 50;

type AlertRow = {
  id: number;
  rule: string;
  subject: string;
  status: "open" | "acknowledged";
  orderNumber: string | null;
  since: number;
  raisedAt: number;
  owner: string | null;
  acknowledgedAt: number | null;
  note: string | null;
  snoozedUntil: number | null;
  data: string | null;
};

/** Live alerts (open or acknowledged), oldest condition first, keyset on (since, id). */
export function listAlerts({ rule, status, after, limit = ALERT_PAGE_SIZE }: { rule?: string; status?: "open" | "acknowledged"; after?: { since: number; id: number } | null; limit?: number }) {
  const where = ["a.status <> 'resolved'"];
  const params: (string | number)[] = [];
  const add = (clause: string, ...values: (string | number)[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (rule) add("a.rule = ?", rule);
  if (status) add("a.status = ?", status);
  if (after) add("(a.since > ? OR (a.since = ? AND a.id > ?))", after.since, after.since, after.id);
  const rows = prepared(
    database(),
    `SELECT a.id, a.rule, a.subject, a.status, o.number AS orderNumber, a.since, a.raised_at AS raisedAt, u.name AS owner,
            a.acknowledged_at AS acknowledgedAt, a.note, a.snoozed_until AS snoozedUntil, a.data
     FROM alerts a LEFT JOIN orders o ON o.id = a.order_id LEFT JOIN users u ON u.id = a.acknowledged_by
     WHERE ${where.join(" AND ")} ORDER BY a.since ASC, a.id ASC LIMIT ?`,
  ).all(...params, limit + 1) as AlertRow[];
  return { rows: rows.slice(0, limit), next: rows.length > limit ? { since: rows[limit - 1]!.since, id: rows[limit - 1]!.id } : null };
}

/** Live alerts per rule and status, for the filter chips and the metrics chart (from the trigger-kept alert_counts). */
export function alertCountsByRule(): { rule: string; open: number; acknowledged: number }[] {
  return prepared(
    database(),
    `SELECT rule, sum(CASE WHEN status = 'open' THEN alerts ELSE 0 END) AS open, sum(CASE WHEN status = 'acknowledged' THEN alerts ELSE 0 END) AS acknowledged
     FROM alert_counts GROUP BY rule HAVING sum(alerts) > 0 ORDER BY rule`,
  ).all() as { rule: string; open: number; acknowledged: number }[];
}

/** What the navigation badge shows: alerts nobody has taken yet. */
export function openAlertCount(): number {
  return (prepared(database(), "SELECT coalesce(sum(alerts), 0) AS n FROM alert_counts WHERE status = 'open'").get() as { n: number }).n;
}
