import { Link } from "../ui/link.tsx";
import { formatMoney } from "../../lib/format.ts";
import { queueQueryString, type QueueCurrencySummary, type QueueQuery } from "../../lib/refunds/queue.ts";

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const label = "block text-xs font-medium text-slate-700";
const pagerLink = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100";

/** The heading and, per currency, how many requests wait and where they stand against that currency's limit. */
export function QueueSummary({ total, summaries }: { total: number; summaries: QueueCurrencySummary[] }) {
  return (
    <div>
      <h2 id="queue-heading" className="text-lg font-semibold">
        Waiting for approval <span className="text-slate-600">({total})</span>
      </h2>
      <p className="text-sm text-slate-600">
        Refunds that would take what agents refunded on one order past the limit for its currency. Approving pays out at once; rejecting keeps the money
        where it is, and pays any cancellation refund held behind the request.
      </p>
      {summaries.length ? (
        <ul data-testid="queue-summary" className="mt-2 flex flex-wrap gap-2 text-sm">
          {summaries.map((s) => (
            <li key={s.currency} data-testid="queue-currency" data-currency={s.currency} className="rounded-md border border-amber-200 bg-amber-50 px-3 py-1.5 text-amber-950">
              <span className="font-semibold">{s.currency}</span>: {s.waiting} waiting ·{" "}
              <span data-testid="queue-over">{s.over}</span> over the {formatMoney(s.limit, s.currency)} limit
              {s.within ? (
                <>
                  {" "}
                  · <span data-testid="queue-within">{s.within}</span> within it now (asked under a lower limit)
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * Search, currency and sort for the queue: a GET form whose keys start with q, carrying the history's
 * filters along as hidden fields so neither list loses the other's state.
 */
export function QueueControls({ query, currencies, keep }: { query: QueueQuery; currencies: string[]; keep: Record<string, string> }) {
  return (
    <form method="get" action="/refunds" role="search" aria-label="Search the approval queue" data-testid="queue-controls" className="flex flex-wrap items-end gap-3">
      {Object.entries(keep).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <label className={`${label} w-64`}>
        Order number or customer
        <input name="qq" type="search" defaultValue={query.search ?? ""} placeholder="SY-1000…, name or email" className={field} />
      </label>
      <label className={label}>
        Currency
        <select name="qcurrency" defaultValue={query.currency ?? ""} className={field}>
          <option value="">All</option>
          {currencies.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <label className={label}>
        Sort
        <select name="qsort" defaultValue={query.sort} className={field}>
          <option value="oldest">Oldest first</option>
          <option value="newest">Newest first</option>
          <option value="largest">Largest first</option>
        </select>
      </label>
      <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700">
        Show
      </button>
    </form>
  );
}

export function QueuePager({ query, pages, matching, keep }: { query: QueueQuery; pages: number; matching: number; keep: Record<string, string> }) {
  const href = (page: number) => `/refunds?${new URLSearchParams({ ...keep, ...Object.fromEntries(Object.entries(queueQueryString(query, page)).filter(([, v]) => v) as [string, string][]) })}#queue-heading`;
  return (
    <nav aria-label="Approval queue pages" data-testid="queue-pager" className="flex items-center justify-between text-sm">
      {query.page > 1 ? (
        <Link className={pagerLink} href={href(query.page - 1)}>
          ← Previous
        </Link>
      ) : (
        <span />
      )}
      <span data-testid="queue-page" className="text-slate-700">
        Page {Math.min(query.page, pages)} of {pages} · {matching} matching
      </span>
      {query.page < pages ? (
        <Link data-testid="queue-next" className={pagerLink} href={href(query.page + 1)}>
          Next →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
