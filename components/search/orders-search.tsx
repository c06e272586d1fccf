"use client";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState, type ReactNode } from "react";
import type { OrderStatus } from "../../db/schema/orders.ts";
import { EmptyState } from "../ui/empty-state.tsx";
import { fetchSearch, searchKey } from "./api.ts";
import { MAX_QUERY_LENGTH } from "../../lib/search/query.ts";
import { DegradedNotice } from "./degraded-notice.tsx";
import { SEARCH_FRESHNESS } from "./freshness.ts";
import { HitSummary } from "./hit-summary.tsx";
import { useDebounced } from "./use-debounced.ts";

const PAGE = 25;
const DEBOUNCE_MS = 250;

/**
 * The search box on /orders. While it holds a query, its results replace the order table
 * (`children`); the query lives in the URL (?q=) so a search can be shared and survives reload.
 */
export function OrdersSearch({ initialQuery, status, children }: { initialQuery: string; status?: OrderStatus; children: ReactNode }) {
  const [q, setQ] = useState(initialQuery);
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
  const results = useInfiniteQuery({
    queryKey: [...searchKey({ q: query, status: statuses, limit: PAGE }), "pages"],
    queryFn: ({ pageParam, signal }) => fetchSearch({ q: query, status: statuses, cursor: pageParam, limit: PAGE }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    retry: false,
    ...SEARCH_FRESHNESS,
  });

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
        {hits.map((hit) => (
          <li key={hit.orderId} data-testid="search-result">
            <Link href={`/orders/${encodeURIComponent(hit.number)}`} className="flex px-4 py-2.5 hover:bg-slate-50">
              <HitSummary hit={hit} />
            </Link>
          </li>
        ))}
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
