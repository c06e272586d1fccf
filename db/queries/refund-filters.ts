import type { RefundStatus } from "../schema/orders.ts";

/**
 * The refund history's filters as SQL sees them, once lib/refunds/filters.ts has read the URL (presets and
 * typed days already turned into instants in the viewer's zone). The page, its totals and the CSV export
 * all filter through refundWhere, so they cannot disagree.
 */
export type RefundFilters = {
  /** Created at or after this instant (UTC epoch ms). */
  createdFrom?: number;
  /** Created before this instant (exclusive). */
  createdTo?: number;
  status?: RefundStatus;
  currency?: string;
  /** Minor units, inclusive. */
  min?: number;
  max?: number;
  requestedBy?: number;
  decidedBy?: number;
  /** An order number or its beginning (SY-1000…). */
  order?: string;
};

export type RefundCursor = { createdAt: number; id: number };

/** The filters as one SQL WHERE clause over `refunds r JOIN orders o`, with its positional parameters. */
export function refundWhere(f: RefundFilters): { sql: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  const add = (clause: string, value: string | number) => {
    parts.push(clause);
    params.push(value);
  };
  if (f.createdFrom !== undefined) add("r.created_at >= ?", f.createdFrom);
  if (f.createdTo !== undefined) add("r.created_at < ?", f.createdTo);
  if (f.status) add("r.status = ?", f.status);
  if (f.currency) add("r.currency = ?", f.currency);
  if (f.min !== undefined) add("r.amount >= ?", f.min);
  if (f.max !== undefined) add("r.amount <= ?", f.max);
  if (f.requestedBy) add("r.requested_by = ?", f.requestedBy);
  if (f.decidedBy) add("r.decided_by = ?", f.decidedBy);
  if (f.order) {
    add("o.number LIKE ? ESCAPE '\\'", `${f.order.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    // The same prefix as a range over orders_number's index (numbers are stored upper case), so the orders are found first.
    const prefix = f.order.toUpperCase();
    add("o.number >= ?", prefix);
    add("o.number < ?", `${prefix}\uffff`);
  }
  return { sql: parts.length ? `WHERE ${parts.join(" AND ")}` : "", params };
}
