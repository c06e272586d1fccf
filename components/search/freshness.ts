import type { SearchResult } from "../../lib/search/types.ts";

/**
 * How long a search answer stays fresh in the browser. Orders change under a result (a tracking number
 * added, a status moved), so answers go stale quickly and a reopened palette asks again; while search
 * runs degraded, it asks again every few seconds so the notice clears once Elasticsearch is back.
 */
export const SEARCH_FRESHNESS = {
  staleTime: 2_000,
  refetchOnMount: "always",
  refetchInterval: (query: { state: { data?: SearchResult | { pages: SearchResult[] } } }) => {
    const data = query.state.data;
    const first = data && "pages" in data ? data.pages[0] : data;
    return first?.degraded ? 5_000 : false;
  },
} as const;
