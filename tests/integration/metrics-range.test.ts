import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type * as Metrics from "../../db/queries/metrics.ts";
import type { DB } from "../../db/client.ts";
import { parseMetricsPeriod, dayBuckets } from "../../lib/metrics/range.ts";
import { seededAppDatabase } from "../support/app-db.ts";

let db: DB;
let cleanup: () => void;
let metrics: typeof Metrics;

beforeAll(async () => {
  ({ db, cleanup } = await seededAppDatabase({ orders: 400, buildElasticsearch: false }));
  metrics = await import("../../db/queries/metrics.ts");
}, 180_000);
afterAll(() => cleanup?.());

const n = (sqlText: string, ...params: unknown[]) => (db.$client.prepare(sqlText).get(...params) as { n: number }).n;

describe("metrics over a chosen range", () => {
  // The seed's last weeks (it ends on 1 Nov 2026): a full week in Madrid and the one before it.
  const range = parseMetricsPeriod({ period: "custom", from: "2026-10-19", to: "2026-10-25", tz: "Europe/Madrid" });

  test("orders placed and routing decisions count only what falls in the range, in the viewer's days", () => {
    const placed = metrics.ordersPlaced(range.current);
    expect(placed).toBe(n("SELECT count(*) AS n FROM orders WHERE placed_at >= ? AND placed_at < ?", Date.UTC(2026, 9, 18, 22), Date.UTC(2026, 9, 25, 23)));
    expect(placed).toBeGreaterThan(0);
    const routing = metrics.routingMetrics(range.current);
    expect(routing.total).toBe(n("SELECT count(*) AS n FROM routing_decisions WHERE created_at >= ? AND created_at < ?", range.current.from, range.current.to));
    expect(routing.outcomes.reduce((s, o) => s + o.decisions, 0)).toBe(routing.total);
    expect(metrics.routingMetrics({ from: 0, to: 1 }).total).toBe(0);
  });

  test("the per-day series has a row for every day, zero on a day without orders, and adds up to the range", () => {
    // A quiet week far before the seed: seven zero days, not a shorter series.
    const quiet = parseMetricsPeriod({ period: "custom", from: "2025-01-06", to: "2025-01-12", tz: "Europe/Madrid" });
    expect(metrics.dailyActivity(dayBuckets(quiet.current))).toEqual(Array.from({ length: 7 }, () => ({ orders: 0, decisions: 0, split: 0, backordered: 0 })));
    const days = metrics.dailyActivity(dayBuckets(range.current));
    expect(days).toHaveLength(7);
    expect(days.reduce((s, d) => s + d.orders, 0)).toBe(metrics.ordersPlaced(range.current));
    expect(days.reduce((s, d) => s + d.decisions, 0)).toBe(metrics.routingMetrics(range.current).total);
  });

  test("paid to shipped covers the orders whose first shipment left in the range", () => {
    const p = metrics.paidToShipped(range.current);
    const expected = n(
      "SELECT count(*) AS n FROM (SELECT order_id, min(shipped_at) AS t FROM shipments WHERE shipped_at IS NOT NULL GROUP BY order_id HAVING t >= ? AND t < ?) f WHERE EXISTS (SELECT 1 FROM audit_events a WHERE a.order_id = f.order_id AND a.to_status = 'paid' AND a.entity_type = 'order' AND a.created_at <= f.t)",
      range.current.from,
      range.current.to,
    );
    expect(p.orders).toBe(expected);
    expect(p.histogram.reduce((s, b) => s + b.orders, 0)).toBe(p.orders);
    if (p.orders) expect(p.p50Hours!).toBeLessThanOrEqual(p.p95Hours!);
  });
});
