import { z } from "zod";
import { REFUND_STATUSES } from "../../db/schema/orders.ts";
import type { RefundCursor, RefundFilters } from "../../db/queries/refund-filters.ts";
import { parseMoneyInput } from "../currency.ts";

export type { RefundCursor, RefundFilters };

const FILTER_KEYS = ["from", "to", "status", "min", "max", "requestedBy", "decidedBy", "order"] as const;

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-01.")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "Not a real date.");
/** "150", "150.5", "150,50" in the major unit, to minor units: typed money is read one way everywhere (lib/currency.ts). */
const amount = z.string().transform((s, ctx) => {
  const parsed = parseMoneyInput(s, "EUR");
  if (parsed.ok) return parsed.minor;
  ctx.addIssue({ code: "custom", message: parsed.message });
  return z.NEVER;
});
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

export function encodeRefundCursor(c: RefundCursor): string {
  return `${c.createdAt}.${c.id}`;
}

export function decodeRefundCursor(raw: string | null | undefined): RefundCursor | null {
  const m = raw?.match(/^(\d{1,15})\.(\d{1,12})$/);
  return m ? { createdAt: Number(m[1]), id: Number(m[2]) } : null;
}
