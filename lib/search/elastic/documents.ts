import type { DB } from "../../../db/client.ts";
import { connectionOf, prepared } from "../../../db/raw.ts";
import type { OrderStatus } from "../../../db/schema/index.ts";
import { indexTokens } from "../normalize.ts";

/** What Elasticsearch stores per order: only what search matches on; results are hydrated from SQLite. */
type OrderDocument = {
  orderId: number;
  number: string;
  status: OrderStatus;
  names: string[];
  /** Name and city words as the embedded index splits them (lib/search/normalize.ts), so both backends agree. */
  words: string[];
  email: string;
  phone: string | null;
  city: string;
  postcode: string;
  country: string;
  skus: string[];
  products: string[];
  lines: { sku: string; tokens: string[] }[];
  tracking: string[];
  placedAt: number;
};

/**
 * A consistent read of some orders. `version` is the highest outbox id when it was read: every change
 * writes its outbox row in its own transaction and ids grow in commit order, so a read with a higher
 * version is never older. Indexed with version_type external_gte, a slow stale write cannot win.
 */
export type OrderSnapshot = { version: number; docs: OrderDocument[]; missing: number[] };

type OrderRow = {
  id: number;
  number: string;
  status: OrderStatus;
  placed_at: number;
  name: string;
  email: string;
  phone: string | null;
  ship_name: string;
  city: string;
  postcode: string;
  country: string;
};

const ORDERS_SELECT = `SELECT o.id, o.number, o.status, o.placed_at, c.name, c.email, c.phone, a.name AS ship_name, a.city, a.postcode, a.country
  FROM orders o JOIN customers c ON c.id = o.customer_id JOIN addresses a ON a.id = o.ship_address_id`;

/** Reads the given orders as documents; ids with no order come back in `missing` (to delete). */
export function readOrders(db: DB, orderIds: readonly number[]): OrderSnapshot {
  const ids = JSON.stringify([...new Set(orderIds)]);
  return readConsistently(db, () => {
    const rows = prepared(db, `${ORDERS_SELECT} WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id`).all(ids) as OrderRow[];
    const found = new Set(rows.map((r) => r.id));
    const lines = prepared(db, "SELECT order_id, sku, name FROM order_lines WHERE order_id IN (SELECT value FROM json_each(?)) ORDER BY id").all(ids) as LineRow[];
    const tracking = prepared(
      db,
      "SELECT order_id, tracking_number FROM shipments WHERE order_id IN (SELECT value FROM json_each(?)) AND tracking_number IS NOT NULL ORDER BY id",
    ).all(ids) as TrackingRow[];
    return { docs: assemble(rows, lines, tracking), missing: [...new Set(orderIds)].filter((id) => !found.has(id)) };
  });
}

/** Orders after `afterId` in id order, `limit` at a time, for a full reindex. */
export function readOrderPage(db: DB, afterId: number, limit: number): OrderSnapshot {
  return readConsistently(db, () => {
    const rows = prepared(db, `${ORDERS_SELECT} WHERE o.id > ? ORDER BY o.id LIMIT ?`).all(afterId, limit) as OrderRow[];
    if (rows.length === 0) return { docs: [], missing: [] };
    const [first, last] = [rows[0]!.id, rows.at(-1)!.id];
    const lines = prepared(db, "SELECT order_id, sku, name FROM order_lines WHERE order_id BETWEEN ? AND ? ORDER BY id").all(first, last) as LineRow[];
    const tracking = prepared(
      db,
      "SELECT order_id, tracking_number FROM shipments WHERE order_id BETWEEN ? AND ? AND tracking_number IS NOT NULL ORDER BY id",
    ).all(first, last) as TrackingRow[];
    return { docs: assemble(rows, lines, tracking), missing: [] };
  });
}

export function countOrders(db: DB): number {
  return (prepared(db, "SELECT count(*) AS n FROM orders").get() as { n: number }).n;
}

/** The newest outbox id: reindex catches up on every order changed after it. */
export function outboxWatermark(db: DB): number {
  return (prepared(db, "SELECT coalesce(max(id), 0) AS v FROM outbox").get() as { v: number }).v;
}

/** Orders named by outbox rows after `afterId` (delivered or not). */
export function ordersChangedSince(db: DB, afterId: number): number[] {
  const rows = prepared(db, "SELECT DISTINCT aggregate_id AS id FROM outbox WHERE id > ? AND aggregate_type = 'order'").all(afterId) as { id: number }[];
  return rows.map((r) => r.id);
}

type LineRow = { order_id: number; sku: string; name: string };
type TrackingRow = { order_id: number; tracking_number: string };

function readConsistently(db: DB, read: () => Omit<OrderSnapshot, "version">): OrderSnapshot {
  const conn = connectionOf(db);
  // A transaction on this connection is already a snapshot; otherwise open a read one around both reads.
  if (conn.inTransaction) return { version: outboxWatermark(db), ...read() };
  return conn.transaction(() => ({ version: outboxWatermark(db), ...read() }))();
}

function assemble(rows: OrderRow[], lines: LineRow[], tracking: TrackingRow[]): OrderDocument[] {
  const byOrder = new Map<number, OrderDocument>();
  for (const r of rows) {
    byOrder.set(r.id, {
      orderId: r.id,
      number: r.number,
      status: r.status,
      names: r.ship_name && r.ship_name !== r.name ? [r.name, r.ship_name] : [r.name],
      words: [],
      email: r.email,
      phone: r.phone,
      city: r.city,
      postcode: r.postcode,
      country: r.country,
      skus: [],
      products: [],
      lines: [],
      tracking: [],
      placedAt: r.placed_at,
    });
  }
  for (const l of lines) {
    const doc = byOrder.get(l.order_id);
    if (!doc) continue;
    if (!doc.skus.includes(l.sku)) doc.skus.push(l.sku);
    if (!doc.products.includes(l.name)) {
      doc.products.push(l.name);
      doc.lines.push({ sku: l.sku, tokens: unique(indexTokens(l.name)) });
    }
  }
  for (const t of tracking) {
    const doc = byOrder.get(t.order_id);
    if (doc && !doc.tracking.includes(t.tracking_number)) doc.tracking.push(t.tracking_number);
  }
  const docs = [...byOrder.values()];
  for (const doc of docs) {
    doc.words = unique([...doc.names, doc.city].flatMap(indexTokens));
  }
  return docs;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
