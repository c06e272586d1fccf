import { asc, eq } from "drizzle-orm";
import { orderLines, orders, refunds, settings, type ShipmentStatus } from "../../db/schema/index.ts";
import type { DB } from "../../db/client.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { runAs } from "../../lib/auth/session.ts";
import type { Result } from "../../lib/errors.ts";
import { advanceShipmentAction as advanceShipmentActionAtVersion } from "../../app/(ops)/orders/[id]/actions.ts";
import { current } from "./current.ts";
import { transition } from "../../lib/orders/state-machine.ts";
import { routeBatch } from "../../lib/worker/route-jobs.ts";
import { insertUser } from "./fixtures.ts";
import { PAYMENT_PROVIDER, T0, createWorld, insertCustomer, PLACES, setStock, type Customer, type ProductRow, type World } from "./routing-world.ts";

// Called as from a screen opened just now (the order's current version); stale-screen tests pass their own.
const advanceShipmentAction = current(advanceShipmentActionAtVersion);

/**
 * The routing world plus one user per role, for tests that drive the order page's server actions.
 * Call it once per test file, then point DATABASE_PATH at `file` before the first action runs.
 */
export type OrdersWorld = World & {
  users: { agent: SessionUser; lead: SessionUser; finance: SessionUser; manager: SessionUser; admin: SessionUser };
  customer: Customer;
};

export function createOrdersWorld(): OrdersWorld {
  const w = createWorld();
  const users = {
    agent: insertUser(w.db, "agent"),
    lead: insertUser(w.db, "warehouse_lead"),
    finance: insertUser(w.db, "finance"),
    manager: insertUser(w.db, "manager"),
    admin: insertUser(w.db, "admin"),
  };
  return { ...w, users, customer: insertCustomer(w.db, PLACES.amsterdam, "Grace Hopper") };
}

/** Sets on_hand of a product at a location, nothing reserved: stock the world before placing orders. */
export function stock(w: World, locationId: number, product: ProductRow, onHand: number): void {
  setStock(w.db, locationId, product.id, onHand);
}

/** The euro limit alone (the stored shape of older databases: one amount, euro). */
export function setAgentRefundLimit(db: DB, amount: number): void {
  db.insert(settings)
    .values({ key: "agent_refund_limit", value: { amount }, updatedAt: T0 })
    .onConflictDoUpdate({ target: settings.key, set: { value: { amount }, updatedAt: T0 } })
    .run();
}

/** Limits per currency, as the admin screen stores them. */
export function setAgentRefundLimits(db: DB, limits: Record<string, number>): void {
  db.insert(settings)
    .values({ key: "agent_refund_limit", value: { limits }, updatedAt: T0 })
    .onConflictDoUpdate({ target: settings.key, set: { value: { limits }, updatedAt: T0 } })
    .run();
}

export type PlacedOrder = { orderId: number; number: string; lineIds: number[]; subtotal: number; shipping: number; tax: number; total: number };

let seq = 0;
/**
 * A paid order with shipping and tax (taxRate on goods + shipping, rounded), paid in full, confirmed
 * through transition() and routed by the real worker batch: it ends in awaiting_fulfillment with
 * pending shipments and reservations (or backorders) like any routed order.
 */
export function placeRoutedOrder(
  w: OrdersWorld,
  o: { lines: { product: ProductRow; qty: number }[]; shipping?: number; taxRate?: number; customer?: Customer; route?: boolean; shipComplete?: boolean },
): PlacedOrder {
  seq += 1;
  const shipping = o.shipping ?? 500;
  const subtotal = o.lines.reduce((n, l) => n + l.product.price * l.qty, 0);
  const tax = Math.round((subtotal + shipping) * (o.taxRate ?? 0.2));
  const total = subtotal + shipping + tax;
  const customer = o.customer ?? w.customer;
  const at = T0 + seq * 1000;
  const placed = w.db.transaction((tx) => {
    const orderId = tx
      .insert(orders)
      .values({
        number: `SY-A${String(seq).padStart(6, "0")}`,
        customerId: customer.customerId,
        shipAddressId: customer.addressId,
        status: "payment_processing",
        shipComplete: o.shipComplete ?? false,
        currency: "EUR",
        subtotal,
        shipping,
        tax,
        total,
        paid: total,
        placedAt: at,
        statusChangedAt: at,
        updatedAt: at,
      })
      .returning({ id: orders.id, number: orders.number })
      .get();
    const lineIds = o.lines.map(
      (l) =>
        tx
          .insert(orderLines)
          .values({ orderId: orderId.id, productId: l.product.id, sku: l.product.sku, name: l.product.name, qtyOrdered: l.qty, unitPrice: l.product.price })
          .returning({ id: orderLines.id })
          .get().id,
    );
    transition(tx, { orderId: orderId.id, from: "payment_processing", to: "paid", actor: PAYMENT_PROVIDER, reason: "payment captured", at });
    return { orderId: orderId.id, number: orderId.number, lineIds, subtotal, shipping, tax, total };
  });
  if (o.route !== false) {
    const batch = routeBatch(w.db, { now: at + 500 });
    if (batch.failed.length) throw new Error(`routing failed: ${JSON.stringify(batch.failed)}`);
  }
  return placed;
}


export function linesOf(db: DB, orderId: number) {
  return db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.id)).all();
}

export function refundsOf(db: DB, orderId: number) {
  return db.select().from(refunds).where(eq(refunds.orderId, orderId)).orderBy(asc(refunds.id)).all();
}

export function orderOf(db: DB, orderId: number) {
  return db.select().from(orders).where(eq(orders.id, orderId)).get()!;
}

const DUMPED = ["orders", "order_lines", "shipments", "shipment_lines", "inventory", "backorders", "refunds", "refund_items", "notes", "settings"] as const;

/**
 * Everything a refused action could have touched: the row count of every table in the database, and
 * the full rows of the order, fulfilment, stock and money tables. Equal before and after = nothing written.
 */
export function databaseSnapshot(db: DB) {
  const tables = (db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  const counts = Object.fromEntries(tables.map((t) => [t, (db.$client.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
  const rows = Object.fromEntries(DUMPED.map((t) => [t, db.$client.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
  return { counts, rows };
}

/** The action's data, or a test failure that says which refusal came back. */
export function expectOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}${result.fieldErrors ? ` ${JSON.stringify(result.fieldErrors)}` : ""}`);
  return result.data;
}

/**
 * Walks a shipment forward as a warehouse lead, through the real action, up to `to`
 * (shipped with a carrier and tracking number).
 */
export async function advanceTo(lead: SessionUser, orderId: number, shipmentId: number, to: "picking" | "packed" | "shipped" | "delivered", from: ShipmentStatus = "pending") {
  const steps = ["picking", "packed", "shipped", "delivered"] as const;
  const start = from === "pending" ? 0 : steps.indexOf(from as (typeof steps)[number]) + 1;
  for (const step of steps.slice(start, steps.indexOf(to) + 1)) {
    const extra = step === "shipped" ? { carrier: "DHL", trackingNumber: `JD-${shipmentId}-${orderId}` } : {};
    expectOk(await runAs(lead, () => advanceShipmentAction({ orderId, shipmentId, to: step, ...extra })));
  }
}
