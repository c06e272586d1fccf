import "server-only";
import { database } from "../index.ts";
import { prepared } from "../raw.ts";
import { ORDER_STATUSES, ROUTING_OUTCOMES } from "../schema/index.ts";

export function ordersByStatus(): { status: string; orders: number }[] {
  const rows = prepared(database(), "SELECT status, count(*) AS n FROM orders GROUP BY status").all() as { status: string; n: number }[];
  const by = new Map(rows.map((r) => [r.status, r.n]));
  return ORDER_STATUSES.map((status) => ({ status, orders: by.get(status) ?? 0 }));
}

/** A half-open range of instants [from, to), UTC epoch ms. Every metric below is over one; callers choose it. */
export type MetricsRange = { from: number; to: number };

export type RoutingMetrics = {
  outcomes: { outcome: string; decisions: number }[];
  total: number;
  splitRate: number;
  backorderRate: number;
};

/** Routing decisions made in the range: outcomes, split and backorder rates. */
export function routingMetrics({ from, to }: MetricsRange): RoutingMetrics {
  const counts = prepared(
    database(),
    "SELECT outcome, count(*) AS n, sum(split) AS split, sum(backordered) AS backordered FROM routing_decisions WHERE created_at >= ? AND created_at < ? GROUP BY outcome",
  ).all(from, to) as { outcome: string; n: number; split: number; backordered: number }[];
  const total = counts.reduce((s, c) => s + c.n, 0);
  const split = counts.reduce((s, c) => s + c.split, 0);
  const backordered = counts.reduce((s, c) => s + c.backordered, 0);
  const by = new Map(counts.map((c) => [c.outcome, c.n]));
  return {
    outcomes: ROUTING_OUTCOMES.map((outcome) => ({ outcome, decisions: by.get(outcome) ?? 0 })),
    total,
    splitRate: total ? split / total : 0,
    backorderRate: total ? backordered / total : 0,
  };
}

/** Orders placed in the range. */
export function ordersPlaced({ from, to }: MetricsRange): number {
  return (prepared(database(), "SELECT count(*) AS n FROM orders WHERE placed_at >= ? AND placed_at < ?").get(from, to) as { n: number }).n;
}

export type DailyActivity = { orders: number; decisions: number; split: number; backordered: number };

/**
 * Per day (each day its own range, so days follow the viewer's zone and its daylight-saving changes):
 * orders placed and routing decisions, split and backordered. Every asked day has a row, zero when
 * nothing happened.
 */
export function dailyActivity(days: MetricsRange[]): DailyActivity[] {
  const db = database();
  const placed = prepared(db, "SELECT count(*) AS n FROM orders WHERE placed_at >= ? AND placed_at < ?");
  const routed = prepared(db, "SELECT count(*) AS n, coalesce(sum(split), 0) AS split, coalesce(sum(backordered), 0) AS backordered FROM routing_decisions WHERE created_at >= ? AND created_at < ?");
  return days.map(({ from, to }) => {
    const r = routed.get(from, to) as { n: number; split: number; backordered: number };
    return { orders: (placed.get(from, to) as { n: number }).n, decisions: r.n, split: r.split, backordered: r.backordered };
  });
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

/** Time from payment (the audit row into `paid`) to the order's first shipment, for orders whose first shipment left in the range. */
export function paidToShipped({ from, to }: MetricsRange): PaidToShipped {
  const rows = prepared(
    database(),
    `WITH first_shipped AS (
       SELECT order_id, min(shipped_at) AS shipped FROM shipments WHERE shipped_at IS NOT NULL GROUP BY order_id HAVING shipped >= ? AND shipped < ?
     )
     SELECT f.shipped - (SELECT min(a.created_at) FROM audit_events a WHERE a.order_id = f.order_id AND a.entity_type = 'order' AND a.to_status = 'paid') AS ms
     FROM first_shipped f WHERE ms IS NOT NULL AND ms >= 0`,
  ).all(from, to) as { ms: number }[];
  const hours = rows.map((r) => r.ms / 3_600_000).sort((a, b) => a - b);
  const histogram = BUCKETS.map(([bucket]) => ({ bucket, orders: 0 }));
  for (const h of hours) histogram[BUCKETS.findIndex(([, max]) => h < max)]!.orders += 1;
  return { orders: hours.length, p50Hours: percentile(hours, 50), p95Hours: percentile(hours, 95), histogram };
}
