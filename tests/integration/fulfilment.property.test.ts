import { describe, expect, test } from "vitest";
import fc from "fast-check";
import type { DB, Tx } from "../../db/client.ts";
import type { Actor } from "../../lib/audit.ts";
import { DomainError } from "../../lib/errors.ts";
import { receiveStock } from "../../lib/inventory/receive.ts";
import { backorderUnits } from "../../lib/orders/backorder.ts";
import { cancelOrder, cancelUnits } from "../../lib/orders/cancel.ts";
import { SHIPMENT_NEXT } from "../../lib/orders/shipment-flow.ts";
import { advanceShipment, moveUnits } from "../../lib/orders/shipments.ts";
import { DAY, addCatalog, insertProduct, setStock, type ProductRow } from "../support/routing-world.ts";
import { createOrdersWorld, placeRoutedOrder, type OrdersWorld, type PlacedOrder } from "../support/orders-world.ts";

/**
 * Random moves, backorders, receipts, cancellations and shipment steps on ship-complete and ordinary
 * orders; after every step the fulfilment rules still hold (issue 13). Fixed seed: the same runs every time.
 */
const SEED = 20_261_130;
const RUNS = 60;


type Step =
  | { kind: "move"; order: number; pick: number; qty: number; to: number }
  | { kind: "backorder"; order: number; pick: number; qty: number }
  | { kind: "receive"; loc: number; product: number; qty: number }
  | { kind: "cancel"; order: number }
  | { kind: "cancelUnits"; order: number; pick: number; qty: number }
  | { kind: "advance"; order: number; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("move" as const), order: fc.nat(), pick: fc.nat(), qty: fc.integer({ min: 1, max: 3 }), to: fc.nat() }),
  fc.record({ kind: fc.constant("backorder" as const), order: fc.nat(), pick: fc.nat(), qty: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("receive" as const), loc: fc.nat(), product: fc.nat(), qty: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant("cancel" as const), order: fc.nat() }),
  fc.record({ kind: fc.constant("cancelUnits" as const), order: fc.nat(), pick: fc.nat(), qty: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ kind: fc.constant("advance" as const), order: fc.nat(), pick: fc.nat() }),
  fc.record({ kind: fc.constant("advance" as const), order: fc.nat(), pick: fc.nat() }),
);

const world = fc.record({
  stock: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 12, maxLength: 12 }),
  orders: fc.array(
    fc.record({ shipComplete: fc.boolean(), lines: fc.uniqueArray(fc.record({ product: fc.nat({ max: 3 }), qty: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3, selector: (l) => l.product }) }),
    { minLength: 3, maxLength: 6 },
  ),
  steps: fc.array(step, { minLength: 5, maxLength: 25 }),
});

describe("fulfilment rules under random use", () => {
  test("after every move, backorder, receipt, cancellation and shipment step: ship-complete orders stay whole, no backorder waits beside free stock, reservations match open shipments, every change is audited", () => {
    fc.assert(
      fc.property(world, (spec) => {
        const w = createOrdersWorld();
        try {
          run(w, spec);
        } finally {
          w.cleanup();
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);
});

type Spec = { stock: number[]; orders: { shipComplete: boolean; lines: { product: number; qty: number }[] }[]; steps: Step[] };

function run(w: OrdersWorld, spec: Spec) {
  const products: ProductRow[] = [
    insertProduct(w.db, { sku: "P-A", name: "A", allowBackorder: true }),
    insertProduct(w.db, { sku: "P-B", name: "B", allowBackorder: true }),
    insertProduct(w.db, { sku: "P-C", name: "C", allowBackorder: false }),
    insertProduct(w.db, { sku: "P-D", name: "D", allowBackorder: true }),
  ];
  addCatalog(w.db, w.loc.DS_NORD, products[3]!.id, { leadDays: 4 });
  const stocking = [w.loc.RTM, w.loc.LEJ, w.loc.LYS];
  spec.stock.forEach((qty, i) => setStock(w.db, stocking[i % 3]!, products[Math.floor(i / 3)]!.id, qty));
  const orders: PlacedOrder[] = spec.orders.map((o) => placeRoutedOrder(w, { lines: o.lines.map((l) => ({ product: products[l.product]!, qty: l.qty })), shipComplete: o.shipComplete }));
  check(w.db);
  const lead: Actor = { id: w.users.lead.id, label: "lead" };
  const agent: Actor = { id: w.users.agent.id, label: "agent" };
  let clock = Date.now() + DAY;
  let receipt = 0;
  for (const s of spec.steps) {
    const at = (clock += 1000);
    const order = orders[("order" in s ? s.order : 0) % orders.length]!;
    const work = plan(w, s, order, { lead, agent, at, locations: [...stocking, w.loc.MAN], products, receipt: () => `R-${++receipt}` });
    if (!work) continue;
    const before = snapshot(w.db);
    try {
      w.db.transaction((tx) => void work(tx), { behavior: "immediate" });
    } catch (error) {
      if (!(error instanceof DomainError)) throw new Error(`${JSON.stringify(s)} failed: ${(error as Error).stack}`);
      expect(snapshot(w.db), `${JSON.stringify(s)} was refused (${error.message}) but wrote something`).toEqual(before);
      continue;
    }
    audited(w.db, before, snapshot(w.db), at, s);
    check(w.db, s);
  }
}

type Ctx = { lead: Actor; agent: Actor; at: number; locations: number[]; products: ProductRow[]; receipt: () => string };

/** What a step does against the order as it is now (choices taken modulo what exists), or null when there is nothing to do. */
function plan(w: OrdersWorld, s: Step, order: PlacedOrder, c: Ctx): ((tx: Tx) => unknown) | null {
  const sql = w.db.$client;
  const pending = sql.prepare("SELECT sl.shipment_id AS shipmentId, sl.order_line_id AS lineId, sl.qty FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id WHERE s.order_id = ? AND s.status = 'pending' AND sl.qty > 0 ORDER BY sl.id").all(order.orderId) as { shipmentId: number; lineId: number; qty: number }[];
  switch (s.kind) {
    case "move": {
      const p = pending[s.pick % Math.max(1, pending.length)];
      if (!p) return null;
      const qty = Math.min(s.qty, p.qty);
      // Mostly where the units are free (a move a lead would try), sometimes anywhere (refused).
      const able = sql
        .prepare("SELECT i.location_id AS id FROM inventory i JOIN order_lines l ON l.product_id = i.product_id JOIN shipments s ON s.id = ? WHERE l.id = ? AND i.location_id <> s.location_id AND i.on_hand - i.reserved - i.safety_stock >= ? ORDER BY i.location_id")
        .all(p.shipmentId, p.lineId, qty) as { id: number }[];
      const targets = able.length && s.to % 4 !== 0 ? able.map((l) => l.id) : c.locations;
      return (tx) => moveUnits(tx, { orderId: order.orderId, shipmentId: p.shipmentId, orderLineId: p.lineId, qty, toLocationId: targets[s.to % targets.length]!, reason: "Rebalancing stock", actor: c.lead, at: c.at });
    }
    case "backorder": {
      const p = pending[s.pick % Math.max(1, pending.length)];
      if (!p) return null;
      return (tx) => backorderUnits(tx, { orderId: order.orderId, shipmentId: p.shipmentId, orderLineId: p.lineId, qty: Math.min(s.qty, p.qty), reason: "Damaged in the aisle", actor: c.lead, at: c.at });
    }
    case "receive": {
      const product = c.products[s.product % c.products.length]!;
      return (tx) => receiveStock(tx, { locationId: c.locations[s.loc % c.locations.length]!, sku: product.sku, qty: s.qty, reference: c.receipt(), actor: c.lead, at: c.at });
    }
    case "cancel":
      return (tx) => cancelOrder(tx, { orderId: order.orderId, reason: "Customer cancelled", actor: c.agent, at: c.at });
    case "cancelUnits": {
      const lineId = order.lineIds[s.pick % order.lineIds.length]!;
      return (tx) => cancelUnits(tx, { orderId: order.orderId, lines: [{ orderLineId: lineId, qty: s.qty }], reason: "Customer changed the order", actor: c.agent, at: c.at });
    }
    case "advance": {
      const live = sql.prepare("SELECT id, status FROM shipments WHERE order_id = ? AND status IN ('pending', 'picking', 'packed', 'shipped') ORDER BY id").all(order.orderId) as { id: number; status: keyof typeof SHIPMENT_NEXT }[];
      const target = live[s.pick % Math.max(1, live.length)];
      if (!target) return null;
      const to = SHIPMENT_NEXT[target.status]!;
      return (tx) => advanceShipment(tx, { orderId: order.orderId, shipmentId: target.id, to, carrier: "DHL", trackingNumber: `PT-${target.id}-${c.at}`, actor: c.lead, at: c.at });
    }
  }
}

const TABLES = ["orders", "shipments", "shipment_lines", "backorders", "inventory", "stock_receipts", "audit_events"] as const;

function snapshot(db: DB) {
  return Object.fromEntries(TABLES.map((t) => [t, db.$client.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all() as Record<string, unknown>[]])) as Record<(typeof TABLES)[number], Record<string, unknown>[]>;
}

/** Every order, shipment and backorder the step created or changed has an audit row of this step naming it. */
function audited(db: DB, before: ReturnType<typeof snapshot>, after: ReturnType<typeof snapshot>, at: number, s: Step) {
  const audit = (db.$client.prepare("SELECT entity_type AS type, entity_id AS id, order_id AS orderId FROM audit_events WHERE created_at = ?").all(at) as { type: string; id: number; orderId: number | null }[]);
  const changed = (table: "orders" | "shipments" | "backorders") => {
    const old = new Map(before[table].map((r) => [r.id, JSON.stringify(r)]));
    return after[table].filter((r) => old.get(r.id) !== JSON.stringify(r)).map((r) => r.id as number);
  };
  for (const id of changed("orders")) expect(audit.some((a) => a.orderId === id), `${JSON.stringify(s)}: order ${id} changed unaudited`).toBe(true);
  for (const id of changed("shipments")) expect(audit.some((a) => a.type === "shipment" && a.id === id), `${JSON.stringify(s)}: shipment ${id} changed unaudited`).toBe(true);
  for (const id of changed("backorders")) expect(audit.some((a) => a.type === "backorder" && a.id === id), `${JSON.stringify(s)}: backorder ${id} changed unaudited`).toBe(true);
  const lines = new Map(before.shipment_lines.map((r) => [r.id, JSON.stringify(r)]));
  for (const l of after.shipment_lines.filter((r) => lines.get(r.id) !== JSON.stringify(r))) {
    expect(audit.some((a) => a.type === "shipment" && a.id === l.shipment_id), `${JSON.stringify(s)}: line of shipment ${String(l.shipment_id)} changed unaudited`).toBe(true);
  }
  if (JSON.stringify(before.inventory) !== JSON.stringify(after.inventory)) expect(audit.length, `${JSON.stringify(s)}: stock changed unaudited`).toBeGreaterThan(0);
}

function check(db: DB, s?: Step) {
  const q = <T>(text: string) => db.$client.prepare(text).all() as T[];
  const where = s ? ` after ${JSON.stringify(s)}` : " after routing";
  // A ship-complete order has at most one live shipment, never one beside a waiting backorder, and ships nothing while units wait.
  const split = q<{ id: number; live: number; waiting: number; shipped: number }>(`
    SELECT o.id,
      (SELECT count(*) FROM shipments s WHERE s.order_id = o.id AND s.status IN ('pending', 'picking', 'packed')) AS live,
      (SELECT count(*) FROM backorders b WHERE b.order_id = o.id AND b.status = 'pending') AS waiting,
      (SELECT count(*) FROM shipments s WHERE s.order_id = o.id AND s.status IN ('shipped', 'delivered')) AS shipped
    FROM orders o WHERE o.ship_complete = 1`).filter((o) => o.live > 1 || (o.live > 0 && o.waiting > 0) || (o.shipped > 0 && o.live + o.waiting > 0));
  expect(split, `ship-complete order split${where}`).toEqual([]);
  // Reservations are exactly the open stock shipments' units, per location and SKU.
  const reservations = q<{ locationId: number; productId: number; reserved: number; open: number; onHand: number }>(`
    SELECT i.location_id AS locationId, i.product_id AS productId, i.reserved, i.on_hand AS onHand, coalesce((
      SELECT sum(sl.qty) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id JOIN order_lines l ON l.id = sl.order_line_id
      WHERE s.location_id = i.location_id AND l.product_id = i.product_id AND s.dropship = 0 AND s.status IN ('pending', 'picking', 'packed')), 0) AS open
    FROM inventory i`).filter((r) => r.reserved !== r.open || r.onHand < r.reserved);
  expect(reservations, `reservations out of step${where}`).toEqual([]);
  // No fillable backorder waits while a stock location has free units of it (a ship-complete order: all of it at one location).
  const free = q<{ locationId: number; productId: number; available: number }>(`
    SELECT i.location_id AS locationId, i.product_id AS productId, i.on_hand - i.reserved - i.safety_stock AS available
    FROM inventory i JOIN locations l ON l.id = i.location_id WHERE l.active = 1 AND l.kind <> 'dropship' AND i.on_hand - i.reserved - i.safety_stock > 0`);
  const waiting = q<{ id: number; orderId: number; productId: number; qty: number; shipComplete: number }>(`
    SELECT b.id, b.order_id AS orderId, b.product_id AS productId, b.qty, o.ship_complete AS shipComplete FROM backorders b JOIN orders o ON o.id = b.order_id
    WHERE b.status = 'pending' AND b.customer_choice <> 'cancel' AND o.status IN ('awaiting_fulfillment', 'partially_fulfilled') ORDER BY b.created_at, b.id`);
  const stranded = waiting.filter((b) => {
    if (!b.shipComplete) return free.some((f) => f.productId === b.productId);
    const need = new Map<number, number>();
    for (const x of waiting.filter((y) => y.orderId === b.orderId)) need.set(x.productId, (need.get(x.productId) ?? 0) + x.qty);
    const locations = [...new Set(free.map((f) => f.locationId))];
    return locations.some((loc) => [...need].every(([p, qty]) => (free.find((f) => f.locationId === loc && f.productId === p)?.available ?? 0) >= qty));
  });
  expect(stranded, `backorder waits beside free stock${where}: ${JSON.stringify(free)}`).toEqual([]);
}
