import { settlePayouts } from "../support/payouts.ts";
import { afterAll, beforeAll, expect, test } from "vitest";
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { routeBatch } from "../../lib/worker/route-jobs.ts";
import { insertUser } from "../support/fixtures.ts";
import { PLACES, T0, createWorld, insertCustomer, payOrder, setStock, type Customer, type ProductRow, type World } from "../support/routing-world.ts";

const ORDERS = 1_000;
/** Each side's pace: one order per slot at most. */
const SLOT_MS = 16;
const CHILD = path.resolve("tests/support/order-race-child.ts");
const REPORT = path.resolve(".cache/test/order-race.json");

type Side = {
  mode: "cancel" | "ship";
  pid: number;
  won: number;
  conflict: number;
  invalidTransition: number;
  transactions: number;
  busy: number;
  slowestMs: number;
  elapsedMs: number;
  outcomes: { orderId: number; outcome: "won" | "conflict"; code?: string; steps: number }[];
  errors: string[];
};

let w: World;
beforeAll(() => {
  w = createWorld();
});
afterAll(() => w.cleanup());

/** mulberry32: the same orders every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function q<T = Record<string, unknown>>(sqlText: string): T[] {
  return w.db.$client.prepare(sqlText).all() as T[];
}

/** Starts one side and resolves `ready` once it has read the orders and waits for "go". */
function startSide(mode: "cancel" | "ship", actor: { id: number; name: string }, slotMs: number) {
  const child = spawn(process.execPath, [CHILD, w.file, mode, String(actor.id), actor.name, String(slotMs)], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const lines: string[] = [];
  let onReady: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    if (line.includes('"ready":true')) onReady();
  });
  const done = new Promise<Side>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${mode} side exited with ${code}: ${stderr}`));
      resolve(JSON.parse(lines.at(-1)!) as Side);
    });
  });
  return { child, ready: Promise.race([ready, done.then(() => undefined)]), done };
}

/**
 * 1,000 paid orders over a network where no warehouse holds every SKU, so many orders split into
 * two or three shipments; stock is plentiful, so every order is routed with nothing backordered.
 */
function buildRoutedOrders() {
  const { db, loc, product: p } = w;
  const stock: [number, ProductRow, number][] = [
    [loc.RTM, p.KETTLE, 5_000],
    [loc.LEJ, p.KETTLE, 5_000],
    [loc.RTM, p.MUG, 5_000],
    [loc.LYS, p.MUG, 5_000],
    [loc.LEJ, p.TOASTER, 5_000],
    [loc.LYS, p.BLENDER, 5_000],
    [loc.MAN, p.GRINDER, 5_000],
  ];
  for (const [l, product, onHand] of stock) setStock(db, l, product.id, onHand);
  const places = [PLACES.amsterdam, PLACES.berlin, PLACES.paris, PLACES.leeds, PLACES.munich, PLACES.milan, PLACES.hamburg, PLACES.lyon];
  const customers: Customer[] = places.map((place, i) => insertCustomer(db, place, `Race customer ${i + 1}`));
  const skus = [p.KETTLE, p.MUG, p.TOASTER, p.BLENDER, p.GRINDER];
  const random = prng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  for (let i = 0; i < ORDERS; i++) {
    const products = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(skus)))];
    payOrder(db, { customer: pick(customers), lines: products.map((product) => ({ product, qty: 1 + Math.floor(random() * 3) })), at: T0 + i * 1000 });
  }
  while (routeBatch(db, { limit: 300, now: T0 + ORDERS * 1000 }).routed.length > 0);
  return new Map(stock.map(([l, product, onHand]) => [`${l}:${product.id}`, onHand]));
}

test("an agent cancelling and a warehouse shipping the same 1,000 orders from two processes: exactly one wins each order and the record stays consistent", async () => {
  const initialStock = buildRoutedOrders();
  const agent = insertUser(w.db, "agent", "race-agent@switchyard.test");
  const lead = insertUser(w.db, "warehouse_lead", "race-lead@switchyard.test");

  // Every order is routed, awaiting fulfilment, with pending stock shipments and nothing backordered.
  expect(q<{ status: string; n: number }>("SELECT status, count(*) AS n FROM orders GROUP BY status")).toEqual([{ status: "awaiting_fulfillment", n: ORDERS }]);
  expect(q("SELECT o.id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.status = 'pending')")).toEqual([]);
  expect(q("SELECT id FROM shipments WHERE status <> 'pending' OR dropship = 1")).toEqual([]);
  expect(q("SELECT id FROM backorders")).toEqual([]);
  const shipmentCount = q<{ n: number }>("SELECT count(*) AS n FROM shipments")[0]!.n;
  const multi = q<{ n: number }>("SELECT count(*) AS n FROM (SELECT order_id FROM shipments GROUP BY order_id HAVING count(*) > 1)")[0]!.n;
  expect(multi).toBeGreaterThan(100);

  // Both sides take up order k no sooner than k slots after "go": the same pace, so they meet near the middle.
  const canceller = startSide("cancel", agent, SLOT_MS);
  const shipper = startSide("ship", lead, SLOT_MS);
  await Promise.all([canceller.ready, shipper.ready]);
  canceller.child.stdin.write("go\n");
  shipper.child.stdin.write("go\n");
  const [a, b] = await Promise.all([canceller.done, shipper.done]);
  // The worker pays out the cancellation refunds after their commits.
  await settlePayouts(w.db);

  // Only the two expected refusals happened; anything else is a bug.
  expect(a.errors.concat(b.errors)).toEqual([]);
  expect(a.outcomes).toHaveLength(ORDERS);
  expect(b.outcomes).toHaveLength(ORDERS);

  const status = new Map(q<{ id: number; status: string }>("SELECT id, status FROM orders").map((o) => [o.id, o.status]));
  const cancelWon = new Set(a.outcomes.filter((o) => o.outcome === "won").map((o) => o.orderId));
  const shipWon = new Set(b.outcomes.filter((o) => o.outcome === "won").map((o) => o.orderId));
  // Where they met: the highest order the canceller took and the lowest the shipper took.
  const meeting = { highestCancelled: Math.max(...cancelWon), lowestShipped: Math.min(...shipWon) };
  // Orders both sides reached while the other was still on them: the canceller lost to a shipment already being picked.
  const inFlight = a.outcomes.filter((o) => o.code === "conflict").length;

  const violations = {
    // Exactly one side won each order, and the order's status says which.
    noWinnerOrTwo: [...status.keys()].filter((id) => cancelWon.has(id) === shipWon.has(id)).length,
    statusDisagreesWithWinner: [...status].filter(([id, s]) => (cancelWon.has(id) ? s !== "cancelled" : s !== "fulfilled")).length,
    // A loser lost before doing anything: the shipper never moved a shipment of an order that was then cancelled.
    shipperLostMidway: b.outcomes.filter((o) => o.outcome === "conflict" && o.steps > 0).length,
    // No shipped unit was cancelled, no cancelled unit shipped (or was picked or packed).
    shippedUnitCancelled: q(`SELECT ol.id FROM order_lines ol WHERE ol.qty_cancelled + coalesce((SELECT sum(sl.qty) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id
        WHERE sl.order_line_id = ol.id AND s.status IN ('picking', 'packed', 'shipped', 'delivered')), 0) > ol.qty_ordered`).length,
    cancelledOrderWithLiveShipment: q("SELECT s.id FROM shipments s JOIN orders o ON o.id = s.order_id WHERE o.status = 'cancelled' AND s.status <> 'cancelled'").length,
    cancelledOrderWithOpenUnits: q("SELECT ol.id FROM order_lines ol JOIN orders o ON o.id = ol.order_id WHERE o.status = 'cancelled' AND ol.qty_cancelled <> ol.qty_ordered").length,
    shippedOrderWithCancelledUnits: q("SELECT ol.id FROM order_lines ol JOIN orders o ON o.id = ol.order_id WHERE o.status <> 'cancelled' AND ol.qty_cancelled <> 0").length,
    // Every unit not cancelled is in exactly one live shipment (no unit lost, none doubled).
    unitsMisplaced: q(`SELECT ol.id FROM order_lines ol WHERE ol.qty_ordered - ol.qty_cancelled <> coalesce((SELECT sum(sl.qty) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id
        WHERE sl.order_line_id = ol.id AND s.status <> 'cancelled'), 0)`).length,
    // Reserved is exactly what open stock shipments hold, per location and SKU, seen from both sides.
    reservedMismatch: q(`
      WITH open_units AS (
        SELECT s.location_id, ol.product_id, sum(sl.qty) AS qty FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id JOIN order_lines ol ON ol.id = sl.order_line_id
        WHERE s.dropship = 0 AND s.status IN ('pending', 'picking', 'packed') GROUP BY s.location_id, ol.product_id)
      SELECT i.location_id FROM inventory i LEFT JOIN open_units u ON u.location_id = i.location_id AND u.product_id = i.product_id WHERE i.reserved <> coalesce(u.qty, 0)
      UNION ALL SELECT u.location_id FROM open_units u WHERE NOT EXISTS (SELECT 1 FROM inventory i WHERE i.location_id = u.location_id AND i.product_id = u.product_id)`).length,
    // On hand dropped by exactly what shipped.
    onHandMismatch: q<{ locationId: number; productId: number; onHand: number; shipped: number }>(`
      SELECT i.location_id AS locationId, i.product_id AS productId, i.on_hand AS onHand, coalesce((SELECT sum(sl.qty) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id
        JOIN order_lines ol ON ol.id = sl.order_line_id WHERE s.location_id = i.location_id AND ol.product_id = i.product_id AND s.status IN ('shipped', 'delivered')), 0) AS shipped
      FROM inventory i`).filter((r) => r.onHand !== (initialStock.get(`${r.locationId}:${r.productId}`) ?? 0) - r.shipped).length,
    // Refunds never exceed what was paid and add up to what the order says; a cancelled order got all of it back, a shipped one nothing.
    refundedOverPaid: q("SELECT id FROM orders WHERE refunded > paid").length,
    refundSumMismatch: q(`SELECT o.id FROM orders o WHERE o.refunded <> coalesce((SELECT sum(r.amount) FROM refunds r WHERE r.order_id = o.id AND r.status = 'succeeded'), 0)`).length,
    refundWrongForOutcome: q("SELECT id FROM orders WHERE (status = 'cancelled' AND refunded <> paid) OR (status <> 'cancelled' AND refunded <> 0)").length,
    refundNotPaidOut: q("SELECT id FROM refunds WHERE status <> 'succeeded'").length,
    // Every status change has its audit row: the latest one names the current status, and each starts where the one before ended.
    statusWithoutAudit: q(`SELECT o.id FROM orders o WHERE o.status IS NOT (SELECT a.to_status FROM audit_events a
        WHERE a.entity_type = 'order' AND a.entity_id = o.id AND a.action = 'status_changed' ORDER BY a.id DESC LIMIT 1)`).length,
    auditChainBroken: q(`SELECT id FROM (SELECT a.id, a.from_status, lag(a.to_status) OVER (PARTITION BY a.entity_id ORDER BY a.id) AS previous
        FROM audit_events a WHERE a.entity_type = 'order' AND a.action = 'status_changed') WHERE previous IS NOT NULL AND previous IS NOT from_status`).length,
    // The customer heard once per shipment that left, and once per cancellation.
    shippedNoticeMismatch: q(`SELECT o.id FROM orders o WHERE (SELECT count(*) FROM notifications n WHERE n.order_id = o.id AND n.kind = 'shipped')
        <> (SELECT count(*) FROM shipments s WHERE s.order_id = o.id AND s.status = 'shipped')`).length,
    cancelNoticeMismatch: q(`SELECT o.id FROM orders o WHERE (SELECT count(*) FROM notifications n WHERE n.order_id = o.id AND n.kind = 'cancelled') <> (o.status = 'cancelled')`).length,
  };
  const totalViolations = Object.values(violations).reduce((n, v) => n + v, 0);

  const report = {
    orders: ORDERS,
    shipments: shipmentCount,
    ordersWithSeveralShipments: multi,
    cancelsWon: a.won,
    shipsWon: b.won,
    conflicts: {
      cancelSide: { conflict: a.conflict, invalid_transition: a.invalidTransition },
      shipSide: { conflict: b.conflict, invalid_transition: b.invalidTransition },
    },
    cancelLostToShipmentInFlight: inFlight,
    meeting,
    transactions: { cancelSide: a.transactions, shipSide: b.transactions },
    busyRetries: { cancelSide: a.busy, shipSide: b.busy },
    slowestTransactionMs: { cancelSide: a.slowestMs, shipSide: b.slowestMs },
    elapsedMs: { cancelSide: a.elapsedMs, shipSide: b.elapsedMs },
    violations,
    totalViolations,
  };
  console.log(
    `order race: ${ORDERS} orders (${shipmentCount} shipments); cancels won ${a.won}, ships won ${b.won}; ` +
      `cancel side conflicts ${a.conflict + a.invalidTransition} (conflict ${a.conflict}, invalid_transition ${a.invalidTransition}), ` +
      `ship side conflicts ${b.conflict + b.invalidTransition} (conflict ${b.conflict}, invalid_transition ${b.invalidTransition}); ` +
      `met between orders ${meeting.highestCancelled} and ${meeting.lowestShipped}; violations ${totalViolations}`,
  );
  console.log(`order race violations: ${JSON.stringify(violations)}`);
  mkdirSync(path.dirname(REPORT), { recursive: true });
  writeFileSync(REPORT, `${JSON.stringify(report, null, 2)}\n`);

  expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((k) => [k, 0])));
  expect(a.won + b.won).toBe(ORDERS);
  expect(a.won + a.conflict + a.invalidTransition).toBe(ORDERS);
  expect(b.won + b.conflict + b.invalidTransition).toBe(ORDERS);
  // Both sides won a real share: the race happened, neither ran alone.
  expect(a.won).toBeGreaterThan(ORDERS / 5);
  expect(b.won).toBeGreaterThan(ORDERS / 5);
});
