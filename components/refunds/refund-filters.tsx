import { Link } from "../ui/link.tsx";
import { REFUND_STATUSES } from "../../db/schema/orders.ts";
import { humanStatus } from "../../lib/format.ts";
import type { RefundQuery } from "../../lib/refunds/filters.ts";
import { minorDigits } from "../../lib/currency.ts";
import { PERIODS, PERIOD_LABELS } from "../../lib/time-zone.ts";

type Person = { id: number; name: string };

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const label = "block text-xs font-medium text-slate-700";

/**
 * A plain GET form: the filters live in the URL, so a filtered view can be bookmarked and shared. Days are
 * the viewer's (`tz`, sent along); a preset period wins over typed days. Typed days are text, read by the
 * server (2026-10-31 or 31/10/2026), so a mistyped one is refused with a message instead of vanishing the
 * way a half-typed date field does.
 */
export function RefundFiltersForm({
  query,
  errors,
  requesters,
  deciders,
  currencies,
  keep,
}: {
  query: RefundQuery;
  errors: Record<string, string>;
  requesters: Person[];
  deciders: Person[];
  currencies: string[];
  /** The approval queue's own keys, carried along. */
  keep: Record<string, string>;
}) {
  const digits = minorDigits(query.currency ?? "EUR");
  const money = (v: number | undefined) => (v === undefined ? "" : (v / 10 ** digits).toFixed(digits));
  const err = (key: string) =>
    errors[key] ? (
      <span id={`${key}-error`} role="alert" className="mt-1 block text-xs text-rose-700">
        {errors[key]}
      </span>
    ) : null;
  const described = (key: string) => (errors[key] ? { "aria-describedby": `${key}-error`, "aria-invalid": true as const } : {});
  return (
    <form method="get" action="/refunds" data-testid="refund-filters" aria-label="Filter refunds" className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-4 lg:grid-cols-6">
      <input type="hidden" name="tz" value={query.tz} />
      {Object.entries(keep).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <label className={label}>
        Period
        <select name="period" defaultValue={query.period ?? ""} className={field} {...described("period")}>
          <option value="">Any time</option>
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              {PERIOD_LABELS[p]}
            </option>
          ))}
        </select>
        {err("period")}
      </label>
      <label className={label}>
        From (custom)
        <input name="from" inputMode="numeric" placeholder="2026-10-01 or 1/10/2026" defaultValue={query.from ?? ""} className={field} {...described("from")} />
        {err("from")}
      </label>
      <label className={label}>
        To (custom, included)
        <input name="to" inputMode="numeric" placeholder="2026-10-31" defaultValue={query.to ?? ""} className={field} {...described("to")} />
        {err("to")}
      </label>
      <label className={label}>
        Currency
        <select name="currency" defaultValue={query.currency ?? ""} className={field} {...described("currency")}>
          <option value="">All currencies</option>
          {currencies.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        {err("currency")}
      </label>
      <label className={label}>
        Status
        <select name="status" defaultValue={query.status ?? ""} className={field} {...described("status")}>
          <option value="">Any</option>
          {REFUND_STATUSES.map((s) => (
            <option key={s} value={s}>
              {humanStatus(s)}
            </option>
          ))}
        </select>
        {err("status")}
      </label>
      <label className={label}>
        Order number
        <input name="order" placeholder="SY-1000…" defaultValue={query.order ?? ""} className={field} {...described("order")} />
        {err("order")}
      </label>
      <label className={label}>
        Min amount
        <input name="min" inputMode="decimal" placeholder="0,00" defaultValue={money(query.min)} className={field} {...described("min")} />
        {err("min")}
      </label>
      <label className={label}>
        Max amount
        <input name="max" inputMode="decimal" placeholder="any" defaultValue={money(query.max)} className={field} {...described("max")} />
        {err("max")}
      </label>
      <label className={label}>
        Requested by
        <select name="requestedBy" defaultValue={query.requestedBy ? String(query.requestedBy) : ""} className={field}>
          <option value="">Anyone</option>
          {requesters.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Approved by
        <select name="decidedBy" defaultValue={query.decidedBy ? String(query.decidedBy) : ""} className={field}>
          <option value="">Anyone</option>
          {deciders.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <p className="col-span-full text-xs text-slate-600">
        Days run midnight to midnight in <span data-testid="filter-zone">{query.tz}</span>
        {errors.tz ? <span role="alert" className="ml-1 text-rose-700">{errors.tz}</span> : null}; weeks start on Monday.
      </p>
      <div className="col-span-full flex items-center gap-3">
        <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700">
          Apply filters
        </button>
        <Link href="/refunds" className="text-sm text-indigo-700 underline">
          Clear
        </Link>
      </div>
    </form>
  );
}
