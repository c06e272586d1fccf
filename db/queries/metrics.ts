import "server-only";
import { database } from "../index.ts";
import { prepared } from "../raw.ts";
import { ORDER_STATUSES, ROUTING_OUTCOMES } from "../schema/index.ts";
import { countOrdersByStatus } from "./orders.ts";

// Every function here reads the rollups that migration 0011_rollups keeps by trigger (order_status_counts,
// routing_daily, paid_to_shipped_daily and _totals), never a base table, so a screen costs the same at 1,000 or
// 1,000,000 orders.

const DAY = 86_400_000;

/** A time range in epoch ms, `from` inclusive, `to` exclusive; the rollups count whole UTC days, so days are the precision. */
export type MetricsRange = { from: number; to: number };

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The range as inclusive UTC day keys; no range means every day. */
function dayBounds(range?: MetricsRange): [string, string] {
  return range ? [utcDay(range.from), utcDay(range.to - 1)] : ["0000-00-00", "9999-99-99"];
}

/** Orders in each status now. */
export function ordersByStatus(): { status: string; orders: number }[] {
  const counts = countOrdersByStatus();
  return ORDER_STATUSES.map((status) => ({ status, orders: counts[status] }));
}

export type RoutingMetrics = {
  outcomes: { outcome: string; decisions: number }[];
  total: number;
  splitRate: number;
  backorderRate: number;
  /** Per UTC day: in the range, or without one the 30 days up to the latest decision. */
  daily: { day: string; decisions: number; splitRate: number; backorderRate: number }[];
};

/** Routing split and backorder rates in the range (default: all time). */
export function routingMetrics(range?: MetricsRange): RoutingMetrics {
  const db = database();
  const [from, to] = dayBounds(range);
  const counts = prepared(
    db,
    "SELECT outcome, sum(decisions) AS n, sum(split) AS split, sum(backordered) AS backordered FROM routing_daily WHERE day BETWEEN ? AND ? GROUP BY outcome",
  ).all(from, to) as { outcome: string; n: number; split: number; backordered: number }[];
  const total = counts.reduce((s, c) => s + c.n, 0);
  const split = counts.reduce((s, c) => s + c.split, 0);
  const backordered = counts.reduce((s, c) => s + c.backordered, 0);
  let dailyFrom = from;
  if (!range) {
    const latest = (prepared(db, "SELECT max(day) AS day FROM routing_daily WHERE decisions > 0").get() as { day: string | null }).day;
    dailyFrom = latest ? utcDay(Date.parse(`${latest}T00:00:00Z`) - 29 * DAY) : to;
  }
  const daily = prepared(
    db,
    `SELECT day, sum(decisions) AS decisions, 1.0 * sum(split) / sum(decisions) AS splitRate, 1.0 * sum(backordered) / sum(decisions) AS backorderRate
     FROM routing_daily WHERE day BETWEEN ? AND ? GROUP BY day HAVING sum(decisions) > 0 ORDER BY day`,
  ).all(dailyFrom, to) as RoutingMetrics["daily"];
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

/** Time from payment (the first audit row into `paid`) to the order's first shipment, for orders first shipped in the range (default: all time). */
export function paidToShipped(range?: MetricsRange): PaidToShipped {
  const db = database();
  const rows = range
    ? (prepared(
        db,
        "SELECT tenth_hours AS tenths, sum(orders) AS orders FROM paid_to_shipped_daily WHERE day BETWEEN ? AND ? GROUP BY tenth_hours HAVING sum(orders) > 0 ORDER BY tenth_hours",
      ).all(...dayBounds(range)) as { tenths: number; orders: number }[])
    : (prepared(db, "SELECT tenth_hours AS tenths, orders FROM paid_to_shipped_totals WHERE orders > 0 ORDER BY tenth_hours").all() as { tenths: number; orders: number }[]);
  const total = rows.reduce((s, r) => s + r.orders, 0);
  const histogram = BUCKETS.map(([bucket]) => ({ bucket, orders: 0 }));
  for (const r of rows) histogram[BUCKETS.findIndex(([, max]) => r.tenths < max * 10)]!.orders += r.orders;
  return { orders: total, p50Hours: percentile(rows, total, 50), p95Hours: percentile(rows, total, 95), histogram };
}
