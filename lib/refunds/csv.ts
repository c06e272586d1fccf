import { minorDigits } from "../currency.ts";

/**
 * A cell a spreadsheet would run as a formula: one starting with = + - @ (or their full-width forms), tab
 * or CR, also behind leading invisible characters (spaces, NBSP, zero-width and direction marks, BOM),
 * which spreadsheets skip before deciding.
 */
const FORMULA = /^[\p{White_Space}\p{Cf}\u180E]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/u;

/** One CSV field (RFC 4180): quoted when it holds a comma, semicolon, quote or line break. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  // Free text must never run as a formula: a leading apostrophe makes the cell plain text.
  if (typeof value === "string" && FORMULA.test(s)) s = `'${s}`;
  // Semicolons too: a spreadsheet in a comma-decimal locale splits on them.
  return /[",;\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return values.map(csvField).join(",") + "\r\n";
}

export const REFUND_CSV_COLUMNS = [
  "refund_id",
  "created_at_utc",
  "order_number",
  "customer_name",
  "customer_email",
  "status",
  "amount",
  "currency",
  "reason",
  "requested_by",
  "decided_by",
  "decided_at_utc",
  "decision_note",
  "completed_at_utc",
  "provider_ref",
] as const;

export type RefundExportRow = {
  id: number;
  createdAt: number;
  orderNumber: string;
  customerName: string;
  customerEmail: string;
  status: string;
  amount: number;
  currency: string;
  reason: string;
  requestedBy: string | null;
  decidedBy: string | null;
  decidedAt: number | null;
  decisionNote: string | null;
  completedAt: number | null;
  providerRef: string | null;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Amounts leave as decimal major units (150.00) so a spreadsheet sums them; the currency column says which. */
export function refundCsvLine(r: RefundExportRow): string {
  return csvLine([
    r.id,
    iso(r.createdAt),
    r.orderNumber,
    r.customerName,
    r.customerEmail,
    r.status,
    (r.amount / 10 ** minorDigits(r.currency)).toFixed(minorDigits(r.currency)),
    r.currency,
    r.reason,
    r.requestedBy,
    r.decidedBy,
    iso(r.decidedAt),
    r.decisionNote,
    iso(r.completedAt),
    r.providerRef,
  ]);
}
