import type { RefundStatus } from "../schema/orders.ts";

/** The refund history's filters, exactly as they travel in the URL (page, export link, CSV route). */
export type RefundFilters = {
  /** Inclusive UTC day, YYYY-MM-DD. */
  from?: string;
  /** Inclusive UTC day, YYYY-MM-DD. */
  to?: string;
  status?: RefundStatus;
  /** Minor units, inclusive. */
  min?: number;
  max?: number;
  requestedBy?: number;
  decidedBy?: number;
  /** An order number or its beginning (SY-1000…). */
  order?: string;
};

export type RefundCursor = { createdAt: number; id: number };

const DAY_MS = 86_400_000;

/** The filters as one SQL WHERE clause over `refunds r JOIN orders o`, with its positional parameters. */
export function refundWhere(f: RefundFilters): { sql: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  const add = (clause: string, value: string | number) => {
    parts.push(clause);
    params.push(value);
  };
  if (f.from) add("r.created_at >= ?", Date.parse(`${f.from}T00:00:00Z`));
  if (f.to) add("r.created_at < ?", Date.parse(`${f.to}T00:00:00Z`) + DAY_MS);
  if (f.status) add("r.status = ?", f.status);
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

