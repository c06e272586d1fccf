// Routing throughput: the real worker (routeBatch) against a raw better-sqlite3 writer that performs
// the same writes with the same transaction shape (100 orders per transaction, a savepoint per order)
// from precomputed values: no reads, no planning. Both run in this process, one after the other.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type Database from "better-sqlite3";
import { openDatabase, migrateDatabase } from "../db/client.ts";
import { routeBatch } from "../lib/worker/route-jobs.ts";
import type { RoutingPlan } from "../lib/routing/types.ts";
import { arg, rng, table, writeResult } from "./lib.ts";

const BATCH = 100;
const T0 = Date.UTC(2026, 10, 1);

export async function main(args: string[]): Promise<void> {
  const orders = arg(args, "orders", 100_000);
  const dir = mkdtempSync(path.join(tmpdir(), "switchyard-bench-routing-"));
  try {
    const appFile = path.join(dir, "app.db");
    const rawFile = path.join(dir, "raw.db");
    console.log(`Building ${orders.toLocaleString("en-GB")} paid orders…`);
    const build = buildWorld(appFile, orders);
    copyFileSync(appFile, rawFile);

    const app = openDatabase(appFile);
    const started = performance.now();
    let routed = 0;
    let failed = 0;
    for (;;) {
      const r = routeBatch(app, { limit: BATCH, now: T0 + 3_600_000 });
      if (r.routed.length === 0 && r.failed.length === 0) break;
      routed += r.routed.length;
      failed += r.failed.length;
    }
    const appSeconds = (performance.now() - started) / 1000;
    const writes = extractWrites(app.$client);
    const outcomes = app.$client.prepare("SELECT outcome, count(*) AS n FROM routing_decisions GROUP BY outcome ORDER BY outcome").all() as { outcome: string; n: number }[];
    app.$client.close();

    const raw = openDatabase(rawFile);
    const rawSeconds = rawWrite(raw.$client, writes);
    raw.$client.close();

    const ordersPerSecond = Math.round(routed / appSeconds);
    const rawOrdersPerSecond = Math.round(writes.length / rawSeconds);
    const ratio = Math.round((ordersPerSecond / rawOrdersPerSecond) * 1000) / 1000;
    console.log("");
    table([
      { writer: "worker (plan + guarded reserve + writes)", orders: routed, seconds: appSeconds.toFixed(2), "orders/s": ordersPerSecond },
      { writer: "raw better-sqlite3 (same writes, precomputed)", orders: writes.length, seconds: rawSeconds.toFixed(2), "orders/s": rawOrdersPerSecond },
    ]);
    console.log(`\nratio worker/raw: ${(ratio * 100).toFixed(1)} %   failed: ${failed}   outcomes: ${outcomes.map((o) => `${o.outcome} ${o.n}`).join(", ")}`);
    const file = writeResult("routing", {
      ordersPerSecond,
      rawOrdersPerSecond,
      ratio,
      orders: routed,
      failed,
      batch: BATCH,
      appSeconds,
      rawSeconds,
      buildSeconds: build,
      outcomes: Object.fromEntries(outcomes.map((o) => [o.outcome, o.n])),
      node: process.version,
      at: new Date().toISOString(),
    });
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  } finally {
    if (!process.env.KEEP_BENCH_DB) rmSync(dir, { recursive: true, force: true });
    else console.log(dir);
  }
}

/** 4 stock locations, 2 dropship suppliers, 500 SKUs, 20,000 addresses, N paid orders with queued route jobs. */
function buildWorld(file: string, orderCount: number): number {
  const started = performance.now();
  const db = openDatabase(file);
  migrateDatabase(db);
  const s = db.$client;
  const r = rng(7);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  s.transaction(() => {
    const sites = [
      ["RTM", "Rotterdam", "warehouse", 51.92, 4.48, 10],
      ["LEJ", "Leipzig", "warehouse", 51.34, 12.37, 20],
      ["LYS", "Lyon", "warehouse", 45.76, 4.84, 30],
      ["MAN", "Manchester 3PL", "3pl", 53.48, -2.24, 40],
      ["DS1", "Nordic Supply", "dropship", 55.68, 12.57, 50],
      ["DS2", "Iberia Direct", "dropship", 40.42, -3.7, 60],
    ] as const;
    const loc = s.prepare("INSERT INTO locations (code, name, kind, city, country, lat, lng, priority, active, sla_hours) VALUES (?, ?, ?, ?, 'EU', ?, ?, ?, 1, 48)");
    for (const [code, name, kind, lat, lng, prio] of sites) loc.run(code, name, kind, name, lat, lng, prio);
    const prod = s.prepare("INSERT INTO products (sku, name, price, currency, allow_backorder) VALUES (?, ?, ?, 'EUR', ?)");
    const inv = s.prepare("INSERT INTO inventory (location_id, product_id, on_hand, reserved, safety_stock, updated_at) VALUES (?, ?, ?, 0, ?, ?)");
    const cat = s.prepare("INSERT INTO supplier_catalog (location_id, product_id, cost, currency, lead_days, active) VALUES (?, ?, ?, 'EUR', ?, 1)");
    for (let p = 1; p <= 500; p++) {
      prod.run(`SKU-${String(p).padStart(4, "0")}`, `Product ${p}`, int(500, 9000), r() < 0.3 ? 1 : 0);
      for (let l = 1; l <= 4; l++) {
        // Most SKUs are plentiful in some places and absent in others, so plans split and dropship.
        const present = r() < 0.7;
        inv.run(l, p, present ? int(orderCount / 40, orderCount / 10) : 0, present ? int(0, 5) : 0, T0);
      }
      if (r() < 0.4) cat.run(5, p, int(300, 6000), int(2, 9));
      if (r() < 0.3) cat.run(6, p, int(300, 6000), int(3, 12));
    }
    const cust = s.prepare("INSERT INTO customers (name, email, phone, created_at) VALUES (?, ?, NULL, ?)");
    const addr = s.prepare("INSERT INTO addresses (customer_id, name, line1, city, postcode, country, lat, lng) VALUES (?, ?, '1 Main St', 'City', '1000', 'NL', ?, ?)");
    for (let c = 1; c <= 20_000; c++) {
      cust.run(`Customer ${c}`, `c${c}@example.test`, T0);
      addr.run(c, `Customer ${c}`, 41 + r() * 14, -4 + r() * 22);
    }
    const order = s.prepare(
      "INSERT INTO orders (number, customer_id, ship_address_id, status, ship_complete, currency, subtotal, total, paid, placed_at, status_changed_at, updated_at) VALUES (?, ?, ?, 'paid', ?, 'EUR', 0, 0, 0, ?, ?, ?)",
    );
    const line = s.prepare("INSERT INTO order_lines (order_id, product_id, sku, name, qty_ordered, unit_price) VALUES (?, ?, ?, ?, ?, 1000)");
    const job = s.prepare("INSERT INTO jobs (kind, key, payload, run_at, created_at) VALUES ('route_order', ?, ?, ?, ?)");
    for (let o = 1; o <= orderCount; o++) {
      const c = int(1, 20_000);
      const id = Number(order.run(`SY-${100000 + o}`, c, c, r() < 0.05 ? 1 : 0, T0, T0, T0).lastInsertRowid);
      const n = int(1, 4);
      const used = new Set<number>();
      for (let i = 0; i < n; i++) {
        const p = int(1, 500);
        if (used.has(p)) continue;
        used.add(p);
        line.run(id, p, `SKU-${String(p).padStart(4, "0")}`, `Product ${p}`, int(1, 3));
      }
      job.run(`route:${id}`, JSON.stringify({ orderId: id }), T0 + o, T0);
    }
  })();
  s.pragma("wal_checkpoint(TRUNCATE)");
  s.close();
  return (performance.now() - started) / 1000;
}

type OrderWrites = {
  orderId: number;
  jobId: number;
  reservations: { locationId: number; productId: number; qty: number }[];
  shipments: { id: number; locationId: number; dropship: number; shipBy: number; lines: { orderLineId: number; qty: number }[] }[];
  backorders: unknown[][];
  decision: unknown[];
  audit: unknown[][];
  outbox: unknown[][];
  toStatus: string | null;
};

/** Everything the worker wrote, grouped per order, so the raw writer can replay it without reading. */
function extractWrites(s: Database.Database): OrderWrites[] {
  const byOrder = new Map<number, OrderWrites>();
  const jobs = s.prepare("SELECT id, json_extract(payload, '$.orderId') AS orderId FROM jobs WHERE kind = 'route_order' ORDER BY run_at, id").all() as { id: number; orderId: number }[];
  for (const j of jobs) byOrder.set(j.orderId, { orderId: j.orderId, jobId: j.id, reservations: [], shipments: [], backorders: [], decision: [], audit: [], outbox: [], toStatus: null });
  for (const d of s.prepare("SELECT * FROM routing_decisions").all() as Record<string, unknown>[]) {
    const w = byOrder.get(d.order_id as number)!;
    w.decision = [d.id, d.order_id, d.outcome, d.split, d.dropship, d.backordered, d.held, d.shipment_count, d.plan, d.created_at];
    const plan = JSON.parse(d.plan as string) as RoutingPlan;
    for (const sh of plan.shipments) if (!sh.dropship) for (const l of sh.lines) w.reservations.push({ locationId: sh.locationId, productId: l.productId, qty: l.qty });
    w.toStatus = plan.hold ? null : "awaiting_fulfillment";
  }
  const lines = s.prepare("SELECT shipment_id, order_line_id, qty FROM shipment_lines").all() as { shipment_id: number; order_line_id: number; qty: number }[];
  const linesOf = new Map<number, { orderLineId: number; qty: number }[]>();
  for (const l of lines) linesOf.set(l.shipment_id, [...(linesOf.get(l.shipment_id) ?? []), { orderLineId: l.order_line_id, qty: l.qty }]);
  for (const sh of s.prepare("SELECT id, order_id, location_id, dropship, ship_by FROM shipments").all() as Record<string, number>[]) {
    byOrder.get(sh.order_id!)!.shipments.push({ id: sh.id!, locationId: sh.location_id!, dropship: sh.dropship!, shipBy: sh.ship_by!, lines: linesOf.get(sh.id!) ?? [] });
  }
  for (const b of s.prepare("SELECT order_id, order_line_id, product_id, qty, reason, created_at FROM backorders").all() as Record<string, unknown>[]) {
    byOrder.get(b.order_id as number)!.backorders.push(Object.values(b));
  }
  for (const a of s.prepare("SELECT entity_type, entity_id, order_id, actor_id, actor_label, action, from_status, to_status, reason, data, created_at FROM audit_events").all() as Record<string, unknown>[]) {
    byOrder.get(a.order_id as number)?.audit.push(Object.values(a));
  }
  for (const m of s.prepare("SELECT topic, aggregate_type, aggregate_id, payload, created_at, available_at FROM outbox").all() as Record<string, unknown>[]) {
    byOrder.get(m.aggregate_id as number)?.outbox.push(Object.values(m));
  }
  return [...byOrder.values()];
}

function rawWrite(s: Database.Database, writes: OrderWrites[]): number {
  const reserve = s.prepare("UPDATE inventory SET reserved = reserved + ?, updated_at = ? WHERE location_id = ? AND product_id = ? AND on_hand - reserved - safety_stock >= ?");
  const shipment = s.prepare("INSERT INTO shipments (order_id, location_id, status, dropship, ship_by, created_at, updated_at) VALUES (?, ?, 'pending', ?, ?, ?, ?)");
  const shipmentLine = s.prepare("INSERT INTO shipment_lines (shipment_id, order_line_id, qty) VALUES (?, ?, ?)");
  const backorder = s.prepare("INSERT INTO backorders (order_id, order_line_id, product_id, qty, reason, created_at, updated_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')");
  const decision = s.prepare("INSERT INTO routing_decisions (id, order_id, outcome, split, dropship, backordered, held, shipment_count, plan, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const audit = s.prepare("INSERT INTO audit_events (entity_type, entity_id, order_id, actor_id, actor_label, action, from_status, to_status, reason, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const outbox = s.prepare("INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload, created_at, available_at) VALUES (?, ?, ?, ?, ?, ?)");
  const status = s.prepare("UPDATE orders SET status = ?, status_changed_at = ?, updated_at = ? WHERE id = ? AND status = 'paid'");
  const done = s.prepare("UPDATE jobs SET done_at = ?, attempts = attempts + 1 WHERE id = ?");
  const at = T0 + 3_600_000;
  const one = s.transaction((w: OrderWrites) => {
    for (const r of w.reservations) reserve.run(r.qty, at, r.locationId, r.productId, r.qty);
    for (const sh of w.shipments) {
      const id = shipment.run(w.orderId, sh.locationId, sh.dropship, sh.shipBy, at, at).lastInsertRowid;
      for (const l of sh.lines) shipmentLine.run(id, l.orderLineId, l.qty);
    }
    for (const b of w.backorders) backorder.run(...b, at);
    decision.run(...w.decision);
    for (const a of w.audit) audit.run(...a);
    for (const m of w.outbox) outbox.run(...m);
    if (w.toStatus) status.run(w.toStatus, at, at, w.orderId);
    done.run(at, w.jobId);
  });
  const started = performance.now();
  for (let i = 0; i < writes.length; i += BATCH) {
    const batch = writes.slice(i, i + BATCH);
    // Nested better-sqlite3 transactions are savepoints, the same shape as the worker's.
    s.transaction(() => {
      for (const w of batch) one(w);
    }).immediate();
  }
  return (performance.now() - started) / 1000;
}
