import { and, asc, eq, sql } from "drizzle-orm";
import {
  addresses,
  alerts,
  auditEvents,
  backorders,
  customers,
  inventory,
  jobs,
  locations,
  notifications,
  orderLines,
  orders,
  outbox,
  products,
  routingDecisions,
  shipmentLines,
  shipments,
  supplierCatalog,
  type LocationKind,
} from "../../db/schema/index.ts";
import type { DB, Tx } from "../../db/client.ts";
import { transition } from "../../lib/orders/state-machine.ts";
import type { RoutingPlan } from "../../lib/routing/types.ts";
import { tempDatabase } from "./db.ts";

/** A fixed clock for everything a routing test writes. */
export const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Real coordinates, so "nearest" means what a warehouse lead would expect. */
export const PLACES = {
  rotterdam: { city: "Rotterdam", country: "NL", lat: 51.92, lng: 4.48 },
  leipzig: { city: "Leipzig", country: "DE", lat: 51.34, lng: 12.37 },
  lyon: { city: "Lyon", country: "FR", lat: 45.76, lng: 4.84 },
  manchester: { city: "Manchester", country: "GB", lat: 53.48, lng: -2.24 },
  hamburg: { city: "Hamburg", country: "DE", lat: 53.55, lng: 9.99 },
  milan: { city: "Milan", country: "IT", lat: 45.46, lng: 9.19 },
  amsterdam: { city: "Amsterdam", country: "NL", lat: 52.37, lng: 4.9 },
  berlin: { city: "Berlin", country: "DE", lat: 52.52, lng: 13.405 },
  paris: { city: "Paris", country: "FR", lat: 48.86, lng: 2.35 },
  leeds: { city: "Leeds", country: "GB", lat: 53.8, lng: -1.55 },
  munich: { city: "Munich", country: "DE", lat: 48.14, lng: 11.58 },
} as const;
export type Place = (typeof PLACES)[keyof typeof PLACES];

type LocationSpec = { code: string; name: string; kind: LocationKind; place: Place; priority: number; slaHours?: number; active?: boolean };

function insertLocation(db: DB, l: LocationSpec): number {
  return db
    .insert(locations)
    .values({
      code: l.code,
      name: l.name,
      kind: l.kind,
      city: l.place.city,
      country: l.place.country,
      lat: l.place.lat,
      lng: l.place.lng,
      priority: l.priority,
      slaHours: l.slaHours ?? 48,
      active: l.active ?? true,
    })
    .returning({ id: locations.id })
    .get().id;
}

export type ProductRow = { id: number; sku: string; name: string; price: number; allowBackorder: boolean };

export function insertProduct(db: DB, p: { sku: string; name: string; price?: number; allowBackorder?: boolean }): ProductRow {
  const row = { sku: p.sku, name: p.name, price: p.price ?? 2500, allowBackorder: p.allowBackorder ?? false };
  const id = db.insert(products).values(row).returning({ id: products.id }).get().id;
  return { id, ...row };
}

/** One inventory row: on_hand and safety stock as given, nothing reserved. */
export function setStock(db: DB, locationId: number, productId: number, onHand: number, safetyStock = 0): void {
  db.insert(inventory)
    .values({ locationId, productId, onHand, reserved: 0, safetyStock, updatedAt: T0 })
    .onConflictDoUpdate({ target: [inventory.locationId, inventory.productId], set: { onHand, reserved: 0, safetyStock, updatedAt: T0 } })
    .run();
}

export function addCatalog(db: DB, supplierId: number, productId: number, o: { leadDays: number; cost?: number; active?: boolean }): void {
  db.insert(supplierCatalog)
    .values({ locationId: supplierId, productId, leadDays: o.leadDays, cost: o.cost ?? 1500, active: o.active ?? true })
    .run();
}

export type Customer = { customerId: number; addressId: number };

let customerSeq = 0;
/** A customer with one ship-to address at a real place. */
export function insertCustomer(db: DB, place: Place, name = "Ada Lovelace"): Customer {
  customerSeq += 1;
  const customerId = db
    .insert(customers)
    .values({ name, email: `customer${customerSeq}@example.test`, phone: null, createdAt: T0 })
    .returning({ id: customers.id })
    .get().id;
  const addressId = db
    .insert(addresses)
    .values({ customerId, name, line1: `${customerSeq} Main Street`, city: place.city, postcode: "1000", country: place.country, lat: place.lat, lng: place.lng })
    .returning({ id: addresses.id })
    .get().id;
  return { customerId, addressId };
}

export type PaidOrder = { orderId: number; number: string; lineIds: number[] };
export type OrderSpec = { customer: Customer; lines: { product: ProductRow; qty: number }[]; shipComplete?: boolean; at?: number };

let orderSeq = 0;
/** Inserts an order in payment_processing with its lines (no job: nothing is paid yet). */
export function insertPendingPayment(db: DB | Tx, o: OrderSpec): PaidOrder {
  const at = o.at ?? T0;
  orderSeq += 1;
  const number = `SY-R${String(orderSeq).padStart(6, "0")}`;
  const subtotal = o.lines.reduce((sum, l) => sum + l.product.price * l.qty, 0);
  const orderId = db
    .insert(orders)
    .values({
      number,
      customerId: o.customer.customerId,
      shipAddressId: o.customer.addressId,
      status: "payment_processing",
      shipComplete: o.shipComplete ?? false,
      currency: "EUR",
      subtotal,
      total: subtotal,
      paid: subtotal,
      placedAt: at,
      statusChangedAt: at,
      updatedAt: at,
    })
    .returning({ id: orders.id })
    .get().id;
  const lineIds = o.lines.map(
    (l) =>
      db
        .insert(orderLines)
        .values({ orderId, productId: l.product.id, sku: l.product.sku, name: l.product.name, qtyOrdered: l.qty, unitPrice: l.product.price })
        .returning({ id: orderLines.id })
        .get().id,
  );
  return { orderId, number, lineIds };
}

export const PAYMENT_PROVIDER = { id: null, label: "payment provider" } as const;

/**
 * Inserts an order in payment_processing with its lines and confirms payment through transition(),
 * all in one transaction: that transition is what queues the order's route_order job.
 */
export function payOrder(db: DB, o: OrderSpec): PaidOrder {
  const at = o.at ?? T0;
  return db.transaction((tx) => {
    const order = insertPendingPayment(tx, o);
    transition(tx, { orderId: order.orderId, from: "payment_processing", to: "paid", actor: PAYMENT_PROVIDER, reason: "payment captured", at });
    return order;
  });
}

/** The standard network: three warehouses and a 3PL with stock, two dropship suppliers with catalogues. */
export type World = {
  db: DB;
  file: string;
  cleanup: () => void;
  loc: { RTM: number; LEJ: number; LYS: number; MAN: number; DS_NORD: number; DS_SUD: number };
  /** No stock and no catalogue rows yet: each test stocks what it needs. */
  product: { KETTLE: ProductRow; TOASTER: ProductRow; BLENDER: ProductRow; GRINDER: ProductRow; MUG: ProductRow };
};

export function createWorld(): World {
  const { db, file, cleanup } = tempDatabase();
  const loc = {
    RTM: insertLocation(db, { code: "RTM", name: "Rotterdam DC", kind: "warehouse", place: PLACES.rotterdam, priority: 1, slaHours: 24 }),
    LEJ: insertLocation(db, { code: "LEJ", name: "Leipzig DC", kind: "warehouse", place: PLACES.leipzig, priority: 2, slaHours: 24 }),
    LYS: insertLocation(db, { code: "LYS", name: "Lyon DC", kind: "warehouse", place: PLACES.lyon, priority: 3, slaHours: 48 }),
    MAN: insertLocation(db, { code: "MAN-3PL", name: "Manchester 3PL", kind: "3pl", place: PLACES.manchester, priority: 5, slaHours: 72 }),
    DS_NORD: insertLocation(db, { code: "DS-NORD", name: "Nordic Kitchen Supply", kind: "dropship", place: PLACES.hamburg, priority: 10, slaHours: 0 }),
    DS_SUD: insertLocation(db, { code: "DS-SUD", name: "Casa Milano Wholesale", kind: "dropship", place: PLACES.milan, priority: 11, slaHours: 0 }),
  };
  const product = {
    KETTLE: insertProduct(db, { sku: "KTL-100", name: "Stovetop kettle", price: 3900, allowBackorder: true }),
    TOASTER: insertProduct(db, { sku: "TST-200", name: "Two-slot toaster", price: 4900, allowBackorder: false }),
    BLENDER: insertProduct(db, { sku: "BLN-300", name: "Countertop blender", price: 8900, allowBackorder: true }),
    GRINDER: insertProduct(db, { sku: "GRD-500", name: "Burr grinder", price: 12900, allowBackorder: false }),
    MUG: insertProduct(db, { sku: "MUG-400", name: "Stoneware mug", price: 1200, allowBackorder: false }),
  };
  return { db, file, cleanup, loc, product };
}

// ---- Reading the state after -------------------------------------------------------------

export function stockRow(db: DB, locationId: number, productId: number) {
  return db
    .select()
    .from(inventory)
    .where(and(eq(inventory.locationId, locationId), eq(inventory.productId, productId)))
    .get();
}

export function allStock(db: DB) {
  return db.select().from(inventory).orderBy(asc(inventory.locationId), asc(inventory.productId)).all();
}

/** Shipments of an order with their lines, oldest first. */
export function shipmentsOf(db: DB, orderId: number) {
  return db
    .select()
    .from(shipments)
    .where(eq(shipments.orderId, orderId))
    .orderBy(asc(shipments.id))
    .all()
    .map((s) => ({ ...s, lines: db.select().from(shipmentLines).where(eq(shipmentLines.shipmentId, s.id)).orderBy(asc(shipmentLines.orderLineId)).all() }));
}

export function decisionsOf(db: DB, orderId: number) {
  return db
    .select()
    .from(routingDecisions)
    .where(eq(routingDecisions.orderId, orderId))
    .all()
    .map((d) => ({ ...d, plan: d.plan as RoutingPlan }));
}

export function jobsOf(db: DB, orderId: number) {
  return db.select().from(jobs).where(sql`json_extract(${jobs.payload}, '$.orderId') = ${orderId}`).orderBy(asc(jobs.id)).all();
}

export function auditOf(db: DB, orderId: number) {
  return db.select().from(auditEvents).where(eq(auditEvents.orderId, orderId)).orderBy(asc(auditEvents.id)).all();
}

export function outboxOf(db: DB, orderId: number) {
  return db.select().from(outbox).where(and(eq(outbox.aggregateType, "order"), eq(outbox.aggregateId, orderId))).orderBy(asc(outbox.id)).all();
}

export function backordersOf(db: DB, orderId: number) {
  return db.select().from(backorders).where(eq(backorders.orderId, orderId)).orderBy(asc(backorders.id)).all();
}

export function notificationsOf(db: DB, orderId: number) {
  return db.select().from(notifications).where(eq(notifications.orderId, orderId)).orderBy(asc(notifications.id)).all();
}

export function alertsOf(db: DB, orderId: number) {
  return db.select().from(alerts).where(eq(alerts.orderId, orderId)).all();
}

export function statusOf(db: DB, orderId: number) {
  return db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)).get()?.status;
}

/** Row counts of every table routing or restock may write, to prove a refusal wrote nothing. */
export function writeCounts(db: DB): Record<string, number> {
  const tables = ["shipments", "shipment_lines", "backorders", "routing_decisions", "notifications", "audit_events", "outbox", "alerts", "jobs", "inventory"];
  return Object.fromEntries(tables.map((t) => [t, (db.$client.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
}
