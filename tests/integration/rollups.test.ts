import { afterAll, beforeAll, describe, expect, test } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import type { DB } from "../../db/client.ts";
import { seededAppDatabase } from "../support/app-db.ts";
import { installSecrets, paymentIntent, routes, send, shopifyOrder, shopifyRequest, stripeEvent, stripeRequest, warehouseRequest, type Handler } from "../support/intake.ts";
import { routeBatch } from "../../lib/worker/route-jobs.ts";
import { evaluateAndStoreAlerts } from "../../lib/alerts/evaluate.ts";
import { refundTotals } from "../../db/queries/refunds.ts";
import { paidToShipped, routingMetrics } from "../../db/queries/metrics.ts";

/**
 * The rollups migration 0011 keeps by trigger (orders per status, routing per day, paid → shipped per day, refunds per day, currency and status, live alerts per rule and status)
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
const DAY_OF = (col: string) => `strftime('%Y-%m-%d', ${col} / 1000, 'unixepoch')`;

/** What the rollups hold (rows that count nothing left out) and what a full scan says they should hold. */
function rollups() {
  return {
    statuses: all("SELECT status, orders FROM order_status_counts WHERE orders <> 0 ORDER BY status"),
    routing: all("SELECT day, outcome, decisions, split, backordered FROM routing_daily WHERE decisions <> 0 ORDER BY day, outcome"),
    paidToShipped: all("SELECT day, tenth_hours AS tenths, orders FROM paid_to_shipped_daily WHERE orders <> 0 ORDER BY day, tenth_hours"),
    paidToShippedAllTime: all("SELECT tenth_hours AS tenths, orders FROM paid_to_shipped_totals WHERE orders <> 0 ORDER BY tenth_hours"),
    refunds: all("SELECT day, currency, status, refunds, amount FROM refund_daily WHERE refunds <> 0 ORDER BY day, currency, status"),
    alerts: all("SELECT rule, status, alerts FROM alert_counts WHERE alerts <> 0 ORDER BY rule, status"),
  };
}
function recount() {
  return {
    statuses: all("SELECT status, count(*) AS orders FROM orders GROUP BY status ORDER BY status"),
    routing: all(
      `SELECT ${DAY_OF("created_at")} AS day, outcome, count(*) AS decisions, sum(split) AS split, sum(backordered) AS backordered
       FROM routing_decisions GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    paidToShipped: all(
      `SELECT ${DAY_OF("shipped")} AS day, (shipped - paid) / 360000 AS tenths, count(*) AS orders FROM (
         SELECT (SELECT min(s.shipped_at) FROM shipments s WHERE s.order_id = a.order_id) AS shipped, min(a.created_at) AS paid
         FROM audit_events a WHERE a.entity_type = 'order' AND a.to_status = 'paid' AND a.order_id IS NOT NULL GROUP BY a.order_id
       ) WHERE shipped >= paid GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    paidToShippedAllTime: all(
      `SELECT (shipped - paid) / 360000 AS tenths, count(*) AS orders FROM (
         SELECT (SELECT min(s.shipped_at) FROM shipments s WHERE s.order_id = a.order_id) AS shipped, min(a.created_at) AS paid
         FROM audit_events a WHERE a.entity_type = 'order' AND a.to_status = 'paid' AND a.order_id IS NOT NULL GROUP BY a.order_id
       ) WHERE shipped >= paid GROUP BY 1 ORDER BY 1`,
    ),
    refunds: all(`SELECT ${DAY_OF("created_at")} AS day, currency, status, count(*) AS refunds, sum(amount) AS amount FROM refunds GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
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
    const sql = readFileSync("db/migrations/0011_rollups.sql", "utf8");
    const alertsSql = readFileSync("db/migrations/0012_alert_rollups.sql", "utf8");
    const backfill = [...sql.slice(sql.indexOf("-- Backfill")).split("--> statement-breakpoint"), alertsSql.slice(alertsSql.lastIndexOf("--> statement-breakpoint") + 24)];
    db.transaction(() => {
      db.$client.exec("DELETE FROM order_milestones; DELETE FROM paid_to_shipped_daily; DELETE FROM routing_daily; DELETE FROM order_status_counts; DELETE FROM refund_daily; DELETE FROM paid_to_shipped_totals; DELETE FROM alert_counts;");
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

  test("the screens' readers answer from the rollups what a scan of the tables answers", () => {
    const days = all("SELECT DISTINCT strftime('%Y-%m-%d', created_at / 1000, 'unixepoch') AS d FROM refunds ORDER BY d") as { d: string }[];
    const mid = days[Math.floor(days.length / 2)]!.d;
    for (const filters of [{}, { status: "succeeded" as const }, { from: mid }, { to: mid, status: "pending_approval" as const }, { from: days[1]!.d, to: mid }]) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      const add = (clause: string, value: string | number) => {
        where.push(clause);
        params.push(value);
      };
      if ("from" in filters && filters.from) add("created_at >= ?", Date.parse(`${filters.from}T00:00:00Z`));
      if ("to" in filters && filters.to) add("created_at < ?", Date.parse(`${filters.to}T00:00:00Z`) + 86_400_000);
      if ("status" in filters && filters.status) add("status = ?", filters.status);
      const scanned = all(
        `SELECT currency, count(*) AS count, sum(amount) AS amount, coalesce(sum(CASE WHEN status = 'succeeded' THEN amount END), 0) AS paidOut,
                coalesce(sum(CASE WHEN status = 'pending_approval' THEN amount END), 0) AS waiting
         FROM refunds ${where.length ? `WHERE ${where.join(" AND ")}` : ""} GROUP BY currency ORDER BY currency`,
        ...params,
      );
      expect(refundTotals({ filters }), JSON.stringify(filters)).toEqual(scanned);
    }
    const routing = routingMetrics();
    expect(routing.total).toBe((all("SELECT count(*) AS n FROM routing_decisions")[0] as { n: number }).n);
    const shipped = paidToShipped();
    expect(shipped.orders).toBe((recount().paidToShippedAllTime as { orders: number }[]).reduce((n, r) => n + r.orders, 0));
    // A range of every day holds what all time holds.
    expect(paidToShipped({ from: Date.UTC(2000, 0, 1), to: Date.UTC(2100, 0, 1) })).toEqual(shipped);
  });
});
