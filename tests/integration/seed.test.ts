import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { tempDatabase } from "../support/db.ts";
import { ORDER_STATUSES } from "../../db/schema/orders.ts";
import { TRANSITIONS } from "../../lib/orders/state-machine.ts";
import { verifyPassword } from "../../lib/auth/password.ts";
import { DEMO_USERS, SeedError, seedDatabase, type SeedSummary } from "../../lib/seed/index.ts";

const ORDERS = 300;
const SEED = 42;

/** Every table's rows in rowid order, hashed; password hashes carry a random salt, so they are left out. */
function contentHash(sqlite: Database.Database): Record<string, string> {
  const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  const out: Record<string, string> = {};
  for (const table of tables) {
    // WITHOUT ROWID tables (the search index's and FTS5's own) are ordered by every column instead.
    const ddl = String(sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = ?").pluck().get(table) ?? "");
    const columns = (sqlite.prepare("SELECT count(*) AS n FROM pragma_table_info(?)").get(table) as { n: number }).n;
    const order = /WITHOUT ROWID\s*$/i.test(ddl) ? Array.from({ length: columns }, (_, i) => i + 1).join(", ") : "rowid";
    const rows = sqlite.prepare(`SELECT * FROM "${table}" ORDER BY ${order}`).all() as Record<string, unknown>[];
    for (const row of rows) if ("password_hash" in row) row.password_hash = "<salted>";
    out[table] = createHash("sha256").update(JSON.stringify(rows)).digest("hex");
  }
  return out;
}

const count = (sqlite: Database.Database, sql: string) => (sqlite.prepare(sql).get() as { n: number }).n;

describe("seedDatabase", () => {
  const first = tempDatabase();
  const second = tempDatabase();
  let summary: SeedSummary;

  beforeAll(async () => {
    summary = await seedDatabase(first.db, { orders: ORDERS, seed: SEED });
    await seedDatabase(second.db, { orders: ORDERS, seed: SEED });
  });
  afterAll(() => {
    first.cleanup();
    second.cleanup();
  });

  it("gives identical table contents for the same seed and order count", () => {
    expect(summary.counts.orders).toBe(ORDERS);
    expect(contentHash(second.db.$client)).toEqual(contentHash(first.db.$client));
  });

  it("has every order status", () => {
    const present = first.db.$client.prepare("SELECT DISTINCT status FROM orders").pluck().all();
    expect([...present].sort()).toEqual([...ORDER_STATUSES].sort());
  });

  it("creates one demo user per role whose documented password works", async () => {
    const users = first.db.$client.prepare("SELECT email, role, password_hash AS hash FROM users ORDER BY id").all() as { email: string; role: string; hash: string }[];
    expect(users.map((u) => u.role)).toEqual(DEMO_USERS.map((u) => u.role));
    for (const demo of DEMO_USERS) {
      const user = users.find((u) => u.email === demo.email)!;
      expect(await verifyPassword(demo.password, user.hash)).toBe(true);
    }
  });

  it("keeps every order's audit trail on the state machine, ending at its status", () => {
    const sqlite = first.db.$client;
    const rows = sqlite
      .prepare("SELECT entity_id AS id, from_status AS f, to_status AS t, created_at AS at FROM audit_events WHERE entity_type = 'order' AND to_status IS NOT NULL ORDER BY entity_id, id")
      .all() as { id: number; f: string | null; t: string; at: number }[];
    const orders = new Map((sqlite.prepare("SELECT id, status, placed_at AS placedAt, status_changed_at AS changedAt FROM orders").all() as { id: number; status: string; placedAt: number; changedAt: number }[]).map((o) => [o.id, o]));
    const last = new Map<number, { t: string; at: number }>();
    for (const r of rows) {
      const prev = last.get(r.id);
      if (!prev) {
        expect(r).toMatchObject({ f: null, t: "pending", at: orders.get(r.id)!.placedAt });
      } else {
        expect(r.f).toBe(prev.t);
        expect(TRANSITIONS[prev.t as keyof typeof TRANSITIONS]).toContain(r.t);
        expect(r.at).toBeGreaterThan(prev.at);
      }
      last.set(r.id, { t: r.t, at: r.at });
    }
    expect(last.size).toBe(ORDERS);
    for (const [id, o] of orders) expect(last.get(id)).toEqual({ t: o.status, at: o.changedAt });
  });

  it("explains every routing decision with candidates and a plan that matches its shipments", () => {
    const rows = first.db.$client.prepare("SELECT order_id AS orderId, outcome, shipment_count AS n, plan FROM routing_decisions").all() as { orderId: number; outcome: string; n: number; plan: string }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const plan = JSON.parse(row.plan) as { orderId: number; outcome: string; shipments: unknown[]; candidates: { verdict: string; reasons: string[] }[]; explanation: string[] };
      expect(plan).toMatchObject({ orderId: row.orderId, outcome: row.outcome });
      expect(plan.shipments).toHaveLength(row.n);
      expect(plan.candidates.filter((c) => c.verdict === "chosen")).toHaveLength(row.n);
      expect(plan.candidates.every((c) => c.reasons.length > 0)).toBe(true);
    }
  });

  it("keeps money consistent: totals add up, refunds match, refunded never exceeds paid", () => {
    const sqlite = first.db.$client;
    expect(count(sqlite, "SELECT count(*) AS n FROM orders WHERE refunded > paid OR total <> subtotal + shipping + tax")).toBe(0);
    expect(count(sqlite, "SELECT count(*) AS n FROM orders o WHERE subtotal <> (SELECT sum(qty_ordered * unit_price) FROM order_lines WHERE order_id = o.id)")).toBe(0);
    expect(count(sqlite, "SELECT count(*) AS n FROM orders o WHERE refunded <> coalesce((SELECT sum(amount) FROM refunds WHERE order_id = o.id AND status = 'succeeded'), 0)")).toBe(0);
    expect(count(sqlite, "SELECT count(*) AS n FROM orders WHERE status NOT IN ('pending', 'payment_processing', 'cancelled') AND paid <> total")).toBe(0);
    expect(count(sqlite, "SELECT count(*) AS n FROM orders WHERE status = 'refunded' AND refunded <> paid")).toBe(0);
    expect(count(sqlite, "SELECT count(*) AS n FROM orders WHERE status = 'cancelled' AND refunded <> paid")).toBe(0);
  });

  it("reserves exactly the open shipments' stock and never more than is on hand", () => {
    const sqlite = first.db.$client;
    const mismatched = count(
      sqlite,
      `SELECT count(*) AS n FROM inventory i LEFT JOIN (
         SELECT s.location_id, ol.product_id, sum(sl.qty) AS q FROM shipments s
         JOIN shipment_lines sl ON sl.shipment_id = s.id JOIN order_lines ol ON ol.id = sl.order_line_id
         WHERE s.status IN ('pending', 'picking', 'packed') AND s.dropship = 0 GROUP BY 1, 2
       ) r ON r.location_id = i.location_id AND r.product_id = i.product_id
       WHERE i.reserved <> coalesce(r.q, 0)`,
    );
    expect(mismatched).toBe(0);
    expect(count(sqlite, "SELECT count(*) AS n FROM inventory WHERE on_hand < reserved + safety_stock")).toBe(0);
    expect(count(sqlite, "SELECT count(*) AS n FROM inventory WHERE reserved > 0")).toBeGreaterThan(0);
  });

  it("ships or backorders every unit that is not cancelled on routed orders", () => {
    const uncovered = count(
      first.db.$client,
      `SELECT count(*) AS n FROM order_lines ol JOIN orders o ON o.id = ol.order_id
       WHERE o.status IN ('awaiting_fulfillment', 'partially_fulfilled', 'fulfilled', 'delivered', 'refunded')
         AND ol.qty_ordered - ol.qty_cancelled <>
           coalesce((SELECT sum(sl.qty) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id WHERE sl.order_line_id = ol.id AND s.status <> 'cancelled'), 0)
           + coalesce((SELECT sum(qty) FROM backorders b WHERE b.order_line_id = ol.id AND b.status = 'pending'), 0)`,
    );
    expect(uncovered).toBe(0);
  });

  it("leaves no dangling foreign keys and no time after the seed's base time", () => {
    const sqlite = first.db.$client;
    expect(sqlite.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
    expect(count(sqlite, "SELECT max(created_at) AS n FROM audit_events")).toBeLessThan(Date.UTC(2026, 10, 1));
  });

  it("refuses to seed a database that already has data, and writes nothing", async () => {
    const before = contentHash(first.db.$client);
    await expect(seedDatabase(first.db, { orders: 10, seed: 1 })).rejects.toBeInstanceOf(SeedError);
    expect(contentHash(first.db.$client)).toEqual(before);
  });
});
