/**
 * Calendar days in the viewer's IANA time zone, computed with Intl only: where a day, week or month
 * starts as a UTC instant, whatever the zone's offset or daylight-saving change. The one home for
 * "last month in Madrid" on the server (refund filters, metrics ranges).
 */

/** A calendar day with no zone: year, month 1–12, day 1–31. */
export type CivilDay = { y: number; m: number; d: number };

/** True for a zone this runtime knows (Europe/Madrid, UTC, America/New_York …). */
export function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(tz: string): Intl.DateTimeFormat {
  let f = partsFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    partsFormats.set(tz, f);
  }
  return f;
}

/** The wall-clock time in `tz` at instant `ms`, as if it were UTC (so the difference is the zone's offset). */
function wallAsUtc(ms: number, tz: string): number {
  const p = Object.fromEntries(partsFormat(tz).formatToParts(ms).map((x) => [x.type, x.value])) as Record<string, string>;
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
}

/** The zone's offset from UTC at an instant, in ms (Madrid in summer: +2 h). */
function offsetAt(ms: number, tz: string): number {
  return wallAsUtc(Math.floor(ms / 1000) * 1000, tz) - Math.floor(ms / 1000) * 1000;
}

/** The civil day at instant `ms` in `tz`. */
function civilDayAt(ms: number, tz: string): CivilDay {
  const w = new Date(wallAsUtc(ms, tz));
  return { y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate() };
}

/** `day` moved by whole days (or months), normalised (31 Jan + 1 month → 3 Mar is never asked: months start on the 1st). */
function addDays(day: CivilDay, days: number): CivilDay {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function addMonths(day: CivilDay, months: number): CivilDay {
  const t = new Date(Date.UTC(day.y, day.m - 1 + months, day.d));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** The instant a civil day starts in `tz` (00:00 there; where midnight does not exist, the first instant after it). */
function startOfDay(day: CivilDay, tz: string): number {
  const naive = Date.UTC(day.y, day.m - 1, day.d);
  const first = naive - offsetAt(naive, tz);
  const second = naive - offsetAt(first, tz);
  return offsetAt(second, tz) === offsetAt(first, tz) ? second : Math.max(first, second);
}

export function isoDay(day: CivilDay): string {
  return `${String(day.y).padStart(4, "0")}-${String(day.m).padStart(2, "0")}-${String(day.d).padStart(2, "0")}`;
}

/**
 * A typed day: 2026-10-31, 31/10/2026 or 31.10.2026 (day first, as Europe writes it). Null when it is
 * not a real calendar day (31/02/2026, 2026-13-01, "yesterday").
 */
export function parseCivilDay(text: string): CivilDay | null {
  const t = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  let day: CivilDay | null = m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : null;
  if (!day) {
    m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(t);
    day = m ? { y: Number(m[3]), m: Number(m[2]), d: Number(m[1]) } : null;
  }
  if (!day || day.y < 1970 || day.y > 9999) return null;
  const check = addDays(day, 0);
  return check.y === day.y && check.m === day.m && check.d === day.d ? day : null;
}

export const PERIODS = ["today", "this_week", "last_week", "this_month", "last_month", "custom"] as const;
export type Period = (typeof PERIODS)[number];

export const PERIOD_LABELS: Record<Period, string> = {
  today: "Today",
  this_week: "This week",
  last_week: "Last week",
  this_month: "This month",
  last_month: "Last month",
  custom: "Custom dates",
};

/** A half-open range of instants [from, to) and the civil days it covers in its zone (first and last, inclusive). */
export type DayRange = { from: number; to: number; first: CivilDay; last: CivilDay; tz: string };

/** The range of whole civil days first..last (inclusive) in `tz`. */
export function dayRange(first: CivilDay, last: CivilDay, tz: string): DayRange {
  return { from: startOfDay(first, tz), to: startOfDay(addDays(last, 1), tz), first, last, tz };
}

/**
 * A preset period around `now` in `tz`: weeks start on Monday (ISO), months on the 1st; each whole
 * period, so "this week" runs to Sunday night.
 */
export function presetRange(period: Exclude<Period, "custom">, now: number, tz: string): DayRange {
  const today = civilDayAt(now, tz);
  const weekday = (new Date(Date.UTC(today.y, today.m - 1, today.d)).getUTCDay() + 6) % 7; // Monday 0
  const monday = addDays(today, -weekday);
  const firstOfMonth = { ...today, d: 1 };
  switch (period) {
    case "today":
      return dayRange(today, today, tz);
    case "this_week":
      return dayRange(monday, addDays(monday, 6), tz);
    case "last_week":
      return dayRange(addDays(monday, -7), addDays(monday, -1), tz);
    case "this_month":
      return dayRange(firstOfMonth, addDays(addMonths(firstOfMonth, 1), -1), tz);
    case "last_month":
      return dayRange(addMonths(firstOfMonth, -1), addDays(firstOfMonth, -1), tz);
  }
}

/** The range just before `r`, of the same number of days ("last week" for "this week"). */
export function previousRange(r: DayRange): DayRange {
  const days = Math.round((Date.UTC(r.last.y, r.last.m - 1, r.last.d) - Date.UTC(r.first.y, r.first.m - 1, r.first.d)) / 86_400_000) + 1;
  // A whole month is compared with the whole month before it.
  if (r.first.d === 1 && addDays(r.last, 1).d === 1 && days >= 28) {
    const first = addMonths(r.first, -1);
    return dayRange(first, addDays(r.first, -1), r.tz);
  }
  return dayRange(addDays(r.first, -days), addDays(r.first, -1), r.tz);
}

/** The civil days of a range, in order. */
export function daysOf(r: DayRange): CivilDay[] {
  const out: CivilDay[] = [];
  for (let d = r.first; isoDay(d) <= isoDay(r.last); d = addDays(d, 1)) out.push(d);
  return out;
}

const rangeFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** "1–31 Oct 2026 (Europe/Madrid)", "28 Sept – 4 Oct 2026 (UTC)". */
export function describeRange(r: DayRange): string {
  const a = Date.UTC(r.first.y, r.first.m - 1, r.first.d);
  const b = Date.UTC(r.last.y, r.last.m - 1, r.last.d);
  // Intl puts thin spaces around the dash: none between two days of one month, plain ones otherwise.
  const text = a === b ? rangeFormat.format(a) : rangeFormat.formatRange(a, b).replace(/^(\d+)\s–\s(\d)/u, "$1–$2").replace(/[\u2009\u202f]/gu, " ");
  return `${text} (${r.tz})`;
}
