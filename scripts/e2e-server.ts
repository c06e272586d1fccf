// The server Playwright starts (and the fuzzing tier, with E2E_SERVER_DIR=.cache/fuzz): a fresh file database
// with a small deterministic seed, then the app served as `npm start` serves it (scripts/serve.ts, one process).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

const port = process.env.E2E_PORT ?? "3100";
const dir = path.resolve(process.env.E2E_SERVER_DIR ?? ".cache/e2e");
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const DATABASE_PATH = path.join(dir, "e2e.db");
const childEnv = {
  ...process.env,
  DATABASE_PATH,
  PORT: port,
  NEXTAUTH_URL: `http://localhost:${port}`,
  NEXT_TELEMETRY_DISABLED: "1",
  NODE_ENV: "production" as const,
};

const seeded = spawnSync(process.execPath, ["scripts/seed.ts", "--orders", "400", "--seed", "42"], { stdio: "inherit", env: childEnv });
if (seeded.status !== 0) process.exit(seeded.status ?? 1);

// 400 seeded orders hold no open ship-complete order: mark the newest open one-shipment order so, as checkout would have.
const fixtures = new Database(DATABASE_PATH);
fixtures
  .prepare(
    `UPDATE orders SET ship_complete = 1 WHERE id = (
       SELECT o.id FROM orders o WHERE o.status = 'awaiting_fulfillment' AND o.ship_complete = 0
         AND (SELECT count(*) FROM shipments s WHERE s.order_id = o.id AND s.status <> 'cancelled') = 1
         AND EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.status = 'pending' AND s.dropship = 0)
         AND NOT EXISTS (SELECT 1 FROM backorders b WHERE b.order_id = o.id AND b.status = 'pending')
       ORDER BY o.id DESC LIMIT 1)`,
  )
  .run();
// One payout the payment provider refused (as the Stripe adapter records a refusal), for finance's retry on /refunds.
fixtures
  .prepare(
    `INSERT INTO refunds (order_id, amount, currency, reason, status, kind, provider_ref, failure_reason, created_at, decided_at)
     SELECT o.id, 500, o.currency, 'Goodwill: late parcel', 'failed', 'amount', 'req_e2e_refused',
            'Stripe refused the refund (charge_expired_for_refund): The charge is too old to be refunded.', o.placed_at + 86400000, o.placed_at + 86400000
     FROM orders o WHERE o.status = 'delivered' AND o.refunded = 0 AND o.paid >= 500 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id)
     ORDER BY o.id LIMIT 1`,
  )
  .run();

// Two dead letters of a subscriber the worker does not run here (retry leaves them waiting for it), for the dead letters screen.
// Written 90 minutes ago: newer than the seeded stuck orders, so their alerts stay first on /alerts.
const letterAt = Date.now() - 90 * 60_000;
const letterOrders = fixtures.prepare("SELECT id, number FROM orders ORDER BY id LIMIT 2").all() as { id: number; number: string }[];
for (const [i, o] of letterOrders.entries()) {
  const payload = JSON.stringify({ orderId: o.id, number: o.number, from: "paid", to: "awaiting_fulfillment" });
  const { id } = fixtures
    .prepare("INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload, created_at, available_at) VALUES ('order.status_changed', 'order', ?, ?, ?, ?) RETURNING id")
    .get(o.id, payload, letterAt, letterAt) as { id: number };
  fixtures
    .prepare(
      `INSERT INTO outbox_dead_letters (consumer, outbox_id, topic, aggregate_type, aggregate_id, payload, message_at, status, attempts, last_error, created_at, updated_at)
       VALUES ('webhook:e2e', ?, 'order.status_changed', 'order', ?, ?, ?, 'dead', 8, ?, ?, ?)`,
    )
    .run(id, o.id, payload, letterAt, i === 0 ? "receiver answered 500: Internal Server Error" : "receiver answered 410: Gone", letterAt, letterAt);
}

// The seed's clock is fixed in the past, so nothing is due "today": give the demo lead a location (as they would
// save it on /shipments) and make three of its pending shipments due later today, one of them movable elsewhere.
const movable = fixtures
  .prepare(
    `SELECT s.id, s.location_id AS locationId FROM shipments s JOIN orders o ON o.id = s.order_id
     JOIN locations l ON l.id = s.location_id
     WHERE s.status = 'pending' AND s.dropship = 0 AND o.status = 'awaiting_fulfillment' AND o.ship_complete = 0 AND l.kind <> 'dropship'
       AND (SELECT count(*) FROM shipment_lines sl WHERE sl.shipment_id = s.id AND sl.qty > 0) = 1
       AND EXISTS (SELECT 1 FROM shipment_lines sl JOIN order_lines ol ON ol.id = sl.order_line_id
                   JOIN inventory i ON i.product_id = ol.product_id AND i.location_id <> s.location_id
                   JOIN locations t ON t.id = i.location_id AND t.active = 1 AND t.kind <> 'dropship'
                   WHERE sl.shipment_id = s.id AND sl.qty > 0 AND i.on_hand - i.reserved - i.safety_stock >= sl.qty)
     ORDER BY s.id DESC LIMIT 1`,
  )
  .get() as { id: number; locationId: number } | undefined;
if (movable) {
  const now = Date.now();
  const endOfDay = Math.floor(now / 86_400_000) * 86_400_000 + 86_400_000;
  const dueToday = now + Math.min(2 * 3_600_000, Math.floor((endOfDay - now) / 2));
  fixtures.prepare("UPDATE users SET default_location_id = ? WHERE email = 'warehouse@switchyard.test'").run(movable.locationId);
  fixtures
    .prepare(
      `UPDATE shipments SET ship_by = ? WHERE id = ? OR id IN (
         SELECT id FROM shipments WHERE location_id = ? AND status = 'pending' AND id <> ? ORDER BY id DESC LIMIT 2)`,
    )
    .run(dueToday, movable.id, movable.locationId, movable.id);
}
fixtures.close();

// Served as `npm start` serves (scripts/serve.ts: its compression included), one process.
const server = spawn(process.execPath, ["scripts/serve.ts", "-p", port], { stdio: "inherit", env: { ...childEnv, WEB_CONCURRENCY: "1" } });
// The worker's outbox deliveries beside it: refunds are paid out by its payments consumer after commit.
const worker = spawn(process.execPath, ["scripts/worker.ts", "--outbox-only"], { stdio: "inherit", env: { ...childEnv, WORKER_POLL_MS: "100" } });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => (worker.kill(signal), server.kill(signal)));
server.on("exit", (code) => process.exit(code ?? 0));
