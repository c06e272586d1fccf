// The orders API's reads: one order as the API shows it, and keyset pages. Work on a transaction too, so a
// change's response is read inside the change's own transaction.
import type { DB, Tx } from "../client.ts";
import { prepared } from "../raw.ts";
import type { OrderStatus, RefundStatus, ShipmentStatus } from "../schema/index.ts";

export type ApiOrderRow = {
  id: number;
  number: string;
  status: OrderStatus;
  currency: string;
  externalRef: string | null;
  subtotal: number;
  shipping: number;
  tax: number;
  total: number;
  paid: number;
  refunded: number;
  placedAt: number;
  updatedAt: number;
  version: number;
  customerName: string;
  email: string;
  phone: string | null;
  shipName: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postcode: string;
  country: string;
};

export function apiOrderByNumber(db: DB | Tx, number: string): ApiOrderRow | undefined {
  return prepared(
    db,
    `SELECT o.id, o.number, o.status, o.currency, o.external_ref AS externalRef, o.subtotal, o.shipping, o.tax, o.total, o.paid, o.refunded,
       o.placed_at AS placedAt, o.updated_at AS updatedAt, o.version, c.name AS customerName, c.email, c.phone,
       a.name AS shipName, a.line1, a.line2, a.city, a.region, a.postcode, a.country
     FROM orders o JOIN customers c ON c.id = o.customer_id JOIN addresses a ON a.id = o.ship_address_id WHERE o.number = ?`,
  ).get(number) as ApiOrderRow | undefined;
}

export function apiOrderLines(db: DB | Tx, orderId: number) {
  return prepared(db, "SELECT id, sku, name, qty_ordered AS qty, qty_cancelled AS cancelled, unit_price AS unitPrice FROM order_lines WHERE order_id = ? ORDER BY id").all(orderId) as {
    id: number;
    sku: string;
    name: string;
    qty: number;
    cancelled: number;
    unitPrice: number;
  }[];
}

export function apiShipments(db: DB | Tx, orderId: number) {
  return prepared(
    db,
    `SELECT s.id, s.status, l.code AS location, s.carrier, s.tracking_number AS trackingNumber, s.shipped_at AS shippedAt, s.delivered_at AS deliveredAt
     FROM shipments s JOIN locations l ON l.id = s.location_id WHERE s.order_id = ? ORDER BY s.id`,
  ).all(orderId) as { id: number; status: ShipmentStatus; location: string; carrier: string | null; trackingNumber: string | null; shippedAt: number | null; deliveredAt: number | null }[];
}

export function apiShipmentLines(db: DB | Tx, orderId: number) {
  return prepared(
    db,
    `SELECT sl.shipment_id AS shipmentId, ol.sku, sl.qty FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id JOIN order_lines ol ON ol.id = sl.order_line_id
     WHERE s.order_id = ? ORDER BY sl.id`,
  ).all(orderId) as { shipmentId: number; sku: string; qty: number }[];
}

export function apiRefunds(db: DB | Tx, orderId: number) {
  return prepared(db, "SELECT id, amount, currency, status, reason, created_at AS createdAt, completed_at AS completedAt FROM refunds WHERE order_id = ? ORDER BY id DESC").all(orderId) as {
    id: number;
    amount: number;
    currency: string;
    status: RefundStatus;
    reason: string;
    createdAt: number;
    completedAt: number | null;
  }[];
}

export function apiLastEvents(db: DB | Tx, orderId: number, limit: number) {
  return prepared(
    db,
    "SELECT created_at AS at, action, from_status AS fromStatus, to_status AS toStatus, actor_label AS actor, reason FROM audit_events WHERE order_id = ? ORDER BY id DESC LIMIT ?",
  ).all(orderId, limit) as { at: number; action: string; fromStatus: string | null; toStatus: string | null; actor: string; reason: string | null }[];
}

export type ApiOrderSummaryRow = Pick<ApiOrderRow, "id" | "number" | "status" | "currency" | "externalRef" | "total" | "paid" | "refunded" | "placedAt" | "updatedAt">;
export type OrderKeyset = { placedAt: number; id: number };

/** Newest placed first, after the keyset position when given; limit + 1 rows, so the caller knows if more follow. */
export function apiOrderPage(db: DB | Tx, q: { status?: OrderStatus; updatedAfter?: number; after?: OrderKeyset; limit: number }): ApiOrderSummaryRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.status) {
    where.push("status = ?");
    params.push(q.status);
  }
  if (q.updatedAfter !== undefined) {
    where.push("updated_at > ?");
    params.push(q.updatedAfter);
  }
  if (q.after) {
    where.push("(placed_at < ? OR (placed_at = ? AND id < ?))");
    params.push(q.after.placedAt, q.after.placedAt, q.after.id);
  }
  return prepared(
    db,
    `SELECT id, number, status, currency, external_ref AS externalRef, total, paid, refunded, placed_at AS placedAt, updated_at AS updatedAt
     FROM orders ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY placed_at DESC, id DESC LIMIT ?`,
  ).all(...params, q.limit + 1) as ApiOrderSummaryRow[];
}

export function orderNumberById(db: DB | Tx, id: number): string | undefined {
  return (prepared(db, "SELECT number FROM orders WHERE id = ?").get(id) as { number: string } | undefined)?.number;
}
