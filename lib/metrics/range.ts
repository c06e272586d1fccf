import { PERIOD_LABELS, dayRange, daysOf, describeRange, isTimeZone, isoDay, parseCivilDay, presetRange, previousRange, type DayRange, type Period } from "../time-zone.ts";

type Params = Record<string, string | string[] | undefined>;

export type MetricsPeriod = { period: Period; current: DayRange; previous: DayRange; label: string; previousLabel: string; error?: string };

/**
 * The metrics page's range: a preset (default this week) or custom days, in the viewer's zone, and the
 * range just before it of the same length to compare with. A custom range that cannot be read falls back
 * to this week and says why.
 */
export function parseMetricsPeriod(params: Params, opts: { now?: number; defaultTz?: string } = {}): MetricsPeriod & { tz: string } {
  const one = (k: string) => {
    const v = params[k];
    const s = (Array.isArray(v) ? v[0] : v)?.trim();
    return s ? s : undefined;
  };
  const rawTz = one("tz");
  const tz = rawTz && isTimeZone(rawTz) ? rawTz : opts.defaultTz && isTimeZone(opts.defaultTz) ? opts.defaultTz : "UTC";
  const now = opts.now ?? Date.now();
  const asked = one("period");
  let error: string | undefined;
  let period: Period = "this_week";
  let current: DayRange | null = null;
  if (asked === "custom") {
    const first = parseCivilDay(one("from") ?? "");
    const last = parseCivilDay(one("to") ?? "");
    if (!first || !last) error = "Type both days as 2026-10-31 or 31/10/2026; showing this week instead.";
    else if (isoDay(last) < isoDay(first)) error = "The end date is before the start date; showing this week instead.";
    else if (daysOf(dayRange(first, last, tz)).length > 366) error = "Choose at most a year; showing this week instead.";
    else {
      period = "custom";
      current = dayRange(first, last, tz);
    }
  } else if (asked && asked in PERIOD_LABELS) {
    period = asked as Period;
  } else if (asked) {
    error = "Choose a period from the list; showing this week instead.";
  }
  current ??= presetRange(period as Exclude<Period, "custom">, now, tz);
  const previous = previousRange(current);
  return { period, current, previous, tz, label: describeRange(current), previousLabel: describeRange(previous), ...(error ? { error } : {}) };
}

export type Change = { direction: "up" | "down" | "same" | "new"; text: string };

/**
 * How a figure moved from the previous range: relative % for counts and durations, percentage points for
 * rates (a rate going from 2 % to 3 % is "+1.0 pt", not "+50 %"). "new" when there was nothing to compare.
 */
export function changeOf(current: number | null, previous: number | null, kind: "relative" | "points"): Change {
  if (current === null || previous === null) return { direction: "new", text: "no comparison" };
  const diff = current - previous;
  if (kind === "points") {
    const pts = diff * 100;
    if (Math.abs(pts) < 0.05) return { direction: "same", text: "no change" };
    return { direction: pts > 0 ? "up" : "down", text: `${pts > 0 ? "▲ +" : "▼ −"}${Math.abs(pts).toFixed(1)} pt` };
  }
  if (previous === 0) return current === 0 ? { direction: "same", text: "no change" } : { direction: "new", text: "none before" };
  const pct = (diff / previous) * 100;
  if (Math.abs(pct) < 0.05) return { direction: "same", text: "no change" };
  return { direction: pct > 0 ? "up" : "down", text: `${pct > 0 ? "▲ +" : "▼ −"}${Math.abs(pct).toFixed(1)} %` };
}

/** The days of a range as their own ranges and short labels ("Mon 23"), for the per-day chart. */
export function dayBuckets(r: DayRange): { day: string; label: string; from: number; to: number }[] {
  const weekday = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", timeZone: "UTC" });
  const monthDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  const days = daysOf(r);
  return days.map((d) => {
    const one = dayRange(d, d, r.tz);
    const utc = Date.UTC(d.y, d.m - 1, d.d);
    return { day: isoDay(d), label: days.length <= 14 ? weekday.format(utc) : monthDay.format(utc), from: one.from, to: one.to };
  });
}
