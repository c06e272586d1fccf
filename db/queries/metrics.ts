import "server-only";
import { database } from "../index.ts";
import { prepared } from "../raw.ts";
import { ORDER_STATUSES, ROUTING_OUTCOMES } from "../schema/index.ts";
import { readByHour, sumByKey } from "./hours.ts";
import { countOrdersByStatus } from "./orders.ts";

// Every function here reads the rollups that migration 0015_rollups keeps by trigger (order_status_counts,
// orders_placed_hourly, routing_hourly, paid_to_shipped_hourly) for the whole UTC hours of a range, so a screen
// costs the same at 1,000 or 1,000,000 orders. The viewer's days start on an hour in every whole-hour zone; any
// partial hour at a range's ends (a :30/:45 zone) is read exactly from the base table over its time index.

/** Orders in each status now. */
export function ordersByStatus(): { status: string; orders: number }[] {
  const counts = countOrdersByStatus();
  return ORDER_STATUSES.map((status) => ({ status, orders: counts[status] }));
}

/** A half-open range of instants [from, to), UTC epoch ms. Every metric below is over one; callers choose it. */
export type MetricsRange = { from: number; to: number };

export type RoutingMetrics = {
  outcomes: { outcome: string; decisions: number }[];
  total: number;
  splitRate: number;
  backorderRate: number;
};

type RoutingCount = { outcome: string; n: number; split: number; backordered: number };

function routingCounts(range: MetricsRange): RoutingCount[] {
  const db = database();
  return sumByKey(
    readByHour(
      range,
      (hours) => prepared(db, "SELECT outcome, sum(decisions) AS n, sum(split) AS split, sum(backordered) AS backordered FROM routing_hourly WHERE hour >= ? AND hour < ? GROUP BY outcome").all(hours.from, hours.to) as RoutingCount[],
      (e) =>
        prepared(db, "SELECT outcome, count(*) AS n, sum(split) AS split, sum(backordered) AS backordered FROM routing_decisions WHERE created_at >= ? AND created_at < ? GROUP BY outcome").all(e.from, e.to) as RoutingCount[],
    ),
    "outcome",
  );
}

/** Routing decisions made in the range: outcomes, split and backorder rates. */
export function routingMetrics(range: MetricsRange): RoutingMetrics {
  const counts = routingCounts(range);
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
export function ordersPlaced(range: MetricsRange): number {
  const db = database();
  return readByHour(
    range,
    (hours) => [(prepared(db, "SELECT coalesce(sum(orders), 0) AS n FROM orders_placed_hourly WHERE hour >= ? AND hour < ?").get(hours.from, hours.to) as { n: number }).n],
    (e) => [(prepared(db, "SELECT count(*) AS n FROM orders WHERE placed_at >= ? AND placed_at < ?").get(e.from, e.to) as { n: number }).n],
  ).reduce((a, b) => a + b, 0);
}

export type DailyActivity = { orders: number; decisions: number; split: number; backordered: number };

/**
 * Per day (each day its own range, so days follow the viewer's zone and its daylight-saving changes):
 * orders placed and routing decisions, split and backordered. Every asked day has a row, zero when
 * nothing happened.
 */
export function dailyActivity(days: MetricsRange[]): DailyActivity[] {
  return days.map((day) => {
    const routed = routingCounts(day);
    return {
      orders: ordersPlaced(day),
      decisions: routed.reduce((s, c) => s + c.n, 0),
      split: routed.reduce((s, c) => s + c.split, 0),
      backordered: routed.reduce((s, c) => s + c.backordered, 0),
    };
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

/** Nearest-rank percentile over (value, count) pairs sorted by value. */
function percentile(sorted: { tenths: number; orders: number }[], total: number, p: number): number | null {
  if (total === 0) return null;
  const rank = Math.min(total, Math.max(1, Math.ceil((p / 100) * total)));
  let seen = 0;
  for (const b of sorted) {
    seen += b.orders;
    // The middle of the tenth of an hour the value lies in: within 3 minutes of the exact time.
    if (seen >= rank) return (b.tenths + 0.5) / 10;
  }
  return null;
}

/**
 * Time from payment (the first audit row into `paid`) to the order's first shipment, for orders whose first
 * shipment left in the range, in tenths of an hour (the rollup's precision).
 */
export function paidToShipped(range: MetricsRange): PaidToShipped {
  const db = database();
  const parts = readByHour(
    range,
    (hours) =>
      prepared(db, "SELECT tenth_hours AS tenths, sum(orders) AS orders FROM paid_to_shipped_hourly WHERE hour >= ? AND hour < ? GROUP BY tenth_hours").all(hours.from, hours.to) as {
        tenths: number;
        orders: number;
      }[],
    // The same milestones the triggers count, over order_milestones_shipped_idx.
    (e) =>
      prepared(db, "SELECT (shipped_at - paid_at) / 360000 AS tenths, count(*) AS orders FROM order_milestones WHERE shipped_at >= ? AND shipped_at < ? AND shipped_at >= paid_at GROUP BY 1").all(
        e.from,
        e.to,
      ) as { tenths: number; orders: number }[],
  );
  const rows = sumByKey(parts, "tenths").filter((r) => r.orders > 0).sort((a, b) => a.tenths - b.tenths);
  const total = rows.reduce((s, r) => s + r.orders, 0);
  const histogram = BUCKETS.map(([bucket]) => ({ bucket, orders: 0 }));
  for (const r of rows) histogram[BUCKETS.findIndex(([, max]) => r.tenths < max * 10)]!.orders += r.orders;
  return { orders: total, p50Hours: percentile(rows, total, 50), p95Hours: percentile(rows, total, 95), histogram };
}
