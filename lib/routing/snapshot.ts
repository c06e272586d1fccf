import type { OrderStatus } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";
import type { PlanLocation, PlanOrder, RoutingSnapshot } from "./types.ts";

export type RoutingInput = { order: PlanOrder; status: OrderStatus; number: string; customerId: number; snapshot: RoutingSnapshot };

// Raw cached statements: this runs once per routed order, so query building would dominate.
// One row per line (or one row with NULL line columns for an order without lines).
const ORDER = `SELECT o.status, o.number, o.customer_id AS customerId, o.ship_complete AS shipComplete, a.lat, a.lng,
    l.id AS orderLineId, l.product_id AS productId, l.sku, l.qty_ordered - l.qty_cancelled AS qty, p.allow_backorder AS allowBackorder
  FROM orders o JOIN addresses a ON a.id = o.ship_address_id
  LEFT JOIN order_lines l ON l.order_id = o.id LEFT JOIN products p ON p.id = l.product_id
  WHERE o.id = ? ORDER BY l.id`;
// The same rows for a whole batch in one statement: per-statement overhead dominates single-order reads.
const ORDERS = `SELECT o.id AS orderId, o.status, o.number, o.customer_id AS customerId, o.ship_complete AS shipComplete, a.lat, a.lng,
    l.id AS orderLineId, l.product_id AS productId, l.sku, l.qty_ordered - l.qty_cancelled AS qty, p.allow_backorder AS allowBackorder
  FROM json_each(?) j JOIN orders o ON o.id = j.value JOIN addresses a ON a.id = o.ship_address_id
  LEFT JOIN order_lines l ON l.order_id = o.id LEFT JOIN products p ON p.id = l.product_id ORDER BY o.id, l.id`;

type OrderRow = {
  status: OrderStatus;
  number: string;
  customerId: number;
  shipComplete: number;
  lat: number;
  lng: number;
  orderLineId: number | null;
  productId: number;
  sku: string;
  qty: number;
  allowBackorder: number;
};
const AVAILABLE = `SELECT location_id AS locationId, product_id AS productId, max(0, on_hand - reserved - safety_stock) AS available
  FROM inventory WHERE product_id IN (SELECT value FROM json_each(?))`;
const CATALOG = `SELECT location_id AS locationId, product_id AS productId, lead_days AS leadDays, active
  FROM supplier_catalog WHERE product_id IN (SELECT value FROM json_each(?))`;
const ALL_CATALOG = "SELECT location_id AS locationId, product_id AS productId, lead_days AS leadDays, active FROM supplier_catalog";
const LOCATIONS = "SELECT id, code, name, kind, lat, lng, priority, active, sla_hours AS slaHours FROM locations ORDER BY id";

/**
 * Locations and supplier catalogues read once for a batch of orders routed in one write
 * transaction: nothing else can change them until it commits. Stock is still read per order.
 */
export type RoutingReference = {
  locations: PlanLocation[];
  catalogByProduct: Map<number, RoutingSnapshot["catalog"]>;
  /** Stock read once per product per batch and kept current with the batch's own reservations. */
  stock: Map<number, RoutingSnapshot["available"]>;
  /** Order rows read up front for the batch; consumed on first use, so a re-plan reads afresh. */
  orders: Map<number, OrderRow[]>;
};

export function loadReference(tx: Tx): RoutingReference {
  const catalogByProduct = new Map<number, RoutingSnapshot["catalog"]>();
  for (const c of prepared(tx, ALL_CATALOG).all() as { locationId: number; productId: number; leadDays: number; active: number }[]) {
    const list = catalogByProduct.get(c.productId) ?? [];
    list.push({ ...c, active: c.active === 1 });
    catalogByProduct.set(c.productId, list);
  }
  return { locations: loadLocations(tx), catalogByProduct, stock: new Map(), orders: new Map() };
}

/** Reads the orders of a batch, and the stock of all their SKUs, in two statements. */
export function prefetchOrders(tx: Tx, reference: RoutingReference, orderIds: number[]): void {
  for (const row of prepared(tx, ORDERS).all(JSON.stringify(orderIds)) as (OrderRow & { orderId: number })[]) {
    const list = reference.orders.get(row.orderId) ?? [];
    list.push(row);
    reference.orders.set(row.orderId, list);
  }
  const products = new Set<number>();
  for (const rows of reference.orders.values()) for (const r of rows) if (r.orderLineId !== null && !reference.stock.has(r.productId)) products.add(r.productId);
  if (products.size) loadStock(tx, reference, [...products]);
}

function loadStock(tx: Tx, reference: RoutingReference, productIds: number[]): void {
  for (const p of productIds) reference.stock.set(p, []);
  for (const row of prepared(tx, AVAILABLE).all(JSON.stringify(productIds)) as RoutingSnapshot["available"]) reference.stock.get(row.productId)!.push(row);
}

/** Applies reservations that committed (their savepoint released) to the batch's stock view. */
export function reserveInReference(reference: RoutingReference, reserved: { locationId: number; productId: number; qty: number }[]): void {
  for (const r of reserved) {
    const row = reference.stock.get(r.productId)?.find((x) => x.locationId === r.locationId);
    if (row) row.available = Math.max(0, row.available - r.qty);
  }
}

/** Reads what the planner needs for one order: its open quantities, ship-to, and stock of its SKUs. */
export function loadRoutingInput(tx: Tx, orderId: number, reference?: RoutingReference): RoutingInput | null {
  const early = reference?.orders.get(orderId);
  if (early) reference!.orders.delete(orderId);
  const rows = early ?? (prepared(tx, ORDER).all(orderId) as OrderRow[]);
  const head = rows[0];
  if (!head) return null;
  const lines = rows
    .filter((r) => r.orderLineId !== null)
    .map((r) => ({ orderLineId: r.orderLineId!, productId: r.productId, sku: r.sku, qty: r.qty, allowBackorder: r.allowBackorder === 1 }));
  return {
    status: head.status,
    number: head.number,
    customerId: head.customerId,
    order: { orderId, shipComplete: head.shipComplete === 1, shipTo: { lat: head.lat, lng: head.lng }, lines },
    snapshot: loadSnapshot(tx, [...new Set(lines.map((l) => l.productId))], reference),
  };
}

function loadLocations(tx: Tx): PlanLocation[] {
  return (prepared(tx, LOCATIONS).all() as (Omit<PlanLocation, "active"> & { active: number })[]).map((l) => ({ ...l, active: l.active === 1 }));
}

export function loadSnapshot(tx: Tx, productIds: number[], reference?: RoutingReference): RoutingSnapshot {
  const locations = reference?.locations ?? loadLocations(tx);
  if (productIds.length === 0) return { locations, available: [], catalog: [] };
  if (reference) {
    const missing = productIds.filter((p) => !reference.stock.has(p));
    if (missing.length) loadStock(tx, reference, missing);
    return {
      locations,
      available: productIds.flatMap((p) => reference.stock.get(p)!.map((r) => ({ ...r }))),
      catalog: productIds.flatMap((p) => reference.catalogByProduct.get(p) ?? []),
    };
  }
  const ids = JSON.stringify(productIds);
  const available = prepared(tx, AVAILABLE).all(ids) as RoutingSnapshot["available"];
  const catalog = (prepared(tx, CATALOG).all(ids) as { locationId: number; productId: number; leadDays: number; active: number }[]).map((c) => ({
    ...c,
    active: c.active === 1,
  }));
  return { locations, available, catalog };
}
