import type { SearchResult } from "../../lib/search/types.ts";

/** Says so when the answer came from the local (embedded) index although Elasticsearch is configured. */
export function DegradedNotice({ result, className = "" }: { result: SearchResult | undefined; className?: string }) {
  if (!result?.degraded) return null;
  return (
    <p data-testid="search-degraded" data-reason={result.reason ?? undefined} className={`rounded-md border border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900 ${className}`}>
      Search is running on the local index{result.notice ? `: ${result.notice}` : ""}. Exact order numbers, emails and tracking numbers still find their orders.
    </p>
  );
}
