import { OPEN_SHIPMENT_STATUSES, type OpenShipmentStatus } from "../orders/ship-by.ts";

/** The warehouse queue's ship-by filter: overdue, or due on a UTC day range. */
export const DUE_FILTERS = ["overdue", "today", "tomorrow", "week"] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

export const DUE_LABELS: Record<DueFilter, string> = { overdue: "Overdue", today: "Today", tomorrow: "Tomorrow", week: "This week" };

const DAY = 86_400_000;

export type QueueFilters = {
  /** null: every location ("all" in the URL). */
  locationId: number | null;
  status: OpenShipmentStatus | null;
  due: DueFilter | null;
  after: { shipBy: number; id: number } | null;
};

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

/**
 * Reads the queue's filters from the URL. With no location in the URL, a lead's saved default
 * location applies; `location=all` asks for every location explicitly.
 */
export function readQueueFilters(params: Search, defaultLocationId: number | null): QueueFilters {
  const loc = one(params.location);
  const locationId = loc === "all" ? null : loc && /^\d{1,9}$/.test(loc) ? Number(loc) : defaultLocationId;
  const status = OPEN_SHIPMENT_STATUSES.find((s) => s === one(params.status)) ?? null;
  const due = DUE_FILTERS.find((d) => d === one(params.due)) ?? null;
  const m = one(params.after)?.match(/^(\d{1,15})\.(\d{1,12})$/);
  return { locationId, status, due, after: m ? { shipBy: Number(m[1]), id: Number(m[2]) } : null };
}

/** The URL of the queue with these filters (the location always explicit, so a default never hides a choice). */
export function queueHref(f: Partial<QueueFilters>): string {
  const q = new URLSearchParams();
  if (f.locationId !== undefined) q.set("location", f.locationId === null ? "all" : String(f.locationId));
  if (f.status) q.set("status", f.status);
  if (f.due) q.set("due", f.due);
  if (f.after) q.set("after", `${f.after.shipBy}.${f.after.id}`);
  return q.size ? `/shipments?${q}` : "/shipments";
}

/**
 * The ship-by window a filter means at `now`, on UTC days: today and tomorrow are whole days, this
 * week runs from today to the end of Sunday. Overdue has no window: it is past the due time (lib/orders/ship-by.ts).
 */
export function dueWindow(due: DueFilter | null, now: number): { from: number; to: number } | null {
  const today = Math.floor(now / DAY) * DAY;
  if (due === "today") return { from: today, to: today + DAY };
  if (due === "tomorrow") return { from: today + DAY, to: today + 2 * DAY };
  if (due === "week") {
    const weekday = (new Date(today).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
    return { from: today, to: today + (7 - weekday) * DAY };
  }
  return null;
}

export function queueStatuses(f: QueueFilters): readonly OpenShipmentStatus[] {
  return f.status ? [f.status] : OPEN_SHIPMENT_STATUSES;
}
