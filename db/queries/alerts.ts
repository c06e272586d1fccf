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
  if (f.scope.locationId !== null) add("a.location_id = ?", f.scope.locationId);
  return { where: where.join(" AND "), params };
}

/**
 * The first `want` groups in (oldest condition, key) order after `f.after`, found by walking the live
 * alerts oldest first and stopping once enough groups are seen: a GROUP BY over every live alert cost
 * 150 ms a request at 146,000 live alerts; this reads a few rows per group on the page. A group's
 * oldest condition is the first of its alerts the walk meets; a group with an alert older than the
 * page's start was listed on an earlier page.
 */
function groupKeys({ where, params }: { where: string; params: (string | number)[] }, after: { since: number; key: number } | null, want: number): { gkey: number; since: number }[] {
  const walk = prepared(
    database(),
    `SELECT coalesce(a.order_id, -a.id) AS gkey, a.since FROM alerts a WHERE ${where}${after ? " AND a.since >= ?" : ""} ORDER BY a.since, a.id`,
  );
  const earlierInOrder = prepared(database(), `SELECT 1 FROM alerts a WHERE ${where} AND a.order_id = ? AND a.since < ? LIMIT 1`);
  const seen = new Set<number>();
  const found: { gkey: number; since: number }[] = [];
  let lastSince: number | null = null;
  for (const row of walk.iterate(...params, ...(after ? [after.since] : [])) as IterableIterator<{ gkey: number; since: number }>) {
    // Past the since of the last group wanted: every group tied with it on since has been seen.
    if (lastSince !== null && row.since > lastSince) break;
    if (seen.has(row.gkey)) continue;
    seen.add(row.gkey);
    if (after) {
      if (row.since === after.since && row.gkey <= after.key) continue;
      if (row.gkey > 0 && earlierInOrder.get(...params, row.gkey, after.since)) continue;
    }
    found.push(row);
    if (found.length === want) lastSince = row.since;
  }
  return found.sort((a, b) => a.since - b.since || a.gkey - b.gkey).slice(0, want);
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
  const keys = groupKeys({ where, params }, f.after ?? null, limit + 1);
  const page = keys.slice(0, limit);
  if (page.length === 0) return { groups: [], next: null };
  // The page's alerts by id, found through alerts_order_idx and the primary key: `coalesce(order_id, -id) IN (…)`,
  // or an OR of the two, reads every live alert (40–70 ms at 146,000). The id lists go in as JSON, so one
  // statement serves every page (a placeholder per id would prepare one per mix of orders and orderless alerts).
  const orderKeys = page.filter((k) => k.gkey > 0).map((k) => k.gkey);
  const alertKeys = page.filter((k) => k.gkey < 0).map((k) => -k.gkey);
  const rows = prepared(
    database(),
    `SELECT a.id, a.rule, a.subject, a.status, a.order_id AS orderId, o.number AS orderNumber, a.since, a.raised_at AS raisedAt,
            a.owner_id AS ownerId, ow.name AS owner, ak.name AS acknowledgedBy, a.acknowledged_at AS acknowledgedAt, a.note,
            a.snoozed_until AS snoozedUntil, a.data,
            (SELECT l.code FROM locations l WHERE l.id = a.location_id) AS shipmentLocation
     FROM alerts a LEFT JOIN orders o ON o.id = a.order_id LEFT JOIN users ow ON ow.id = a.owner_id LEFT JOIN users ak ON ak.id = a.acknowledged_by
     WHERE a.id IN (SELECT id FROM alerts WHERE order_id IN (SELECT value FROM json_each(?)) UNION ALL SELECT id FROM alerts WHERE order_id IS NULL AND id IN (SELECT value FROM json_each(?)))
       AND ${where} ORDER BY a.since, a.id`,
  ).all(JSON.stringify(orderKeys), JSON.stringify(alertKeys), ...params) as AlertRow[];
  // `+s.status`: through shipments_order_idx; with 50 orders the planner would otherwise walk every open shipment by status.
  const located = orderKeys.length
    ? (prepared(
        database(),
        `SELECT DISTINCT s.order_id AS orderId, l.code FROM shipments s JOIN locations l ON l.id = s.location_id
         WHERE s.order_id IN (SELECT value FROM json_each(?)) AND +s.status IN ('pending', 'picking', 'packed') ORDER BY l.code`,
      ).all(JSON.stringify(orderKeys)) as { orderId: number; code: string }[])
    : [];
  const groups = page.map((k) => {
    const alerts = rows.filter((r) => (r.orderId ?? -r.id) === k.gkey);
    const codes = new Set([...located.filter((l) => l.orderId === k.gkey).map((l) => l.code), ...alerts.map((a) => a.shipmentLocation).filter((c): c is string => !!c)]);
    return { key: k.gkey, since: k.since, orderNumber: alerts[0]?.orderNumber ?? null, locations: [...codes].sort(), alerts };
  });
  return { groups, next: keys.length > limit ? { since: page[limit - 1]!.since, key: page[limit - 1]!.gkey } : null };
}

/** The rollup counts per rule, so a scope of rules alone reads it; only a location needs the alerts themselves. */
const fromRollup = (scope: Scope) => scope.locationId === null;
const rulesIn = (scope: Scope) => (scope.rules ? ` AND rule IN (${scope.rules.map(() => "?").join(", ")})` : "");

/**
 * Live alerts per rule and status, for the filter chips and the metrics chart: from the trigger-kept
 * alert_counts (migration 0016_rollups) unless the scope names a location, which the rollup cannot
 * tell apart; a lead's location is counted from the alerts themselves.
 */
export function alertCountsByRule(scope: Scope = { rules: null, locationId: null }): { rule: string; open: number; acknowledged: number }[] {
  if (fromRollup(scope)) {
    return prepared(
      database(),
      `SELECT rule, sum(CASE WHEN status = 'open' THEN alerts ELSE 0 END) AS open, sum(CASE WHEN status = 'acknowledged' THEN alerts ELSE 0 END) AS acknowledged
       FROM alert_counts WHERE 1 = 1${rulesIn(scope)} GROUP BY rule HAVING sum(alerts) > 0 ORDER BY rule`,
    ).all(...(scope.rules ?? [])) as { rule: string; open: number; acknowledged: number }[];
  }
  const { where, params } = filters({ scope });
  return prepared(
    database(),
    `SELECT a.rule, sum(a.status = 'open') AS open, sum(a.status = 'acknowledged') AS acknowledged
     FROM alerts a WHERE ${where} GROUP BY a.rule ORDER BY a.rule`,
  ).all(...params) as { rule: string; open: number; acknowledged: number }[];
}

/** What the navigation badge shows: alerts nobody has taken yet, within the viewer's scope (from alert_counts unless it names a location). */
export function openAlertCount(scope: Scope = { rules: null, locationId: null }): number {
  if (fromRollup(scope)) {
    return (prepared(database(), `SELECT coalesce(sum(alerts), 0) AS n FROM alert_counts WHERE status = 'open'${rulesIn(scope)}`).get(...(scope.rules ?? [])) as { n: number }).n;
  }
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
