import { afterAll, beforeAll, expect, test } from "vitest";
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import type { DB } from "../../db/client.ts";
import { routeBatch } from "../../lib/worker/route-jobs.ts";
import {
  PLACES,
  T0,
  addCatalog,
  createWorld,
  insertCustomer,
  payOrder,
  setStock,
  type Customer,
  type ProductRow,
  type World,
} from "../support/routing-world.ts";

const ORDERS = 400;
/** Small batches and a short pause between them (a worker's poll) so the two processes take turns at the write lock. */
const BATCH = 10;
const PAUSE_MS = 10;
const CHILD = path.resolve("tests/support/route-worker-child.ts");

type WorkerCounts = {
  name: string;
  pid: number;
  batches: number;
  routed: number;
  skipped: number;
  failed: number;
  busy: number;
  outcomes: Record<string, number>;
  orderIds: number[];
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

/** Starts a worker process and resolves once it has opened the database and is waiting for "go". */
function startWorker(name: string) {
  const child = spawn(process.execPath, [CHILD, w.file, name, String(BATCH), String(PAUSE_MS)], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const lines: string[] = [];
  const rl = createInterface({ input: child.stdout });
  let onReady: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  rl.on("line", (line) => {
    lines.push(line);
    if (line.includes('"ready":true')) onReady();
  });
  const done = new Promise<WorkerCounts>((resolve, reject) => {
    child.on("error", reject);
    // "close", not "exit": stdout is fully read by then, so the counts line is in.
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${name} exited with ${code}: ${stderr}`));
      resolve(JSON.parse(lines.at(-1)!) as WorkerCounts);
    });
  });
  return { child, ready: Promise.race([ready, done.then(() => undefined)]), done };
}

test("two worker processes routing 400 orders for scarce stock route each order once and never reserve a unit twice", async () => {
  const { orderIds, demand, supply } = payRaceOrders(w);
  expect(supply * 5).toBeLessThan(demand);
  expect(q<{ n: number }>("SELECT count(*) AS n FROM jobs WHERE kind = 'route_order' AND done_at IS NULL")[0]!.n).toBe(ORDERS);

  const a = startWorker("worker-a");
  const b = startWorker("worker-b");
  await Promise.all([a.ready, b.ready]);
  a.child.stdin.write("go\n");
  b.child.stdin.write("go\n");
  const [ca, cb] = await Promise.all([a.done, b.done]);

  const outcomes: Record<string, number> = {};
  for (const c of [ca, cb]) for (const [k, v] of Object.entries(c.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + v;
  console.log(
    `race: ${ORDERS} orders, ${demand} units wanted, ${supply} available; ` +
      `${ca.name} routed ${ca.routed} in ${ca.batches} batches (busy ${ca.busy}), ${cb.name} routed ${cb.routed} in ${cb.batches} batches (busy ${cb.busy}); ` +
      `outcomes ${JSON.stringify(outcomes)}`,
  );

  // Both processes did work, nothing failed, and together they routed every order once.
  expect(ca.errors.concat(cb.errors)).toEqual([]);
  expect(ca.routed).toBeGreaterThan(0);
  expect(cb.routed).toBeGreaterThan(0);
  expect(ca.routed + cb.routed).toBe(ORDERS);
  expect(ca.skipped + cb.skipped).toBe(0);
  expect(new Set([...ca.orderIds, ...cb.orderIds]).size).toBe(ORDERS);
  expect(outcomes.held).toBeGreaterThan(0);
  expect(outcomes.backordered).toBeGreaterThan(0);

  // One decision per order, every job done.
  const decisions = q<{ orderId: number; n: number }>("SELECT order_id AS orderId, count(*) AS n FROM routing_decisions GROUP BY order_id");
  expect(decisions).toHaveLength(ORDERS);
  expect(decisions.filter((d) => d.n !== 1)).toEqual([]);
  expect(decisions.map((d) => d.orderId).sort((x, y) => x - y)).toEqual(orderIds);
  expect(q("SELECT id, attempts, last_error FROM jobs WHERE done_at IS NULL OR attempts <> 1 OR last_error IS NOT NULL")).toEqual([]);

  // Never more reserved than there is to reserve.
  expect(q("SELECT * FROM inventory WHERE reserved > on_hand - safety_stock")).toEqual([]);

  // Reserved is exactly what pending stock shipments hold, per location and product, seen from both sides.
  const held = q<{ locationId: number; productId: number; reserved: number; shipping: number }>(`
    WITH shipping AS (
      SELECT s.location_id, ol.product_id, sum(sl.qty) AS qty
      FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id JOIN order_lines ol ON ol.id = sl.order_line_id
      WHERE s.dropship = 0 AND s.status = 'pending' GROUP BY s.location_id, ol.product_id)
    SELECT i.location_id AS locationId, i.product_id AS productId, i.reserved, coalesce(sh.qty, 0) AS shipping
    FROM inventory i LEFT JOIN shipping sh ON sh.location_id = i.location_id AND sh.product_id = i.product_id
    UNION ALL
    SELECT sh.location_id, sh.product_id, 0, sh.qty FROM shipping sh
    WHERE NOT EXISTS (SELECT 1 FROM inventory i WHERE i.location_id = sh.location_id AND i.product_id = sh.product_id)`);
  expect(held.filter((r) => r.reserved !== r.shipping)).toEqual([]);
  expect(held.reduce((sum, r) => sum + r.reserved, 0)).toBeGreaterThan(0);

  // No line has more units placed (shipments + pending backorders) than ordered; routed orders place every unit, held ones none.
  const lines = q<{ orderId: number; lineId: number; status: string; ordered: number; placed: number; held: number }>(`
    SELECT ol.order_id AS orderId, ol.id AS lineId, o.status, ol.qty_ordered - ol.qty_cancelled AS ordered,
      coalesce((SELECT sum(sl.qty) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id WHERE sl.order_line_id = ol.id AND s.status <> 'cancelled'), 0)
      + coalesce((SELECT sum(b.qty) FROM backorders b WHERE b.order_line_id = ol.id AND b.status = 'pending'), 0) AS placed,
      (SELECT held FROM routing_decisions d WHERE d.order_id = ol.order_id) AS held
    FROM order_lines ol JOIN orders o ON o.id = ol.order_id`);
  expect(lines.filter((l) => l.placed > l.ordered)).toEqual([]);
  expect(lines.filter((l) => (l.held ? l.placed !== 0 || l.status !== "paid" : l.placed !== l.ordered || l.status !== "awaiting_fulfillment"))).toEqual([]);
  const heldOrders = q<{ n: number }>("SELECT count(*) AS n FROM routing_decisions WHERE held = 1")[0]!.n;
  expect(q<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE rule = 'routing_held' AND status = 'open'")[0]!.n).toBe(heldOrders);

  // Serializable: the two racing workers end where one worker routing the same orders alone ends.
  const serial = createWorld();
  try {
    payRaceOrders(serial);
    while (routeBatch(serial.db, { limit: BATCH }).routed.length > 0);
    expect(placements(w.db)).toEqual(placements(serial.db));
    expect(w.db.$client.prepare("SELECT location_id, product_id, on_hand, reserved FROM inventory ORDER BY 1, 2").all()).toEqual(
      serial.db.$client.prepare("SELECT location_id, product_id, on_hand, reserved FROM inventory ORDER BY 1, 2").all(),
    );
  } finally {
    serial.cleanup();
  }
});

/** Per order: the routing outcome and where each unit went (shipments by location, backorders). */
function placements(db: DB) {
  return db.$client
    .prepare(
      `SELECT o.id, o.status, d.outcome,
        (SELECT group_concat(x, ' | ') FROM (SELECT s.location_id || (CASE s.dropship WHEN 1 THEN 'D' ELSE '' END) || ':' || sl.order_line_id || 'x' || sl.qty AS x
           FROM shipments s JOIN shipment_lines sl ON sl.shipment_id = s.id WHERE s.order_id = o.id ORDER BY s.id, sl.id)) AS shipments,
        (SELECT group_concat(b.order_line_id || 'x' || b.qty, ' | ') FROM backorders b WHERE b.order_id = o.id) AS backorders
       FROM orders o JOIN routing_decisions d ON d.order_id = o.id ORDER BY o.id`,
    )
    .all();
}

/** The same scarce stock and the same 400 paid orders in any world. */
function payRaceOrders(world: World) {
  const { db, loc, product: p } = world;
  // Far less stock than demand, spread over every stocking location, some of it held back as safety stock.
  const stock: [number, ProductRow, number, number][] = [
    [loc.RTM, p.KETTLE, 20, 0],
    [loc.LEJ, p.KETTLE, 15, 2],
    [loc.LYS, p.KETTLE, 10, 0],
    [loc.MAN, p.KETTLE, 5, 1],
    [loc.RTM, p.BLENDER, 8, 0],
    [loc.LYS, p.BLENDER, 12, 3],
    [loc.LEJ, p.TOASTER, 25, 0],
    [loc.MAN, p.TOASTER, 10, 1],
    [loc.RTM, p.MUG, 30, 0],
    [loc.LYS, p.MUG, 20, 2],
    [loc.MAN, p.GRINDER, 6, 0],
  ];
  for (const [l, product, onHand, safety] of stock) setStock(db, l, product.id, onHand, safety);
  // Grinders may also come from a supplier; toasters and mugs may not be backordered, so some orders are held.
  addCatalog(db, loc.DS_NORD, p.GRINDER.id, { leadDays: 4 });

  const places = [PLACES.amsterdam, PLACES.berlin, PLACES.paris, PLACES.leeds, PLACES.munich, PLACES.milan, PLACES.hamburg, PLACES.lyon];
  const customers: Customer[] = places.map((place, i) => insertCustomer(db, place, `Race customer ${i + 1}`));
  const skus = [p.KETTLE, p.BLENDER, p.TOASTER, p.MUG, p.GRINDER];
  const random = prng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const orderIds: number[] = [];
  let demand = 0;
  for (let i = 0; i < ORDERS; i++) {
    const products = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(skus)))];
    const lines = products.map((product) => ({ product, qty: 1 + Math.floor(random() * 3) }));
    demand += lines.reduce((sum, l) => sum + l.qty, 0);
    orderIds.push(payOrder(db, { customer: pick(customers), lines, shipComplete: random() < 0.15, at: T0 + i * 1000 }).orderId);
  }
  const supply = stock.reduce((sum, [, , onHand, safety]) => sum + onHand - safety, 0);
  return { orderIds, demand, supply };

}

function q<T = Record<string, unknown>>(sqlText: string): T[] {
  return w.db.$client.prepare(sqlText).all() as T[];
}
