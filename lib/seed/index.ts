import type Database from "better-sqlite3";
import type { DB } from "../../db/client.ts";
import { ROLES, type Role } from "../../db/schema/auth.ts";
import { hashPassword } from "../auth/password.ts";
import { ROLE_LABELS } from "../auth/permissions.ts";
import { generateProducts, generateStock, generateSupplierCatalogs } from "./catalog.ts";
import type { SeedActor, SeedContext } from "./context.ts";
import { DEMO_USERS, demoUser } from "./demo-users.ts";
import { AGENT_REFUND_LIMIT, AGENT_REFUND_LIMIT_GBP, generateOrder } from "./orders.ts";
import { generateCustomers } from "./people.ts";
import { LOCATIONS, STOCKING, SUPPLIERS } from "./places.ts";
import { DAY, HOUR, planOrders } from "./plan.ts";
import { createRng } from "./random.ts";
import { prepareInserts } from "./statements.ts";
import { rebuildEmbeddedIndex } from "../search/embedded/indexer.ts";
import { OPEN_SHIPMENT_STATUSES } from "../orders/ship-by.ts";
import { setDefaultLocation } from "../shipments/default-location.ts";

/** The default "now" for the demo data: every generated time is before it, so the same seed gives the same rows on any day. */
const SEED_BASE_TIME = Date.UTC(2026, 10, 1);

const ALERT_THRESHOLDS = { awaiting_fulfillment_hours: 24, payment_processing_minutes: 60, backorder_age_days: 7, shipment_sla_hours: 48 };

/** Tables the seed fills, in the order the summary lists them. */
const SEEDED_TABLES = [
  "users", "settings", "locations", "products", "inventory", "supplier_catalog", "customers", "addresses", "orders", "order_lines",
  "shipments", "shipment_lines", "backorders", "routing_decisions", "refunds", "notes", "notifications", "audit_events",
] as const;

export type SeedOptions = {
  orders: number;
  seed: number;
  /** The demo's present (epoch ms): histories end at this instant. Default: a fixed day, so tests and benches are reproducible. */
  baseTime?: number;
  /** Give the demo warehouse lead a saved location (the warehouse with the most open shipments), as `npm start`'s demo does. */
  leadLocation?: boolean;
  /** Called after every chunk of orders (at most every 1,000), inside the write. */
  onProgress?: (done: number, total: number) => void;
};
export type SeedSummary = { counts: Record<(typeof SEEDED_TABLES)[number], number>; elapsedMs: number };

/** A seed that cannot run as asked (the database is not empty); the message says what to do. */
export class SeedError extends Error {}

const ORDERS_PER_TRANSACTION = 5_000;
const PROGRESS_EVERY = 1_000;

/** Independent streams per area, so the catalogue does not change when the order count does. */
function stream(seed: number, name: string): ReturnType<typeof createRng> {
  let h = seed >>> 0;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return createRng(h);
}

function countRows(sqlite: Database.Database): SeedSummary["counts"] {
  const counts = {} as SeedSummary["counts"];
  for (const table of SEEDED_TABLES) counts[table] = (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return counts;
}

/**
 * The demo warehouse lead works from a saved location: the warehouse with the most open shipments (lowest
 * id on a tie), saved through the app's own rule (audited) at `at`. Nothing when they already saved one.
 * The seed's `leadLocation` and the pages bench both call it.
 */
export function saveDemoLeadLocation(db: DB, at: number): void {
  const lead = db.$client.prepare("SELECT id, name, default_location_id AS saved FROM users WHERE email = ?").get(demoUser("warehouse_lead").email) as
    | { id: number; name: string; saved: number | null }
    | undefined;
  if (!lead || lead.saved !== null) return;
  const open = OPEN_SHIPMENT_STATUSES.map(() => "?").join(", ");
  const busiest = db.$client
    .prepare(
      `SELECT s.location_id AS id FROM shipments s JOIN locations l ON l.id = s.location_id
       WHERE l.kind = 'warehouse' AND l.active = 1 AND s.status IN (${open})
       GROUP BY s.location_id ORDER BY count(*) DESC, s.location_id LIMIT 1`,
    )
    .get(...OPEN_SHIPMENT_STATUSES) as { id: number } | undefined;
  if (!busiest) return;
  const actor = { id: lead.id, label: `${lead.name} (${ROLE_LABELS.warehouse_lead})` };
  db.transaction((tx) => setDefaultLocation(tx, { userId: lead.id, locationId: busiest.id, actor, at }));
}

/**
 * Fills an empty, migrated database with deterministic demo data: demo users, locations, ~500 products
 * with stock, customers, and `orders` orders with consistent histories ending at `baseTime`. Same seed, count and base, same rows
 * (apart from the password hashes, which carry a random salt).
 */
export async function seedDatabase(db: DB, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const sqlite = db.$client;
  const before = countRows(sqlite);
  const filled = (["orders", "users", "products", "locations", "customers"] as const).filter((t) => before[t] > 0);
  if (filled.length) {
    throw new SeedError(
      `The database already has data (${filled.map((t) => `${before[t]} ${t}`).join(", ")}). The seed only writes into an empty database.`,
    );
  }
  const hashes = await Promise.all(DEMO_USERS.map((u) => hashPassword(u.password)));
  const ins = prepareInserts(sqlite);
  const base = options.baseTime ?? SEED_BASE_TIME;

  const catalogRng = stream(options.seed, "catalog");
  const products = generateProducts(catalogRng);
  const stock = generateStock(catalogRng, products, STOCKING.length);
  const catalogs = generateSupplierCatalogs(catalogRng, products);
  const popular = catalogRng.shuffle(products.map((_, i) => i));
  const scarce = catalogRng.shuffle(products.filter((p) => p.allowBackorder).map((p) => p.id - 1)).slice(0, 12);
  const customers = generateCustomers(stream(options.seed, "customers"), Math.max(20, Math.round(options.orders * 0.55)), base - 91 * DAY);

  const actors = {} as Record<Role, SeedActor>;
  sqlite.transaction(() => {
    DEMO_USERS.forEach((u, i) => {
      ins.user.run(i + 1, u.email, u.name, u.role, hashes[i]!, 0, base - 180 * DAY, base - 180 * DAY);
      actors[u.role] = { id: i + 1, label: `${u.name} (${ROLE_LABELS[u.role]})` };
    });
    const admin = actors.admin.id;
    ins.setting.run("agent_refund_limit", JSON.stringify({ limits: { EUR: AGENT_REFUND_LIMIT, GBP: AGENT_REFUND_LIMIT_GBP } }), base - 120 * DAY, admin);
    ins.setting.run("alert_thresholds", JSON.stringify(ALERT_THRESHOLDS), base - 120 * DAY, admin);
    LOCATIONS.forEach((l, i) => ins.location.run(i + 1, l.code, l.name, l.kind, l.city, l.country, l.lat, l.lng, l.priority, 1, l.slaHours));
    for (const p of products) ins.product.run(p.id, p.sku, p.name, p.price, "EUR", p.weightGrams, p.allowBackorder ? 1 : 0, 1);
    catalogs.forEach((entries, i) => {
      for (const e of entries) ins.catalog.run(SUPPLIERS[i]! + 1, e.productId, e.cost, "EUR", e.leadDays, 1);
    });
    for (const c of customers) {
      ins.customer.run(c.id, c.name, c.email, c.phone, c.createdAt);
      for (const a of c.addresses) ins.address.run(a.id, a.customerId, a.name, a.line1, a.line2, a.city, a.region, a.postcode, a.country.code, a.lat, a.lng);
    }
  })();
  for (const role of ROLES) if (!actors[role]) throw new Error(`DEMO_USERS has no ${role}`);

  const orderRng = stream(options.seed, "orders");
  const skeletons = planOrders(orderRng, options.orders, base);
  const ctx: SeedContext = {
    rng: orderRng,
    ins,
    products,
    popular,
    premium: products.filter((p) => p.price >= 11_000).map((p) => p.id - 1),
    scarce,
    catalogs,
    customers,
    system: { id: null, label: "system" },
    actors,
    ids: { line: 0, shipment: 0, shipmentLine: 0, backorder: 0, refund: 0, note: 0, notification: 0, routing: 0, audit: 0 },
    reserved: new Int32Array(STOCKING.length * products.length),
  };
  options.onProgress?.(0, skeletons.length);
  for (let start = 0; start < skeletons.length; start += ORDERS_PER_TRANSACTION) {
    const end = Math.min(start + ORDERS_PER_TRANSACTION, skeletons.length);
    sqlite.transaction(() => {
      for (let i = start; i < end; i++) {
        generateOrder(ctx, i + 1, skeletons[i]!, base);
        if ((i + 1) % PROGRESS_EVERY === 0 && i + 1 < end) options.onProgress?.(i + 1, skeletons.length);
      }
    })();
    options.onProgress?.(end, skeletons.length);
  }

  // Stock last, so reserved matches the open shipments and on_hand always covers reserved + safety stock.
  const scarceSet = new Set(scarce);
  sqlite.transaction(() => {
    for (const loc of STOCKING) {
      for (let p = 0; p < products.length; p++) {
        const level = stock[loc]![p]!;
        const reserved = ctx.reserved[loc * products.length + p]!;
        const floor = reserved + level.safetyStock;
        // Sold-out SKUs have nothing available anywhere, which is why their backorders are pending.
        const onHand = scarceSet.has(p) ? floor : Math.max(level.onHand, floor);
        ins.inventory.run(loc + 1, p + 1, onHand, reserved, level.safetyStock, base - catalogRng.int(1, 72) * HOUR);
      }
    }
  })();

  // A month before "now".
  if (options.leadLocation) saveDemoLeadLocation(db, base - 30 * DAY);

  // Paid orders wait for the worker, as transition() to paid would have queued them.
  sqlite
    .prepare(
      `INSERT INTO jobs (kind, key, payload, run_at, created_at)
       SELECT 'route_order', 'route:' || id, json_object('orderId', id), status_changed_at, status_changed_at FROM orders WHERE status = 'paid' ORDER BY id`,
    )
    .run();

  // The embedded search index, in bulk: faster than indexing each order as it is written.
  rebuildEmbeddedIndex(db);

  return { counts: countRows(sqlite), elapsedMs: performance.now() - started };
}

export { DEMO_USERS } from "./demo-users.ts";
