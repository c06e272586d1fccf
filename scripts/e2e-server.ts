// The server Playwright starts (and the fuzzing tier, with E2E_SERVER_DIR=.cache/fuzz): a fresh file database
// with a small deterministic seed, then `next start`.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { nextBin } from "./lib/build.ts";

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

const server = spawn(process.execPath, [nextBin(), "start", "-p", port], { stdio: "inherit", env: childEnv });
// The worker's outbox deliveries beside it: refunds are paid out by its payments consumer after commit.
const worker = spawn(process.execPath, ["scripts/worker.ts", "--outbox-only"], { stdio: "inherit", env: { ...childEnv, WORKER_POLL_MS: "100" } });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => (worker.kill(signal), server.kill(signal)));
server.on("exit", (code) => process.exit(code ?? 0));
