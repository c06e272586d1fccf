import Link from "next/link";
import { REFUND_STATUSES } from "../../db/schema/orders.ts";
import { humanStatus } from "../../lib/format.ts";
import type { RefundFilters } from "../../lib/refunds/filters.ts";

type Person = { id: number; name: string };

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const label = "block text-xs font-medium text-slate-700";

/** A plain GET form: the filters live in the URL, so a filtered view can be bookmarked and shared. */
export function RefundFiltersForm({ filters, errors, requesters, deciders }: { filters: RefundFilters; errors: Record<string, string>; requesters: Person[]; deciders: Person[] }) {
  const money = (v: number | undefined) => (v === undefined ? "" : (v / 100).toFixed(2));
  const err = (key: string) =>
    errors[key] ? (
      <span id={`${key}-error`} role="alert" className="mt-1 block text-xs text-rose-700">
        {errors[key]}
      </span>
    ) : null;
  const described = (key: string) => (errors[key] ? { "aria-describedby": `${key}-error`, "aria-invalid": true as const } : {});
  return (
    <form method="get" action="/refunds" data-testid="refund-filters" aria-label="Filter refunds" className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-4 lg:grid-cols-8">
      <label className={label}>
        From (UTC)
        <input type="date" name="from" defaultValue={filters.from ?? ""} className={field} {...described("from")} />
        {err("from")}
      </label>
      <label className={label}>
        To (UTC)
        <input type="date" name="to" defaultValue={filters.to ?? ""} className={field} {...described("to")} />
        {err("to")}
      </label>
      <label className={label}>
        Status
        <select name="status" defaultValue={filters.status ?? ""} className={field}>
          <option value="">Any</option>
          {REFUND_STATUSES.map((s) => (
            <option key={s} value={s}>
              {humanStatus(s)}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Min amount
        <input name="min" inputMode="decimal" placeholder="0.00" defaultValue={money(filters.min)} className={field} {...described("min")} />
        {err("min")}
      </label>
      <label className={label}>
        Max amount
        <input name="max" inputMode="decimal" placeholder="any" defaultValue={money(filters.max)} className={field} {...described("max")} />
        {err("max")}
      </label>
      <label className={label}>
        Requested by
        <select name="requestedBy" defaultValue={filters.requestedBy ? String(filters.requestedBy) : ""} className={field}>
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
        <select name="decidedBy" defaultValue={filters.decidedBy ? String(filters.decidedBy) : ""} className={field}>
          <option value="">Anyone</option>
          {deciders.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Order number
        <input name="order" placeholder="SY-1000…" defaultValue={filters.order ?? ""} className={field} {...described("order")} />
        {err("order")}
      </label>
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
