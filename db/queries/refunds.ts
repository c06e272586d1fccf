import "server-only";
import { database } from "../index.ts";
import { prepared } from "../raw.ts";
import type { RefundStatus } from "../schema/index.ts";
import { refundWhere, type RefundCursor, type RefundFilters } from "./refund-filters.ts";

const REFUND_PAGE_SIZE = 50;

export type RefundRow = {
  id: number;
  orderId: number;
  orderNumber: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  reason: string;
  requestedBy: string | null;
  decidedBy: string | null;
  decisionNote: string | null;
  createdAt: number;
  decidedAt: number | null;
};

const SELECT = `
  SELECT r.id, r.order_id AS orderId, o.number AS orderNumber, r.amount, r.currency, r.status, r.reason,
         rq.name AS requestedBy, dc.name AS decidedBy, r.decision_note AS decisionNote, r.created_at AS createdAt, r.decided_at AS decidedAt
  FROM refunds r
  JOIN orders o ON o.id = r.order_id
  LEFT JOIN users rq ON rq.id = r.requested_by
  LEFT JOIN users dc ON dc.id = r.decided_by`;

function andWhere(where: { sql: string; params: (string | number)[] }, extra: string, params: (string | number)[]) {
  return { sql: where.sql ? `${where.sql} AND ${extra}` : `WHERE ${extra}`, params: [...where.params, ...params] };
}

/**
 * The refund history, newest first, keyset-paginated on (created_at, id): `after` pages to older
 * refunds, `before` back to newer ones. Filters are the URL's (lib/refunds/filters.ts).
 */
export function listRefunds({
  filters,
  after,
  before,
  limit = REFUND_PAGE_SIZE,
}: {
  filters: RefundFilters;
  after?: RefundCursor | null;
  before?: RefundCursor | null;
  limit?: number;
}): { rows: RefundRow[]; hasOlder: boolean; hasNewer: boolean } {
  let where = refundWhere(filters);
  const backwards = !after && !!before;
  if (after) where = andWhere(where, "(r.created_at < ? OR (r.created_at = ? AND r.id < ?))", [after.createdAt, after.createdAt, after.id]);
  else if (before) where = andWhere(where, "(r.created_at > ? OR (r.created_at = ? AND r.id > ?))", [before.createdAt, before.createdAt, before.id]);
  const order = backwards ? "ORDER BY r.created_at ASC, r.id ASC" : "ORDER BY r.created_at DESC, r.id DESC";
  const page = prepared(database(), `${SELECT} ${where.sql} ${order} LIMIT ?`).all(...where.params, limit + 1) as RefundRow[];
  const more = page.length > limit;
  const rows = page.slice(0, limit);
  if (backwards) rows.reverse();
  return { rows, hasOlder: backwards ? true : more, hasNewer: backwards ? more : !!after };
}

export type RefundTotal = { currency: string; count: number; amount: number; paidOut: number; waiting: number };

/** Per currency over the whole filtered set (not just the page): count, sum, what was paid out, what waits. */
export function refundTotals({ filters }: { filters: RefundFilters }): RefundTotal[] {
  // Filtered by nothing but whole days and the status: the trigger-kept refund_daily answers without reading refunds.
  if (Object.keys(filters).every((k) => k === "from" || k === "to" || k === "status")) {
    return prepared(
      database(),
      `SELECT currency, sum(refunds) AS count, sum(amount) AS amount,
              coalesce(sum(CASE WHEN status = 'succeeded' THEN amount END), 0) AS paidOut,
              coalesce(sum(CASE WHEN status = 'pending_approval' THEN amount END), 0) AS waiting
       FROM refund_daily WHERE day BETWEEN ? AND ? AND (? IS NULL OR status = ?)
       GROUP BY currency HAVING sum(refunds) > 0 ORDER BY currency`,
    ).all(filters.from ?? "0000-00-00", filters.to ?? "9999-99-99", filters.status ?? null, filters.status ?? null) as RefundTotal[];
  }
  const where = refundWhere(filters);
  return prepared(
    database(),
    `SELECT r.currency, count(*) AS count, sum(r.amount) AS amount,
            coalesce(sum(CASE WHEN r.status = 'succeeded' THEN r.amount END), 0) AS paidOut,
            coalesce(sum(CASE WHEN r.status = 'pending_approval' THEN r.amount END), 0) AS waiting
     FROM refunds r ${filters.order ? "JOIN orders o ON o.id = r.order_id" : ""} ${where.sql}
     GROUP BY r.currency ORDER BY r.currency`,
  ).all(...where.params) as RefundTotal[];
}

export type PendingApproval = RefundRow & { orderPaid: number; orderRefunded: number };

/** Refunds over the agent limit waiting for finance, oldest first (they have waited longest). */
export function pendingApprovals({ limit = 100 }: { limit?: number } = {}): PendingApproval[] {
  return prepared(
    database(),
    `${SELECT.replace("SELECT", "SELECT o.paid AS orderPaid, o.refunded AS orderRefunded,")}
     WHERE r.status = 'pending_approval' ORDER BY r.created_at ASC, r.id ASC LIMIT ?`,
  ).all(limit) as PendingApproval[];
}

/** Refunds owed for cancelled units but held behind requests waiting for finance: released when those are decided. */
export function heldRefunds({ limit = 100 }: { limit?: number } = {}): PendingApproval[] {
  return prepared(
    database(),
    `${SELECT.replace("SELECT", "SELECT o.paid AS orderPaid, o.refunded AS orderRefunded,")}
     WHERE r.status = 'on_hold' ORDER BY r.created_at ASC, r.id ASC LIMIT ?`,
  ).all(limit) as PendingApproval[];
}

/** Everyone who ever requested or decided a refund, for the filter pickers. */
export function refundPeople(): { requesters: { id: number; name: string }[]; deciders: { id: number; name: string }[] } {
  const db = database();
  return {
    // One index probe per user (refunds_requested_by_idx, refunds_decided_by_idx), not a pass over every refund.
    requesters: prepared(db, "SELECT id, name FROM users u WHERE EXISTS (SELECT 1 FROM refunds r WHERE r.requested_by = u.id) ORDER BY name").all() as { id: number; name: string }[],
    deciders: prepared(db, "SELECT id, name FROM users u WHERE EXISTS (SELECT 1 FROM refunds r WHERE r.decided_by = u.id) ORDER BY name").all() as { id: number; name: string }[],
  };
}
