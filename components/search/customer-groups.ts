import type { SearchHit } from "../../lib/search/types.ts";

/** Hits of one customer together, at the place of their best-ranked order; ranking is kept otherwise. */
export function byCustomer(hits: SearchHit[]): SearchHit[][] {
  const groups = new Map<number, SearchHit[]>();
  for (const h of hits) groups.set(h.customerId, [...(groups.get(h.customerId) ?? []), h]);
  return [...groups.values()];
}

/**
 * A group's count. It counts the results loaded so far: while more results can be loaded, it says so
 * ("3 of the orders shown") rather than claim the customer has no other matching order.
 */
export function groupCountText(count: number, more: boolean): string {
  return more ? `${count} of the orders shown` : `${count} matching orders`;
}
