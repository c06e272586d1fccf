import "server-only";
import { database } from "../index.ts";
import { prepared } from "../raw.ts";

const ALERT_PAGE_SIZE = 50;

/** A lead's view: only these rules, and only shipments at this location (null: every location). */
type Scope = { rules: readonly string[] | null; locationId: number | null };

type AlertRow = {
  id: number;
  rule: string;
  subject: string;
  status: "open" | "acknowledged";
  orderId: number | null;
  orderNumber: string | null;
  since: number;
  raisedAt: number;
  ownerId: number | null;
  owner: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  note: string | null;
  snoozedUntil: number | null;
  data: string | null;
  /** The location of the alert's shipment, for shipment alerts. */
  shipmentLocation: string | null;
};

/** Live alerts of one order (or one orderless alert): one row on the alerts screen. */
export type AlertGroup = { key: number; since: number; orderNumber: string | null; locations: string[]; alerts: AlertRow[] };

const SHIPMENT_OF = "CASE WHEN a.subject LIKE 'shipment:%' THEN CAST(substr(a.subject, 10) AS INTEGER) END";

function filters(f: { rule?: string; status?: "open" | "acknowledged"; owner?: number | "none"; scope: Scope }) {
  const where = ["a.status <> 'resolved'"];
  const params: (string | number)[] = [];
  const add = (clause: string, ...values: (string | number)[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (f.rule) add("a.rule = ?", f.rule);
  if (f.status) add("a.status = ?", f.status);
  if (f.owner === "none") add("a.owner_id IS NULL");
  else if (f.owner !== undefined) add("a.owner_id = ?", f.owner);
  if (f.scope.rules) add(`a.rule IN (${f.scope.rules.map(() => "?").join(", ")})`, ...f.scope.rules);
  if (f.scope.locationId !== null) add(`(SELECT s.location_id FROM shipments s WHERE s.id = ${SHIPMENT_OF}) = ?`, f.scope.locationId);
  return { where: where.join(" AND "), params };
}

/**
 * Live alerts grouped one row per order (an alert without an order is its own row), the group with the
 * oldest condition first; keyset on (since, key). Each group lists its alerts and the locations of the
 * order's open shipments.
 */
export function listAlertGroups(f: {
  rule?: string;
  status?: "open" | "acknowledged";
  owner?: number | "none";
  scope: Scope;
  after?: { since: number; key: number } | null;
  limit?: number;
}): { groups: AlertGroup[]; next: { since: number; key: number } | null } {
  const limit = f.limit ?? ALERT_PAGE_SIZE;
  const { where, params } = filters(f);
  const having = f.after ? "HAVING min(a.since) > ? OR (min(a.since) = ? AND gkey > ?)" : "";
  const keys = prepared(
    database(),
    `SELECT coalesce(a.order_id, -a.id) AS gkey, min(a.since) AS since FROM alerts a WHERE ${where}
     GROUP BY gkey ${having} ORDER BY since, gkey LIMIT ?`,
  ).all(...params, ...(f.after ? [f.after.since, f.after.since, f.after.key] : []), limit + 1) as { gkey: number; since: number }[];
  const page = keys.slice(0, limit);
  if (page.length === 0) return { groups: [], next: null };
  const inKeys = page.map(() => "?").join(", ");
  const rows = prepared(
    database(),
    `SELECT a.id, a.rule, a.subject, a.status, a.order_id AS orderId, o.number AS orderNumber, a.since, a.raised_at AS raisedAt,
            a.owner_id AS ownerId, ow.name AS owner, ak.name AS acknowledgedBy, a.acknowledged_at AS acknowledgedAt, a.note,
            a.snoozed_until AS snoozedUntil, a.data,
            (SELECT l.code FROM shipments s JOIN locations l ON l.id = s.location_id WHERE s.id = ${SHIPMENT_OF}) AS shipmentLocation
     FROM alerts a LEFT JOIN orders o ON o.id = a.order_id LEFT JOIN users ow ON ow.id = a.owner_id LEFT JOIN users ak ON ak.id = a.acknowledged_by
     WHERE ${where} AND coalesce(a.order_id, -a.id) IN (${inKeys}) ORDER BY a.since, a.id`,
  ).all(...params, ...page.map((k) => k.gkey)) as AlertRow[];
  const orderIds = page.filter((k) => k.gkey > 0).map((k) => k.gkey);
  const located = orderIds.length
    ? (prepared(
        database(),
        `SELECT DISTINCT s.order_id AS orderId, l.code FROM shipments s JOIN locations l ON l.id = s.location_id
         WHERE s.order_id IN (${orderIds.map(() => "?").join(", ")}) AND s.status IN ('pending', 'picking', 'packed') ORDER BY l.code`,
      ).all(...orderIds) as { orderId: number; code: string }[])
    : [];
  const groups = page.map((k) => {
    const alerts = rows.filter((r) => (r.orderId ?? -r.id) === k.gkey);
    const codes = new Set([...located.filter((l) => l.orderId === k.gkey).map((l) => l.code), ...alerts.map((a) => a.shipmentLocation).filter((c): c is string => !!c)]);
    return { key: k.gkey, since: k.since, orderNumber: alerts[0]?.orderNumber ?? null, locations: [...codes].sort(), alerts };
  });
  return { groups, next: keys.length > limit ? { since: page[limit - 1]!.since, key: page[limit - 1]!.gkey } : null };
}

const unscoped = (scope: Scope) => scope.rules === null && scope.locationId === null;

/**
 * Live alerts per rule and status, for the filter chips and the metrics chart. Unscoped, from the
 * trigger-kept alert_counts (migration 0015_rollups); a lead's scope (rules, a location) is counted from
 * the alerts themselves, which the rollup cannot tell apart.
 */
export function alertCountsByRule(scope: Scope = { rules: null, locationId: null }): { rule: string; open: number; acknowledged: number }[] {
  if (unscoped(scope)) {
    return prepared(
      database(),
      `SELECT rule, sum(CASE WHEN status = 'open' THEN alerts ELSE 0 END) AS open, sum(CASE WHEN status = 'acknowledged' THEN alerts ELSE 0 END) AS acknowledged
       FROM alert_counts GROUP BY rule HAVING sum(alerts) > 0 ORDER BY rule`,
    ).all() as { rule: string; open: number; acknowledged: number }[];
  }
  const { where, params } = filters({ scope });
  return prepared(
    database(),
    `SELECT a.rule, sum(a.status = 'open') AS open, sum(a.status = 'acknowledged') AS acknowledged
     FROM alerts a WHERE ${where} GROUP BY a.rule ORDER BY a.rule`,
  ).all(...params) as { rule: string; open: number; acknowledged: number }[];
}

/** What the navigation badge shows: alerts nobody has taken yet, within the viewer's scope (unscoped: from alert_counts). */
export function openAlertCount(scope: Scope = { rules: null, locationId: null }): number {
  if (unscoped(scope)) return (prepared(database(), "SELECT coalesce(sum(alerts), 0) AS n FROM alert_counts WHERE status = 'open'").get() as { n: number }).n;
  const { where, params } = filters({ status: "open", scope });
  return (prepared(database(), `SELECT count(*) AS n FROM alerts a WHERE ${where}`).get(...params) as { n: number }).n;
}

/** Staff who may own an alert (enabled, in a role that reads alerts), by name. */
export function alertStaff({ roles }: { roles: readonly string[] }): { id: number; name: string; role: string }[] {
  return prepared(database(), `SELECT id, name, role FROM users WHERE disabled = 0 AND role IN (${roles.map(() => "?").join(", ")}) ORDER BY name, id`).all(...roles) as {
    id: number;
    name: string;
    role: string;
  }[];
}
