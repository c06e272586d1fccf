import "server-only";
import { database } from "../index.ts";
import { prepared } from "../raw.ts";

const QUEUE_PAGE_SIZE = 50;

export type QueueRow = {
  id: number;
  orderNumber: string;
  locationCode: string;
  locationName: string;
  status: string;
  shipBy: number;
  promisedShipBy: number | null;
  dropship: number;
  items: number;
  alertOwner: string | null;
  alertStatus: string | null;
};

/**
 * Open shipments for the warehouse queue, by ship-by then id (keyset). Each status is read as its own
 * index range — (location_id, status, ship_by) with a location, (status, ship_by) without — limited
 * before the merge, so a page costs the same at a million orders as at a thousand. `overdueAt` adds the
 * moved shipments whose earlier promise passed although their new ship-by has not (a partial index).
 */
type QueueQuery = {
  statuses: readonly string[];
  locationId: number | null;
  window: { from: number; to: number } | null;
  overdueAt: number | null;
  after: { shipBy: number; id: number } | null;
  limit?: number;
};

export function listOpenShipments(q: QueueQuery): { rows: QueueRow[]; next: { shipBy: number; id: number } | null } {
  const limit = q.limit ?? QUEUE_PAGE_SIZE;
  const { sql, params } = openShipmentsSql(q);
  const rows = prepared(database(), sql).all(...params) as QueueRow[];
  const page = rows.slice(0, limit);
  return { rows: page, next: rows.length > limit ? { shipBy: page[limit - 1]!.shipBy, id: page[limit - 1]!.id } : null };
}

/** The queue's statement and parameters (apart, so a test can EXPLAIN it). */
export function openShipmentsSql(q: QueueQuery): { sql: string; params: (string | number)[] } {
  const limit = q.limit ?? QUEUE_PAGE_SIZE;
  const parts: string[] = [];
  const params: (string | number)[] = [];
  const keyset = q.after ? " AND ship_by >= ? AND (ship_by > ? OR id > ?)" : "";
  const keyParams = q.after ? [q.after.shipBy, q.after.shipBy, q.after.id] : [];
  for (const status of q.statuses) {
    const where = ["status = ?"];
    const p: (string | number)[] = [status];
    if (q.locationId !== null) {
      where.push("location_id = ?");
      p.push(q.locationId);
    }
    if (q.window) {
      where.push("ship_by >= ? AND ship_by < ?");
      p.push(q.window.from, q.window.to);
    }
    if (q.overdueAt !== null) {
      parts.push(`SELECT * FROM (SELECT id, ship_by FROM shipments WHERE ${where.join(" AND ")} AND ship_by < ?${keyset} ORDER BY ship_by, id LIMIT ?)`);
      params.push(...p, q.overdueAt, ...keyParams, limit + 1);
      parts.push(
        `SELECT * FROM (SELECT id, ship_by FROM shipments WHERE ${where.join(" AND ")} AND promised_ship_by IS NOT NULL AND promised_ship_by < ? AND ship_by >= ?${keyset} ORDER BY ship_by, id LIMIT ?)`,
      );
      params.push(...p, q.overdueAt, q.overdueAt, ...keyParams, limit + 1);
    } else {
      parts.push(`SELECT * FROM (SELECT id, ship_by FROM shipments WHERE ${where.join(" AND ")}${keyset} ORDER BY ship_by, id LIMIT ?)`);
      params.push(...p, ...keyParams, limit + 1);
    }
  }
  return {
    sql: `SELECT s.id, o.number AS orderNumber, l.code AS locationCode, l.name AS locationName, s.status, s.ship_by AS shipBy,
            s.promised_ship_by AS promisedShipBy, s.dropship,
            (SELECT coalesce(sum(sl.qty), 0) FROM shipment_lines sl WHERE sl.shipment_id = s.id) AS items,
            (SELECT u.name FROM alerts a JOIN users u ON u.id = a.owner_id WHERE a.rule = 'shipment_past_sla' AND a.subject = 'shipment:' || s.id AND a.status <> 'resolved') AS alertOwner,
            (SELECT a.status FROM alerts a WHERE a.rule = 'shipment_past_sla' AND a.subject = 'shipment:' || s.id AND a.status <> 'resolved') AS alertStatus
     FROM (${parts.join(" UNION ALL ")}) q
     JOIN shipments s ON s.id = q.id JOIN orders o ON o.id = s.order_id JOIN locations l ON l.id = s.location_id
     ORDER BY q.ship_by, q.id LIMIT ?`,
    params: [...params, limit + 1],
  };
}

/** A user's saved queue location, or null. */
export function defaultLocationOf({ userId }: { userId: number }): number | null {
  const row = prepared(database(), "SELECT default_location_id AS id FROM users WHERE id = ?").get(userId) as { id: number | null } | undefined;
  return row?.id ?? null;
}
