import "server-only";
import { database } from "../index.ts";
import { prepared } from "../raw.ts";
import { ORDER_STATUSES, ROUTING_OUTCOMES } from "../schema/index.ts";

const DAY = 86_400_000;

export function ordersByStatus(): { status: string; orders: number }[] {
  const rows = prepared(database(), "SELECT status, count(*) AS n FROM orders GROUP BY status").all() as { status: string; n: number }[];
  const by = new Map(rows.map((r) => [r.status, r.n]));
  return ORDER_STATUSES.map((status) => ({ status, orders: by.get(status) ?? 0 }));
}

export type RoutingMetrics = {
  outcomes: { outcome: string; decisions: number }[];
  total: number;
  splitRate: number;
  backorderRate: number;
  /** Per UTC day over the 30 days up to the latest decision. */
  daily: { day: string; decisions: number; splitRate: number; backorderRate: number }[];
};

/** Routing split and backorder rates, from routing_decisions. */
export function routingMetrics(): RoutingMetrics {
  const db = database();
  const counts = prepared(db, "SELECT outcome, count(*) AS n, sum(split) AS split, sum(backordered) AS backordered FROM routing_decisions GROUP BY outcome").all() as {
    outcome: string;
    n: number;
    split: number;
    backordered: number;
  }[];
  const total = counts.reduce((s, c) => s + c.n, 0);
  const split = counts.reduce((s, c) => s + c.split, 0);
  const backordered = counts.reduce((s, c) => s + c.backordered, 0);
  const latest = (prepared(db, "SELECT max(created_at) AS t FROM routing_decisions").get() as { t: number | null }).t;
  const daily = latest
    ? (prepared(
        db,
        `SELECT strftime('%Y-%m-%d', created_at / 1000, 'unixepoch') AS day, count(*) AS decisions, avg(split) AS splitRate, avg(backordered) AS backorderRate
         FROM routing_decisions WHERE created_at > ? GROUP BY day ORDER BY day`,
      ).all(latest - 30 * DAY) as RoutingMetrics["daily"])
    : [];
  const by = new Map(counts.map((c) => [c.outcome, c.n]));
  return {
    outcomes: ROUTING_OUTCOMES.map((outcome) => ({ outcome, decisions: by.get(outcome) ?? 0 })),
    total,
    splitRate: total ? split / total : 0,
    backorderRate: total ? backordered / total : 0,
    daily,
  };
}

export type PaidToShipped = { orders: number; p50Hours: number | null; p95Hours: number | null; histogram: { bucket: string; orders: number }[] };

const BUCKETS: [string, number][] = [
  ["< 12 h", 12],
  ["12–24 h", 24],
  ["1–2 d", 48],
  ["2–3 d", 72],
  ["3–5 d", 120],
  ["5–7 d", 168],
  ["> 7 d", Infinity],
];

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Time from payment (the audit row into `paid`) to the order's first shipped shipment. */
export function paidToShipped(): PaidToShipped {
  const rows = prepared(
    database(),
    `SELECT (SELECT min(s.shipped_at) FROM shipments s WHERE s.order_id = a.order_id AND s.shipped_at IS NOT NULL) - min(a.created_at) AS ms
     FROM audit_events a WHERE a.entity_type = 'order' AND a.to_status = 'paid' AND a.order_id IS NOT NULL
     GROUP BY a.order_id HAVING ms IS NOT NULL AND ms >= 0`,
  ).all() as { ms: number }[];
  const hours = rows.map((r) => r.ms / 3_600_000).sort((a, b) => a - b);
  const histogram = BUCKETS.map(([bucket]) => ({ bucket, orders: 0 }));
  for (const h of hours) histogram[BUCKETS.findIndex(([, max]) => h < max)]!.orders += 1;
  return { orders: hours.length, p50Hours: percentile(hours, 50), p95Hours: percentile(hours, 95), histogram };
}
