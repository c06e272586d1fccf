import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type Database from "better-sqlite3";
import { tempDatabase } from "../support/db.ts";
import { openDatabase } from "../../db/client.ts";
import { evaluateAndStoreAlerts } from "../../lib/alerts/evaluate.ts";
import { seedDatabase } from "../../lib/seed/index.ts";

// The demo's present: a fixed instant months after the seed's default base, on no day boundary.
const T = Date.parse("2027-03-17T09:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ORDERS = 400;
const SEED = 42;

const count = (sqlite: Database.Database, sql: string, ...params: unknown[]) => (sqlite.prepare(sql).get(...params) as { n: number }).n;

/** A few tables' rows in id order, hashed (password hashes carry a random salt and are left out). */
function checksum(sqlite: Database.Database): Record<string, { rows: number; sha: string }> {
  const out: Record<string, { rows: number; sha: string }> = {};
  for (const table of ["users", "orders", "shipments", "refunds", "audit_events", "inventory"]) {
    const rows = sqlite.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all() as Record<string, unknown>[];
    for (const row of rows) if ("password_hash" in row) row.password_hash = "<salted>";
    out[table] = { rows: rows.length, sha: createHash("sha256").update(JSON.stringify(rows)).digest("hex") };
  }
  return out;
}

/** The active warehouse with the most open shipments, lowest id on a tie. */
const busiestWarehouse = (sqlite: Database.Database) =>
  sqlite
    .prepare(
      `SELECT s.location_id FROM shipments s JOIN locations l ON l.id = s.location_id
       WHERE l.kind = 'warehouse' AND l.active = 1 AND s.status IN ('pending', 'picking', 'packed')
       GROUP BY s.location_id ORDER BY count(*) DESC, s.location_id LIMIT 1`,
    )
    .pluck()
    .get() as number;

const leadLocation = (sqlite: Database.Database) =>
  sqlite.prepare("SELECT default_location_id FROM users WHERE email = 'warehouse@switchyard.test'").pluck().get() as number | null;

describe("a demo seeded with a base time lives at that instant", () => {
  const first = tempDatabase();
  const second = tempDatabase();

  beforeAll(async () => {
    await seedDatabase(first.db, { orders: ORDERS, seed: SEED, baseTime: T, leadLocation: true });
    await seedDatabase(second.db, { orders: ORDERS, seed: SEED, baseTime: T, leadLocation: true });
  });
  afterAll(() => {
    first.cleanup();
    second.cleanup();
  });

  it("writes no time after the base, except open shipments' ship-by deadlines, which run at most an SLA past it", () => {
    const sqlite = first.db.$client;
    const after = (table: string, column: string) => count(sqlite, `SELECT count(*) AS n FROM ${table} WHERE ${column} > ?`, T);
    for (const column of ["placed_at", "status_changed_at", "updated_at"]) expect(after("orders", column), `orders.${column}`).toBe(0);
    for (const column of ["created_at", "updated_at", "shipped_at", "delivered_at"]) expect(after("shipments", column), `shipments.${column}`).toBe(0);
    for (const column of ["created_at", "decided_at", "completed_at"]) expect(after("refunds", column), `refunds.${column}`).toBe(0);
    expect(after("audit_events", "created_at")).toBe(0);
    expect(after("users", "updated_at")).toBe(0);
    // A ship-by is a deadline (created + the location's SLA, or a supplier's lead time of at most 9 days), so a recent
    // shipment's lies after "now", whether it is still open or went out early; never before the shipment existed.
    expect(count(sqlite, "SELECT count(*) AS n FROM shipments WHERE ship_by <= created_at")).toBe(0);
    expect(count(sqlite, "SELECT count(*) AS n FROM shipments WHERE ship_by > ?", T + 10 * DAY)).toBe(0);
    expect(after("shipments", "ship_by")).toBeGreaterThan(0);
    // History ends close to "now": the latest order was placed in the hour before it.
    expect(count(sqlite, "SELECT max(placed_at) AS n FROM orders")).toBeGreaterThan(T - HOUR);
  });

  it("has orders this week and last week, and refunds in the last month", () => {
    const sqlite = first.db.$client;
    const placed = (from: number, to: number) => count(sqlite, "SELECT count(*) AS n FROM orders WHERE placed_at >= ? AND placed_at < ?", from, to);
    expect(placed(T - 7 * DAY, T)).toBeGreaterThan(10);
    expect(placed(T - 14 * DAY, T - 7 * DAY)).toBeGreaterThan(10);
    expect(count(sqlite, "SELECT count(*) AS n FROM refunds WHERE created_at >= ? AND created_at <= ?", T - 30 * DAY, T)).toBeGreaterThan(0);
  });

  it("has open shipments due within the day after the base and some already overdue", () => {
    const sqlite = first.db.$client;
    const open = "status IN ('pending', 'picking', 'packed')";
    expect(count(sqlite, `SELECT count(*) AS n FROM shipments WHERE ${open} AND ship_by > ? AND ship_by <= ?`, T, T + DAY)).toBeGreaterThan(0);
    expect(count(sqlite, `SELECT count(*) AS n FROM shipments WHERE ${open} AND ship_by <= ?`, T)).toBeGreaterThan(0);
  });

  it("raises live alerts when evaluated at the base, shipment alerts among them at the lead's warehouse", () => {
    const summary = evaluateAndStoreAlerts(first.db, T);
    expect(summary.open).toBeGreaterThan(0);
    const atLead = count(first.db.$client, "SELECT count(*) AS n FROM alerts WHERE status = 'open' AND rule = 'shipment_past_sla' AND location_id = ?", leadLocation(first.db.$client));
    expect(atLead).toBeGreaterThan(0);
  });

  it("gives the demo lead the warehouse with the most open shipments as their saved location, audited", () => {
    const sqlite = first.db.$client;
    const lead = leadLocation(sqlite);
    expect(lead).toBe(busiestWarehouse(sqlite));
    expect(sqlite.prepare("SELECT kind FROM locations WHERE id = ?").pluck().get(lead)).toBe("warehouse");
    const audit = sqlite.prepare("SELECT actor_label AS actor, data, created_at AS at FROM audit_events WHERE entity_type = 'user' AND action = 'default_location_set'").all() as { actor: string; data: string; at: number }[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.data)).toEqual({ from: null, to: lead });
    expect(audit[0]!.actor).toMatch(/Warehouse/);
    expect(audit[0]!.at).toBeLessThan(T);
    // Every other demo user keeps "every location".
    expect(count(sqlite, "SELECT count(*) AS n FROM users WHERE default_location_id IS NOT NULL")).toBe(1);
  });

  it("gives identical rows for the same seed and base", () => {
    const a = checksum(first.db.$client);
    expect(a.orders!.rows).toBe(ORDERS);
    // The alerts test above evaluated `first`; evaluation writes alerts only, none of the tables compared here.
    expect(checksum(second.db.$client)).toEqual(a);
  });
});

describe("the seed without leadLocation", () => {
  const plain = tempDatabase();
  afterAll(() => plain.cleanup());

  it("leaves the demo lead without a saved location (tests that seed rely on seeing every location)", async () => {
    await seedDatabase(plain.db, { orders: 60, seed: SEED, baseTime: T });
    expect(leadLocation(plain.db.$client)).toBeNull();
    expect(count(plain.db.$client, "SELECT max(placed_at) AS n FROM orders")).toBeLessThanOrEqual(T);
  });
});

describe("scripts/seed.ts --now", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "switchyard-seed-now-"));
  const file = path.join(dir, "cli.db");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const seed = (...args: string[]) =>
    spawnSync(process.execPath, ["scripts/seed.ts", ...args], { encoding: "utf8", env: { ...process.env, DATABASE_PATH: file }, timeout: 60_000 });

  it.each(["yesterday", "2026-11-30", "2026-02-31T00:00:00Z", "2026-11-30T12:00:00", "1999-12-31T23:00:00Z", "12.5", ""])("refuses %j with exit 2 and says what it takes", (raw) => {
    const run = seed("--orders", "10", "--now", raw);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^seed: --now must be (an ISO instant with a zone \(e\.g\. 2026-11-30T12:00:00Z\) or epoch milliseconds|on or after 2000-01-01T00:00:00Z), got ".*"\./);
    expect(run.stderr).toContain("Usage: npm run seed");
  });

  it("seeds histories ending at the given instant (with an offset) and gives the lead a location with --lead-location", () => {
    const run = seed("--orders", "30", "--seed", "7", "--now", "2027-03-17T10:00:00+01:00", "--lead-location");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("ending 2027-03-17T09:00:00.000Z");
    const db = openDatabase(file);
    try {
      const latest = count(db.$client, "SELECT max(placed_at) AS n FROM orders");
      expect(latest).toBeLessThanOrEqual(T);
      expect(latest).toBeGreaterThan(T - DAY);
      expect(leadLocation(db.$client)).toBe(busiestWarehouse(db.$client));
    } finally {
      db.$client.close();
    }
  });
});
