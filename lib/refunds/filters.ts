import { z } from "zod";
import { REFUND_STATUSES, type RefundStatus } from "../../db/schema/orders.ts";

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

export const FILTER_KEYS = ["from", "to", "status", "min", "max", "requestedBy", "decidedBy", "order"] as const;

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-01.")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "Not a real date.");
/** "150", "150.5" or "150.50" in the currency's major unit, to minor units. */
const amount = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, "Use an amount like 150.00.")
  .transform((s) => Math.round(Number(s) * 100));
const userId = z.coerce.number().int().positive();

const schema = z.object({
  from: day.optional(),
  to: day.optional(),
  status: z.enum(REFUND_STATUSES).optional(),
  min: amount.optional(),
  max: amount.optional(),
  requestedBy: userId.optional(),
  decidedBy: userId.optional(),
  order: z
    .string()
    .trim()
    .max(40)
    .regex(/^[A-Za-z0-9-]*$/, "Order numbers are letters, digits and dashes.")
    .transform((s) => s.toUpperCase())
    .optional(),
});

export type ParsedFilters = { filters: RefundFilters; errors: Record<string, string> };

/**
 * Reads filters from URL parameters. Empty values are no filter; an unreadable value is dropped and
 * reported (the page shows it), so a mistyped link still shows data rather than an error page.
 */
export function parseRefundFilters(params: URLSearchParams | Record<string, string | string[] | undefined>): ParsedFilters {
  const get = (k: string): string | undefined => {
    const v = params instanceof URLSearchParams ? params.get(k) : params[k];
    const s = Array.isArray(v) ? v[0] : v;
    return s === undefined || s === null || s.trim() === "" ? undefined : s;
  };
  const filters: RefundFilters = {};
  const errors: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const raw = get(key);
    if (raw === undefined) continue;
    const parsed = schema.shape[key].safeParse(raw);
    if (parsed.success) (filters as Record<string, unknown>)[key] = parsed.data;
    else errors[key] = parsed.error.issues[0]?.message ?? "Not understood.";
  }
  if (filters.order === "") delete filters.order;
  return { filters, errors };
}

/** The URL query for these filters (and extra keys such as a cursor), without empty values. */
export function refundQuery(filters: RefundFilters, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const v = filters[key];
    if (v === undefined) continue;
    q.set(key, key === "min" || key === "max" ? (Number(v) / 100).toFixed(2) : String(v));
  }
  for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
  return q.toString();
}

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
  if (f.order) add("o.number LIKE ? ESCAPE '\\'", `${f.order.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return { sql: parts.length ? `WHERE ${parts.join(" AND ")}` : "", params };
}

export type RefundCursor = { createdAt: number; id: number };

export function encodeRefundCursor(c: RefundCursor): string {
  return `${c.createdAt}.${c.id}`;
}

export function decodeRefundCursor(raw: string | null | undefined): RefundCursor | null {
  const m = raw?.match(/^(\d{1,15})\.(\d{1,12})$/);
  return m ? { createdAt: Number(m[1]), id: Number(m[2]) } : null;
}
