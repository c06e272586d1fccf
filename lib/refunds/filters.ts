import { z } from "zod";
import { REFUND_STATUSES } from "../../db/schema/orders.ts";
import type { RefundCursor, RefundFilters } from "../../db/queries/refund-filters.ts";
import { isCurrency, minorDigits, parseMoneyInput } from "../currency.ts";
import { formatMoney, humanStatus } from "../format.ts";
import { PERIODS, PERIOD_LABELS, dayRange, describeRange, isTimeZone, isoDay, parseCivilDay, presetRange, type CivilDay, type DayRange, type Period } from "../time-zone.ts";

export type { RefundCursor };

/** The filters as they travel in the URL (page, export link, CSV route), each already validated. */
export type RefundQuery = {
  period?: Period;
  /** Custom days, YYYY-MM-DD, inclusive, in `tz`. */
  from?: string;
  to?: string;
  /** The viewer's IANA zone the days are read in. */
  tz: string;
  status?: (typeof REFUND_STATUSES)[number];
  currency?: string;
  /** Minor units. */
  min?: number;
  max?: number;
  requestedBy?: number;
  decidedBy?: number;
  order?: string;
};

export type ParsedFilters = {
  query: RefundQuery;
  filters: RefundFilters;
  /** The dates the filter covers, when it has any: a whole range, or one open end of a custom range. */
  range: { first?: CivilDay; last?: CivilDay; label: string } | null;
  /** Per URL key, why its value was refused. A refused filter is never quietly dropped: the page shows no rows and the export answers 400. */
  errors: Record<string, string>;
};

const KEYS = ["period", "from", "to", "tz", "status", "currency", "min", "max", "requestedBy", "decidedBy", "order"] as const;

const userId = z.coerce.number().int().positive();
const orderPrefix = z
  .string()
  .trim()
  .max(40)
  .regex(/^[A-Za-z0-9-]*$/, "Order numbers are letters, digits and dashes.")
  .transform((s) => s.toUpperCase());

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

/**
 * Reads the filters from URL parameters. Dates are whole days in the viewer's zone (`tz`, else
 * `defaultTz`, else UTC): a preset period (today … last month) is computed from `now` there, custom days
 * are typed as 2026-10-31 or 31/10/2026. Empty values are no filter; anything unreadable is reported.
 */
export function parseRefundFilters(params: Params, opts: { now?: number; defaultTz?: string } = {}): ParsedFilters {
  const get = (k: string): string | undefined => {
    const v = params instanceof URLSearchParams ? params.get(k) : params[k];
    const s = Array.isArray(v) ? v[0] : v;
    return s === undefined || s === null || s.trim() === "" ? undefined : s.trim();
  };
  const errors: Record<string, string> = {};
  const rawTz = get("tz");
  if (rawTz !== undefined && !isTimeZone(rawTz)) errors.tz = `"${rawTz}" is not a time zone this server knows.`;
  const tz = rawTz !== undefined && isTimeZone(rawTz) ? rawTz : opts.defaultTz && isTimeZone(opts.defaultTz) ? opts.defaultTz : "UTC";
  const query: RefundQuery = { tz };

  const rawPeriod = get("period");
  if (rawPeriod !== undefined) {
    if ((PERIODS as readonly string[]).includes(rawPeriod)) query.period = rawPeriod as Period;
    else errors.period = "Choose a period from the list.";
  }
  const day = (key: "from" | "to") => {
    const raw = get(key);
    if (raw === undefined) return undefined;
    const parsed = parseCivilDay(raw);
    if (!parsed) errors[key] = `"${raw}" is not a date: type it as 2026-10-31 or 31/10/2026.`;
    return parsed ?? undefined;
  };
  // A preset wins over days left in the custom fields; typed days without a period are a custom range.
  const preset = query.period && query.period !== "custom" ? query.period : undefined;
  let first: CivilDay | undefined;
  let last: CivilDay | undefined;
  if (!preset) {
    first = day("from");
    last = day("to");
    if (first) query.from = isoDay(first);
    if (last) query.to = isoDay(last);
    if (first || last) query.period = "custom";
    if (first && last && isoDay(last) < isoDay(first)) errors.to = "The end date is before the start date.";
  }

  const rawStatus = get("status");
  if (rawStatus !== undefined) {
    if ((REFUND_STATUSES as readonly string[]).includes(rawStatus)) query.status = rawStatus as RefundQuery["status"];
    else errors.status = "Choose a status from the list.";
  }
  const rawCurrency = get("currency")?.toUpperCase();
  if (rawCurrency !== undefined) {
    if (isCurrency(rawCurrency)) query.currency = rawCurrency;
    else errors.currency = "An ISO 4217 currency code, such as EUR.";
  }
  for (const key of ["min", "max"] as const) {
    const raw = get(key);
    if (raw === undefined) continue;
    // "150", "150.5", "150,50": typed money is read one way everywhere (lib/currency.ts), in the chosen currency's decimals.
    const parsed = parseMoneyInput(raw, query.currency ?? "EUR");
    if (parsed.ok) query[key] = parsed.minor;
    else errors[key] = parsed.message;
  }
  if (query.min !== undefined && query.max !== undefined && query.max < query.min) errors.max = "The maximum is below the minimum.";
  for (const key of ["requestedBy", "decidedBy"] as const) {
    const raw = get(key);
    if (raw === undefined) continue;
    const parsed = userId.safeParse(raw);
    if (parsed.success) query[key] = parsed.data;
    else errors[key] = "Choose a person from the list.";
  }
  const rawOrder = get("order");
  if (rawOrder !== undefined) {
    const parsed = orderPrefix.safeParse(rawOrder);
    if (parsed.success && parsed.data) query.order = parsed.data;
    else if (!parsed.success) errors.order = parsed.error.issues[0]?.message ?? "Not understood.";
  }

  let range: DayRange | null = null;
  if (preset) range = presetRange(preset, opts.now ?? Date.now(), tz);
  else if (first && last && !errors.to) range = dayRange(first, last, tz);
  const filters: RefundFilters = {};
  if (range) {
    filters.createdFrom = range.from;
    filters.createdTo = range.to;
  } else if (first && !last) {
    filters.createdFrom = dayRange(first, first, tz).from;
  } else if (last && !first) {
    filters.createdTo = dayRange(last, last, tz).to;
  }
  for (const key of ["status", "currency", "min", "max", "requestedBy", "decidedBy", "order"] as const) {
    if (query[key] !== undefined) (filters as Record<string, unknown>)[key] = query[key];
  }
  const short = (d: CivilDay) => describeRange(dayRange(d, d, tz)).replace(` (${tz})`, "");
  const label = range ? describeRange(range) : first ? `from ${short(first)} (${tz})` : last ? `until ${short(last)} (${tz})` : null;
  return {
    query,
    filters,
    range: label ? { first: range?.first ?? first, last: range?.last ?? last, label } : null,
    errors,
  };
}

/** The URL query for these filters (and extra keys such as a cursor), without empty values. */
export function refundQuery(query: RefundQuery, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const key of KEYS) {
    const v = query[key];
    if (v === undefined) continue;
    // The zone only matters to dates.
    if (key === "tz" && !query.period) continue;
    q.set(key, key === "min" || key === "max" ? moneyText(v as number, query.currency) : String(v));
  }
  for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
  return q.toString();
}

/**
 * The export link's query: a preset is pinned to the days the page showed, so the file holds exactly
 * the rows on screen even if the clock passes midnight before the click.
 */
export function refundExportQuery(parsed: ParsedFilters): string {
  const { query, range } = parsed;
  if (!query.period || query.period === "custom" || !range?.first || !range.last) return refundQuery(query);
  return refundQuery({ ...query, period: "custom", from: isoDay(range.first), to: isoDay(range.last) });
}

function moneyText(minor: number, currency = "EUR"): string {
  const digits = minorDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** What the filtered set is, in words: "EUR, succeeded, €100.00 or more, 1–31 Oct 2026 (Europe/Madrid)". */
export function describeFilters(parsed: ParsedFilters, people: { id: number; name: string }[] = []): string[] {
  const { query, range } = parsed;
  const money = (minor: number) => (query.currency ? formatMoney(minor, query.currency) : moneyText(minor));
  const name = (id: number) => people.find((p) => p.id === id)?.name ?? `user ${id}`;
  const parts: string[] = [];
  if (query.currency) parts.push(query.currency);
  if (query.status) parts.push(humanStatus(query.status).toLowerCase());
  if (query.min !== undefined && query.max !== undefined) parts.push(`${money(query.min)}–${money(query.max)}`);
  else if (query.min !== undefined) parts.push(`${money(query.min)} or more`);
  else if (query.max !== undefined) parts.push(`up to ${money(query.max)}`);
  if (query.order) parts.push(`order ${query.order}…`);
  if (query.requestedBy) parts.push(`requested by ${name(query.requestedBy)}`);
  if (query.decidedBy) parts.push(`decided by ${name(query.decidedBy)}`);
  if (query.period && query.period !== "custom" && range) parts.push(`${PERIOD_LABELS[query.period].toLowerCase()}, ${range.label}`);
  else if (range) parts.push(range.label);
  return parts;
}

/** The export's file name carries what it holds: refunds_2026-10-01_to_2026-10-31_EUR.csv. */
export function exportFileName(parsed: ParsedFilters, today: string): string {
  const { range, query } = parsed;
  const dates = range ? `${range.first ? isoDay(range.first) : "start"}_to_${range.last ? isoDay(range.last) : today}` : `all-dates_to_${today}`;
  return `refunds_${dates}${query.currency ? `_${query.currency}` : ""}${query.status ? `_${query.status}` : ""}.csv`;
}

export function encodeRefundCursor(c: RefundCursor): string {
  return `${c.createdAt}.${c.id}`;
}

export function decodeRefundCursor(raw: string | null | undefined): RefundCursor | null {
  const m = raw?.match(/^(\d{1,15})\.(\d{1,12})$/);
  return m ? { createdAt: Number(m[1]), id: Number(m[2]) } : null;
}
