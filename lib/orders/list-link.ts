import { ORDER_STATUSES, type OrderStatus } from "../../db/schema/orders.ts";

/** The list's state a link back to it keeps, the search and the status chip ("q=garcia&status=paid"); "" for the plain list. */
export function listQuery(params: { q?: string | null; status?: OrderStatus | string | null }): string {
  const out = new URLSearchParams();
  const q = params.q?.trim();
  if (q) out.set("q", q);
  if (params.status && ORDER_STATUSES.includes(params.status as OrderStatus)) out.set("status", params.status);
  return out.toString();
}

/** A page opened from the list (an order, a customer) carries the list's state as `from`, so its "← Orders" returns to the same search. */
export function withFrom(path: string, from: string): string {
  return from ? `${path}?${new URLSearchParams({ from })}` : path;
}

/** The "← Orders" link of a page opened from the list: `/orders` with the search and status it came from, never anything else. */
export function ordersListHref(from: string | string[] | undefined): string {
  const q = fromParam(from);
  return q ? `/orders?${q}` : "/orders";
}

/** A `from` parameter as it may be passed on: only the search and a known status survive. */
export function fromParam(from: string | string[] | undefined): string {
  if (typeof from !== "string") return "";
  const given = new URLSearchParams(from);
  return listQuery({ q: given.get("q"), status: given.get("status") });
}
