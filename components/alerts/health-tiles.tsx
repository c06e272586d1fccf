import { Link } from "../ui/link.tsx";
import type { Change } from "../../lib/metrics/range.ts";
import { PERIOD_LABELS, PERIODS, type Period } from "../../lib/time-zone.ts";

export type HealthTile = { id: string; label: string; value: string; previous: string; change: Change; /** Which way is good news. */ better: "up" | "down" };

const tone = (t: HealthTile) =>
  t.change.direction === "up" || t.change.direction === "down" ? (t.change.direction === t.better ? "text-emerald-800" : "text-rose-800") : "text-slate-600";
const verdict = (t: HealthTile) => (t.change.direction === "up" || t.change.direction === "down" ? (t.change.direction === t.better ? " (better)" : " (worse)") : "");

/** This range's figures beside the previous range's, with the change: ▲/▼, % (or points for rates), and whether that is good. */
export function HealthTiles({ tiles, label, previousLabel }: { tiles: HealthTile[]; label: string; previousLabel: string }) {
  return (
    <section aria-labelledby="health-heading" className="space-y-2">
      <h2 id="health-heading" className="text-lg font-semibold">
        <span data-testid="health-range">{label}</span> <span className="text-sm font-normal text-slate-600">compared with {previousLabel}</span>
      </h2>
      <dl data-testid="metric-tiles" className="grid grid-cols-2 gap-3 md:grid-cols-5">
        {tiles.map((t) => (
          <div key={t.id} className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
            <dt className="text-xs text-slate-700">{t.label}</dt>
            <dd data-testid={`metric-${t.id}`} className="text-2xl font-semibold tabular-nums">
              {t.value}
            </dd>
            <dd data-testid={`change-${t.id}`} data-direction={t.change.direction} className={`text-sm font-medium tabular-nums ${tone(t)}`}>
              {t.change.text}
              {verdict(t)}
            </dd>
            <dd className="text-xs text-slate-600">before: {t.previous}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const labelClass = "block text-xs font-medium text-slate-700";

/** The range picker: presets in the viewer's zone, or custom days (typed, read by the server). */
export function MetricsRangeForm({ period, tz, from, to, error }: { period: Period; tz: string; from: string; to: string; error?: string }) {
  return (
    <form method="get" action="/alerts/metrics" aria-label="Choose the metrics range" data-testid="metrics-range" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
      <input type="hidden" name="tz" value={tz} />
      <label className={labelClass}>
        Period
        <select name="period" defaultValue={period} className={field}>
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              {PERIOD_LABELS[p]}
            </option>
          ))}
        </select>
      </label>
      <label className={labelClass}>
        From (custom)
        <input name="from" defaultValue={from} placeholder="2026-10-01" inputMode="numeric" className={field} />
      </label>
      <label className={labelClass}>
        To (custom, included)
        <input name="to" defaultValue={to} placeholder="2026-10-31" inputMode="numeric" className={field} />
      </label>
      <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700">
        Show
      </button>
      <Link href="/alerts/metrics" className="text-sm text-indigo-700 underline">
        This week
      </Link>
      <p className="w-full text-xs text-slate-600">
        Days in {tz}; weeks start on Monday.
        {error ? (
          <span role="alert" data-testid="metrics-range-error" className="ml-1 text-rose-700">
            {error}
          </span>
        ) : null}
      </p>
    </form>
  );
}
