import "server-only";
import { database } from "../index.ts";
import { prepared } from "../raw.ts";
import { keptWhileUnchanged } from "../versions.ts";
import type { RefundKind, RefundStatus } from "../schema/index.ts";
import { readByHour, sumByKey } from "./hours.ts";
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
  /** Why the payment provider refused the payout (status failed). */
  failureReason: string | null;
};

const SELECT = `
  SELECT r.id, r.order_id AS orderId, o.number AS orderNumber, r.amount, r.currency, r.status, r.reason,
         rq.name AS requestedBy, dc.name AS decidedBy, r.decision_note AS decisionNote, r.created_at AS createdAt, r.decided_at AS decidedAt,
         r.failure_reason AS failureReason
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

/**
 * Per currency over the whole filtered set (not just the page): count, sum, what was paid out, what waits.
 * The same totals again while no refund has changed since (table_versions 'refunds', any process), per
 * filter: the all-time totals summed the whole rollup (1.6 ms a page at a million orders), last month's
 * refunds over 100 read 4.8 ms of refunds.
 */
export function refundTotals({ filters }: { filters: RefundFilters }): readonly Readonly<RefundTotal>[] {
  const key = JSON.stringify(Object.entries(filters).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
  return totalsKept(key, () => readTotals(filters).map((t) => Object.freeze(t)));
}

const totalsKept = keptWhileUnchanged<readonly Readonly<RefundTotal>[]>("refunds");

function readTotals(filters: RefundFilters): RefundTotal[] {
  // Filtered by nothing but dates, status and currency: the whole hours from the trigger-kept refund_hourly
  // (migration 0015_rollups), the partial hours at the ends (none for a day in a whole-hour zone) from refunds.
  const used = Object.entries(filters).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (used.every((k) => ROLLUP_FILTERS.has(k))) return rolledUpTotals(filters);
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

const ROLLUP_FILTERS = new Set(["createdFrom", "createdTo", "status", "currency"]);

function rolledUpTotals(f: RefundFilters): RefundTotal[] {
  const db = database();
  const sums = `sum(CASE WHEN status = 'succeeded' THEN amount ELSE 0 END) AS paidOut, sum(CASE WHEN status = 'pending_approval' THEN amount ELSE 0 END) AS waiting`;
  const match = "(? IS NULL OR status = ?) AND (? IS NULL OR currency = ?)";
  const params = [f.status ?? null, f.status ?? null, f.currency ?? null, f.currency ?? null];
  const parts = readByHour(
    { from: f.createdFrom ?? 0, to: f.createdTo ?? 8.64e15 },
    (hours) =>
      prepared(db, `SELECT currency, sum(refunds) AS count, sum(amount) AS amount, ${sums} FROM refund_hourly WHERE hour >= ? AND hour < ? AND ${match} GROUP BY currency`).all(
        hours.from,
        hours.to,
        ...params,
      ) as RefundTotal[],
    (e) =>
      prepared(db, `SELECT currency, count(*) AS count, sum(amount) AS amount, ${sums} FROM refunds WHERE created_at >= ? AND created_at < ? AND ${match} GROUP BY currency`).all(
        e.from,
        e.to,
        ...params,
      ) as RefundTotal[],
  );
  return sumByKey(parts, "currency").filter((t) => t.count > 0).sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}

export type PendingApproval = RefundRow & { orderPaid: number; orderRefunded: number; customerName: string };

export const QUEUE_SORTS = ["oldest", "newest", "largest"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

const QUEUE_ORDER: Record<QueueSort, string> = {
  oldest: "r.created_at ASC, r.id ASC",
  newest: "r.created_at DESC, r.id DESC",
  largest: "r.amount DESC, r.created_at ASC, r.id ASC",
};

/** Refunds over the agent limit waiting for finance: searched (order number prefix, customer name or email), sorted, one page. */
export function approvalQueuePage({ search, currency, sort, offset, limit }: { search?: string; currency?: string; sort: QueueSort; offset: number; limit: number }): {
  rows: PendingApproval[];
  total: number;
} {
  const parts = ["r.status = 'pending_approval'"];
  const params: (string | number)[] = [];
  if (currency) {
    parts.push("r.currency = ?");
    params.push(currency);
  }
  if (search) {
    const like = search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    parts.push("(lower(o.number) LIKE ? ESCAPE '\\' OR lower(c.name) LIKE ? ESCAPE '\\' OR lower(c.email) LIKE ? ESCAPE '\\')");
    params.push(`${like}%`, `%${like}%`, `%${like}%`);
  }
  const where = `WHERE ${parts.join(" AND ")}`;
  // Without a search the refunds table alone says which requests and in what order: the page's 20 are
  // chosen there and only they are joined to their orders and customers (joining all 4,700 waiting
  // requests before sorting cost 8–16 ms a page at a million orders).
  const from = search ? "FROM refunds r JOIN orders o ON o.id = r.order_id JOIN customers c ON c.id = o.customer_id" : "FROM refunds r";
  // One read transaction: the count, the page's ids and its rows agree even while finance decides requests.
  return database().transaction(() => {
    const total = (prepared(database(), `SELECT count(*) AS n ${from} ${where}`).get(...params) as { n: number }).n;
    const chosen = prepared(database(), `SELECT r.id ${from} ${where} ORDER BY ${QUEUE_ORDER[sort]} LIMIT ? OFFSET ?`).all(...params, limit, offset) as { id: number }[];
    if (chosen.length === 0) return { rows: [], total };
    const rows = prepared(
      database(),
      `${SELECT.replace("SELECT", "SELECT o.paid AS orderPaid, o.refunded AS orderRefunded, c.name AS customerName,").replace("JOIN orders o ON o.id = r.order_id", "JOIN orders o ON o.id = r.order_id JOIN customers c ON c.id = o.customer_id")}
       WHERE r.id IN (SELECT value FROM json_each(?)) AND r.status = 'pending_approval' ORDER BY ${QUEUE_ORDER[sort]}`,
    ).all(JSON.stringify(chosen.map((c) => c.id))) as PendingApproval[];
    return { rows, total };
  });
}

export type QueueLedgerRefund = { orderId: number; kind: RefundKind; status: RefundStatus; amount: number; requestedBy: number | null; decidedBy: number | null };

/**
 * Every request waiting for finance with its order's currency, and every refund on those orders: enough
 * for lib/refunds/queue.ts to say, with the ledger's own rule, where each request stands against today's limit.
 */
export function waitingRequestsWithOrderRefunds(): { waiting: { id: number; orderId: number; amount: number; currency: string }[]; refunds: QueueLedgerRefund[] } {
  const db = database();
  // A refund carries its order's currency, so neither query leaves the refunds table and its indexes.
  const waiting = prepared(db, "SELECT r.id, r.order_id AS orderId, r.amount, r.currency FROM refunds r WHERE r.status = 'pending_approval'").all() as {
    id: number;
    orderId: number;
    amount: number;
    currency: string;
  }[];
  const refunds = prepared(
    db,
    `SELECT order_id AS orderId, kind, status, amount, requested_by AS requestedBy, decided_by AS decidedBy FROM refunds
     WHERE order_id IN (SELECT order_id FROM refunds WHERE status = 'pending_approval')`,
  ).all() as QueueLedgerRefund[];
  return { waiting, refunds };
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

/** The currencies refunds were made in, for the currency pickers: one probe of refunds_currency_created_idx per currency (a loose index scan), not a pass over every refund. */
export function refundCurrencies(): string[] {
  return (
    prepared(
      database(),
      `WITH RECURSIVE c(currency) AS (
         SELECT min(currency) FROM refunds
         UNION ALL
         SELECT (SELECT min(r.currency) FROM refunds r WHERE r.currency > c.currency) FROM c WHERE c.currency IS NOT NULL
       )
       SELECT currency FROM c WHERE currency IS NOT NULL ORDER BY currency`,
    ).all() as { currency: string }[]
  ).map((r) => r.currency);
}
