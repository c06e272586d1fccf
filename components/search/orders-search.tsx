"use client";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "../ui/link.tsx";
import { useSearchParams } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import type { OrderStatus } from "../../db/schema/orders.ts";
import { EmptyState } from "../ui/empty-state.tsx";
import { fetchSearch, searchKey } from "./api.ts";
import { MAX_QUERY_LENGTH } from "../../lib/search/query.ts";
import { DegradedNotice } from "./degraded-notice.tsx";
import { SEARCH_FRESHNESS } from "./freshness.ts";
import { HitSummary } from "./hit-summary.tsx";
import { useDebounced } from "./use-debounced.ts";
import { listQuery, withFrom } from "../../lib/orders/list-link.ts";
import type { SearchHit } from "../../lib/search/types.ts";
import { byCustomer, groupCountText } from "./customer-groups.ts";

const PAGE = 25;
const DEBOUNCE_MS = 250;

/**
 * The search box on /orders. While it holds a query, its results replace the order table
 * (`children`); the query lives in the URL (?q=) so a search can be shared and survives reload.
 */
export function OrdersSearch({ initialQuery, status, children }: { initialQuery: string; status?: OrderStatus; children: ReactNode }) {
  // The URL first: after Back, Next.js may show this page from the payload it had before the search was typed.
  const urlQuery = useSearchParams().get("q");
  const [q, setQ] = useState(() => urlQuery ?? initialQuery);
  const query = useDebounced(q.trim(), DEBOUNCE_MS);

  useEffect(() => {
    const url = new URL(window.location.href);
    if ((url.searchParams.get("q") ?? "") === query) return;
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    url.searchParams.delete("after");
    url.searchParams.delete("before");
    // null, not the current state: Next.js then syncs useSearchParams, so the status chips carry the query.
    window.history.replaceState(null, "", url);
  }, [query]);

  return (
    <div className="space-y-4">
      <form role="search" aria-label="Orders" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="orders-search" className="sr-only">
          Search orders
        </label>
        <input
          id="orders-search"
          type="search"
          data-testid="orders-search-input"
          placeholder="Search by order number, customer, email, phone, SKU, product, tracking number, city or postcode"
          autoComplete="off"
          spellCheck={false}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-indigo-500"
        />
      </form>
      {query.length > MAX_QUERY_LENGTH ? (
        <p role="alert" data-testid="search-error" className="rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800">
          Search for at most {MAX_QUERY_LENGTH} characters; this query has {query.length}. Shorten it to an order number, a name, an email or a SKU.
        </p>
      ) : query ? (
        <SearchResults query={query} status={status} />
      ) : (
        children
      )}
    </div>
  );
}

function SearchResults({ query, status }: { query: string; status?: OrderStatus }) {
  const statuses = status ? [status] : undefined;
  const from = listQuery({ q: query, status });
  const results = useInfiniteQuery({
    queryKey: [...searchKey({ q: query, status: statuses, limit: PAGE }), "pages"],
    queryFn: ({ pageParam, signal }) => fetchSearch({ q: query, status: statuses, cursor: pageParam, limit: PAGE }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    retry: false,
    ...SEARCH_FRESHNESS,
  });

  // While trying again the last error is not shown: it may no longer be true.
  if (results.isError && results.isFetching) return <p role="status" className="text-sm text-slate-500">Trying again…</p>;
  if (results.isError) {
    return (
      <div role="alert" data-testid="search-error" className="flex items-center justify-between rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800">
        {results.error.message}
        <button type="button" onClick={() => results.refetch()} className="rounded border border-rose-300 bg-white px-2 py-1 text-xs">
          Try again
        </button>
      </div>
    );
  }
  const hits = results.data?.pages.flatMap((p) => p.hits) ?? [];
  if (results.isPending) return <p role="status" className="text-sm text-slate-500">Searching…</p>;
  const notice = <DegradedNotice result={results.data?.pages.at(-1)} />;
  if (hits.length === 0) {
    return (
      <div className="space-y-3">
        {notice}
        <EmptyState title={`No orders match “${query}”${status ? " with this status" : ""}`}>
          Check the spelling, or try an order number, email, phone ending, SKU or tracking number.
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      {notice}
      <p role="status" className="text-sm text-slate-500">
        {hits.length}
        {results.hasNextPage ? "+" : ""} {hits.length === 1 ? "order matches" : "orders match"} “{query}”, best matches first.
      </p>
      <ul data-testid="search-results" className="divide-y divide-slate-100 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
        {byCustomer(hits).map((group) =>
          group.length === 1 ? (
            <HitRow key={group[0]!.orderId} hit={group[0]!} from={from} />
          ) : (
            <li key={`c${group[0]!.customerId}`} data-testid="customer-group" className="bg-slate-50/60">
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 pt-2.5 pb-1 text-sm">
                <span className="font-medium text-slate-900">{group[0]!.customerName}</span>
                {group[0]!.email ? <span className="text-xs text-slate-600">{group[0]!.email}</span> : null}
                <span data-testid="customer-group-count" className="rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700">
                  {groupCountText(group.length, results.hasNextPage)}
                </span>
                <Link href={withFrom(`/customers/${group[0]!.customerId}`, from)} data-testid="customer-link" data-focus-inset className="ml-auto text-xs text-indigo-700 hover:underline">
                  All orders of {group[0]!.customerName} →
                </Link>
              </div>
              <ul className="divide-y divide-slate-100 border-l-4 border-slate-200 ml-4">
                {group.map((hit) => (
                  <HitRow key={hit.orderId} hit={hit} from={from} grouped />
                ))}
              </ul>
            </li>
          ),
        )}
      </ul>
      {results.hasNextPage ? (
        <button
          type="button"
          data-testid="search-more"
          disabled={results.isFetchingNextPage}
          onClick={() => results.fetchNextPage()}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-50"
        >
          {results.isFetchingNextPage ? "Loading…" : "More results"}
        </button>
      ) : null}
    </div>
  );
}

/** One order of the results: the order link (carrying the search, for "← Orders"), and the customer's page beside it. */
function HitRow({ hit, from, grouped = false }: { hit: SearchHit; from: string; grouped?: boolean }) {
  return (
    <li className="flex items-stretch">
      <div data-testid="search-result" className="flex min-w-0 flex-1">
        <Link href={withFrom(`/orders/${encodeURIComponent(hit.number)}`, from)} data-focus-inset className="flex min-w-0 flex-1 px-4 py-2.5 hover:bg-slate-50">
          <HitSummary hit={hit} />
        </Link>
      </div>
      {grouped ? null : (
        <Link
          href={withFrom(`/customers/${hit.customerId}`, from)}
          data-testid="customer-link"
          data-focus-inset
          className="flex shrink-0 items-center border-l border-slate-100 px-3 text-xs text-indigo-700 hover:bg-slate-50 hover:underline"
        >
          Customer<span className="sr-only"> page of {hit.customerName}</span>
        </Link>
      )}
    </li>
  );
}
