import { afterAll, beforeAll, describe, expect, test } from "vitest";
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import type { DB } from "../../db/client.ts";
import { seededAppDatabase } from "../support/app-db.ts";
import { installSecrets, paymentIntent, routes, send, shopifyOrder, shopifyRequest, stripeEvent, stripeRequest, warehouseRequest, type Handler } from "../support/intake.ts";
import { routeBatch } from "../../lib/worker/route-jobs.ts";
import { evaluateAndStoreAlerts } from "../../lib/alerts/evaluate.ts";
import { refundTotals } from "../../db/queries/refunds.ts";
import { ordersPlaced, paidToShipped, routingMetrics } from "../../db/queries/metrics.ts";

/**
 * The rollups migration 0015_rollups keeps by trigger (orders per status, orders placed per UTC hour, routing per hour, paid → shipped per hour,
 * refunds per hour, currency and status, live alerts per rule and status)
 * always equal a full recount from the base tables: after the seed, after its backfill, and after every
 * step of random sequences of intake events (Shopify orders and cancellations, Stripe payments, Shopify refunds,
 * alert evaluations, worker routing, warehouse shipping and delivery).
 */
let db: DB;
let cleanup: () => void;
let post: Record<"stripe" | "shopify" | "warehouse", Handler>;

beforeAll(async () => {
  ({ db, cleanup } = await seededAppDatabase({ orders: 400, buildElasticsearch: false }));
  installSecrets(db);
  post = await routes();
}, 120_000);
afterAll(() => cleanup?.());

const all = (sql: string, ...params: unknown[]) => db.$client.prepare(sql).all(...params);
const HOUR_OF = (col: string) => `${col} / 3600000`;

/** What the rollups hold (rows that count nothing left out) and what a full scan says they should hold. */
function rollups() {
  return {
    statuses: all("SELECT status, orders FROM order_status_counts WHERE orders <> 0 ORDER BY status"),
    placed: all("SELECT hour, orders FROM orders_placed_hourly WHERE orders <> 0 ORDER BY hour"),
    routing: all("SELECT hour, outcome, decisions, split, backordered FROM routing_hourly WHERE decisions <> 0 ORDER BY hour, outcome"),
    paidToShipped: all("SELECT hour, tenth_hours AS tenths, orders FROM paid_to_shipped_hourly WHERE orders <> 0 ORDER BY hour, tenth_hours"),
    refunds: all("SELECT hour, currency, status, refunds, amount FROM refund_hourly WHERE refunds <> 0 ORDER BY hour, currency, status"),
    alerts: all("SELECT rule, status, alerts FROM alert_counts WHERE alerts <> 0 ORDER BY rule, status"),
  };
}
function recount() {
  return {
    statuses: all("SELECT status, count(*) AS orders FROM orders GROUP BY status ORDER BY status"),
    placed: all(`SELECT ${HOUR_OF("placed_at")} AS hour, count(*) AS orders FROM orders GROUP BY 1 ORDER BY 1`),
    routing: all(
      `SELECT ${HOUR_OF("created_at")} AS hour, outcome, count(*) AS decisions, sum(split) AS split, sum(backordered) AS backordered
       FROM routing_decisions GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    paidToShipped: all(
      `SELECT ${HOUR_OF("shipped")} AS hour, (shipped - paid) / 360000 AS tenths, count(*) AS orders FROM (
         SELECT (SELECT min(s.shipped_at) FROM shipments s WHERE s.order_id = a.order_id) AS shipped, min(a.created_at) AS paid
         FROM audit_events a WHERE a.entity_type = 'order' AND a.to_status = 'paid' AND a.order_id IS NOT NULL GROUP BY a.order_id
       ) WHERE shipped >= paid GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    refunds: all(`SELECT ${HOUR_OF("created_at")} AS hour, currency, status, count(*) AS refunds, sum(amount) AS amount FROM refunds GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
    alerts: all("SELECT rule, status, count(*) AS alerts FROM alerts WHERE status <> 'resolved' GROUP BY 1, 2 ORDER BY 1, 2"),
  };
}

type Step =
  | { kind: "place"; qty: number }
  | { kind: "pay"; pick: number }
  | { kind: "route" }
  | { kind: "ship"; pick: number }
  | { kind: "deliver"; pick: number }
  | { kind: "cancel"; pick: number }
  | { kind: "refund"; pick: number }
  | { kind: "evaluate"; hoursLater: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("place" as const), qty: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("pay" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("route" as const) }),
  fc.record({ kind: fc.constant("ship" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("deliver" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("refund" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("evaluate" as const), hoursLater: fc.integer({ min: 0, max: 24 * 40 }) }),
);

let shopifyId = 9_100_000;
const placed: { id: number; email: string; sku: string; qty: number }[] = [];
const pickOf = <T>(rows: T[], n: number): T | undefined => (rows.length ? rows[n % rows.length] : undefined);

async function apply(s: Step): Promise<void> {
  if (s.kind === "place") {
    const sku = (db.$client.prepare("SELECT p.sku FROM products p JOIN inventory i ON i.product_id = p.id WHERE i.on_hand - i.reserved - i.safety_stock > 10 ORDER BY p.id LIMIT 1").get() as { sku: string }).sku;
    const o = { id: ++shopifyId, email: `rollup-${shopifyId}@example.test`, sku, qty: s.qty };
    placed.push(o);
    await send(post.shopify, shopifyRequest("orders/create", shopifyOrder({ id: o.id, email: o.email, lines: [{ sku, qty: s.qty, price: "19.99" }] })));
  } else if (s.kind === "pay") {
    const order = pickOf(all("SELECT id, number, total, currency FROM orders WHERE status = 'pending' ORDER BY id") as { number: string; total: number; currency: string }[], s.pick);
    if (order) await send(post.stripe, stripeRequest(stripeEvent("payment_intent.succeeded", paymentIntent({ amount: order.total, currency: order.currency, orderNumber: order.number }))));
  } else if (s.kind === "route") {
    routeBatch(db);
  } else if (s.kind === "ship" || s.kind === "deliver") {
    const from = s.kind === "ship" ? "('pending', 'picked', 'packed')" : "('shipped')";
    const sh = pickOf(all(`SELECT s.id, o.number FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.status IN ${from} ORDER BY s.id`) as { id: number; number: string }[], s.pick);
    if (!sh) return;
    const data = { shipment_id: sh.id, order_number: sh.number };
    await send(post.warehouse, warehouseRequest(s.kind === "ship" ? "shipment.shipped" : "shipment.delivered", s.kind === "ship" ? { ...data, carrier: "UPS", tracking_number: `1Z${sh.id}` } : data));
  } else if (s.kind === "evaluate") {
    // The worker's alert evaluation, at a random time in the seed's month: raises, re-raises and resolves.
    evaluateAndStoreAlerts(db, Date.UTC(2026, 9, 25) + s.hoursLater * 3_600_000);
  } else if (s.kind === "refund") {
    const o = pickOf(placed, s.pick);
    if (!o) return;
    const refundId = ++shopifyId;
    const refund = { id: refundId, order_id: o.id, created_at: "2026-11-28T12:00:00-05:00", note: "Damaged", restock: false, refund_line_items: [], transactions: [{ id: refundId, order_id: o.id, kind: "refund", gateway: "bogus", status: "success", amount: "5.00", currency: "EUR" }] };
    await send(post.shopify, shopifyRequest("refunds/create", refund));
  } else {
    const o = pickOf(placed, s.pick);
    if (!o) return;
    const body = { ...shopifyOrder({ id: o.id, email: o.email, lines: [{ sku: o.sku, qty: o.qty, price: "19.99" }] }), cancel_reason: "customer", cancelled_at: "2026-11-28T11:00:00-05:00" };
    await send(post.shopify, shopifyRequest("orders/cancelled", body));
  }
}

describe("rollups kept by triggers", () => {
  test("after the seed (written through the triggers) they equal a full recount, and are not empty", () => {
    const now = rollups();
    expect(now).toEqual(recount());
    expect(now.statuses.length).toBeGreaterThan(3);
    expect(now.routing.length).toBeGreaterThan(0);
    expect(now.paidToShipped.length).toBeGreaterThan(0);
  });

  test("the migration's backfill rebuilds the same rollups from the tables", () => {
    // Whatever number the migration carries (merges renumber them), it is the one named "rollups".
    const file = readdirSync("db/migrations").find((f) => /^\d{4}_rollups\.sql$/.test(f));
    expect(file).toBeDefined();
    const sql = readFileSync(`db/migrations/${file}`, "utf8");
    // The backfill statements: the block after "-- Backfill" (up to the alert triggers) and the alert backfill at the end.
    const backfill = [...sql.slice(sql.indexOf("-- Backfill"), sql.indexOf("-- Live alerts per rule")).split("--> statement-breakpoint"), sql.slice(sql.lastIndexOf("--> statement-breakpoint") + 24)];
    db.transaction(() => {
      db.$client.exec(
        "DELETE FROM order_milestones; DELETE FROM paid_to_shipped_hourly; DELETE FROM routing_hourly; DELETE FROM order_status_counts; DELETE FROM orders_placed_hourly; DELETE FROM refund_hourly; DELETE FROM alert_counts;",
      );
      for (const statement of backfill) db.$client.exec(statement);
    });
    expect(rollups()).toEqual(recount());
  });

  test("random sequences of intake events, routing, shipping and cancelling keep them equal to a recount after every step", async () => {
    let changed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 14 }), async (steps) => {
        for (const s of steps) {
          const before = rollups();
          await apply(s);
          const after = rollups();
          if (JSON.stringify(before) !== JSON.stringify(after)) changed++;
          expect(after).toEqual(recount());
        }
      }),
      { seed: 20_261_130, numRuns: 12 },
    );
    // The sequences really moved the counts (orders placed, paid, shipped, routed), not only left them alone.
    expect(changed).toBeGreaterThan(10);
  }, 240_000);

  test("the screens' readers answer from the rollups what a scan of the tables answers, for days in any zone and instant ranges", () => {
    const one = (sql: string, ...params: unknown[]) => (all(sql, ...params)[0] as { n: number }).n;
    const times = all("SELECT created_at AS t FROM refunds ORDER BY created_at") as { t: number }[];
    const mid = times[Math.floor(times.length / 2)]!.t;
    const early = times[Math.floor(times.length / 5)]!.t;
    const day = 86_400_000;
    const madridMidnight = Math.floor(mid / day) * day - 3_600_000; // 23:00 UTC: midnight in Madrid (winter)
    const ranges = [
      { from: 0, to: 8e15 },
      { from: madridMidnight - 7 * day, to: madridMidnight }, // a Madrid week: whole hours only
      { from: Math.floor(mid / day) * day - 5.5 * 3_600_000, to: Math.floor(mid / day) * day + 2 * day - 5.5 * 3_600_000 }, // two Kolkata days: :30 edges
      { from: early + 1234, to: mid + 98_765 }, // instants
      { from: mid, to: mid + 60_000 }, // inside one hour
    ];
    const currencies = (all("SELECT DISTINCT currency FROM refunds") as { currency: string }[]).map((r) => r.currency);
    for (const r of ranges) {
      for (const filters of [
        { createdFrom: r.from, createdTo: r.to },
        { createdFrom: r.from, createdTo: r.to, status: "succeeded" as const },
        { createdFrom: r.from, createdTo: r.to, currency: currencies[0] },
        { createdFrom: r.from, status: "pending_approval" as const },
        { createdTo: r.to },
        { createdFrom: r.from, createdTo: r.to, min: 100 }, // by amount: the indexed base query
      ]) {
        const where: string[] = [];
        const params: (string | number)[] = [];
        const add = (clause: string, value: string | number | undefined) => {
          if (value === undefined) return;
          where.push(clause);
          params.push(value);
        };
        add("created_at >= ?", filters.createdFrom);
        add("created_at < ?", filters.createdTo);
        add("status = ?", "status" in filters ? filters.status : undefined);
        add("currency = ?", "currency" in filters ? filters.currency : undefined);
        add("amount >= ?", "min" in filters ? filters.min : undefined);
        const scanned = all(
          `SELECT currency, count(*) AS count, sum(amount) AS amount, coalesce(sum(CASE WHEN status = 'succeeded' THEN amount END), 0) AS paidOut,
                  coalesce(sum(CASE WHEN status = 'pending_approval' THEN amount END), 0) AS waiting
           FROM refunds ${where.length ? `WHERE ${where.join(" AND ")}` : ""} GROUP BY currency ORDER BY currency`,
          ...params,
        );
        expect(refundTotals({ filters }), JSON.stringify(filters)).toEqual(scanned);
      }
      expect(routingMetrics(r).total, JSON.stringify(r)).toBe(one("SELECT count(*) AS n FROM routing_decisions WHERE created_at >= ? AND created_at < ?", r.from, r.to));
      expect(ordersPlaced(r), JSON.stringify(r)).toBe(one("SELECT count(*) AS n FROM orders WHERE placed_at >= ? AND placed_at < ?", r.from, r.to));
      const shipped = one(
        `SELECT count(*) AS n FROM (
           SELECT (SELECT min(s.shipped_at) FROM shipments s WHERE s.order_id = a.order_id) AS shipped, min(a.created_at) AS paid
           FROM audit_events a WHERE a.entity_type = 'order' AND a.to_status = 'paid' AND a.order_id IS NOT NULL GROUP BY a.order_id
         ) WHERE shipped >= paid AND shipped >= ? AND shipped < ?`,
        r.from,
        r.to,
      );
      expect(paidToShipped(r).orders, JSON.stringify(r)).toBe(shipped);
    }
  });
});
