import type { Metadata } from "next";
import { Link } from "../../../components/ui/link.tsx";
import { requirePermission } from "../../../lib/auth/guard.ts";
import { can } from "../../../lib/auth/permissions.ts";
import { countOrdersByStatus, decodeCursor, encodeCursor, listOrders } from "../../../db/queries/orders.ts";
import { ORDER_STATUSES, type OrderStatus } from "../../../db/schema/index.ts";
import { formatMoney, humanStatus } from "../../../lib/format.ts";
import { StatusBadge } from "../../../components/ui/status-badge.tsx";
import { LocalTime } from "../../../components/ui/local-time.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { OrdersSearch } from "../../../components/search/orders-search.tsx";
import { StatusFilter } from "../../../components/orders/status-filter.tsx";

export const metadata: Metadata = { title: "Orders" };

type Search = Record<string, string | string[] | undefined>;

function one(v: string | string[] | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function href(params: { status?: string; after?: string; before?: string }): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `/orders?${s}` : "/orders";
}

export default async function OrdersPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePermission("orders:read");
  // Order totals are payment details: a role without orders:read_payment never receives them.
  const showTotals = can(user, "orders:read_payment");
  const params = await searchParams;
  const rawStatus = one(params.status);
  const status = ORDER_STATUSES.includes(rawStatus as OrderStatus) ? (rawStatus as OrderStatus) : undefined;
  const q = one(params.q)?.trim() ?? "";
  const after = decodeCursor(one(params.after));
  const before = after ? null : decodeCursor(one(params.before));
  // A page link we did not make is said to be wrong, never quietly answered with page one.
  const badCursor = (one(params.after) !== undefined && !after) || (!after && one(params.before) !== undefined && !before);
  const { rows, hasOlder, hasNewer } = listOrders({ status, after, before });
  const counts = countOrdersByStatus();
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const first = rows[0];
  const last = rows.at(-1);

  return (
    <div className="space-y-4">
      <div className="flex items-end justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Orders</h1>
          <p className="text-sm text-slate-500">Newest first. {total.toLocaleString("en-GB")} orders in all.</p>
        </div>
        <Link href="/orders/preview" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100">
          Routing preview
        </Link>
      </div>

      <StatusFilter
        active={status ?? null}
        chips={[{ label: "All", count: total, status: null }, ...ORDER_STATUSES.map((s) => ({ label: humanStatus(s), count: counts[s], status: s }))]}
      />

      <OrdersSearch initialQuery={q} status={status}>
        {badCursor ? (
          <p role="alert" data-testid="page-cursor-error" className="rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800">
            This page link is not valid: a page position is a time and an order id.{" "}
            <Link className="underline" href={href({ status })}>Start from the first page</Link>.
          </p>
        ) : rows.length === 0 ? (
          <EmptyState title={status ? `No ${humanStatus(status).toLowerCase()} orders` : "No orders yet"}>
            {status ? (
              <Link className="text-indigo-700 underline" href="/orders">
                Show all orders
              </Link>
            ) : (
              "Orders appear here as soon as they are placed."
            )}
          </EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table data-testid="orders-table" className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">Orders{status ? ` with status ${humanStatus(status)}` : ""}, newest first</caption>
              <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
                <tr>
                  <th scope="col" className="px-4 py-2">Order</th>
                  <th scope="col" className="px-4 py-2">Status</th>
                  <th scope="col" className="px-4 py-2">Customer</th>
                  <th scope="col" className="px-4 py-2">Ship to</th>
                  <th scope="col" className="px-4 py-2 text-right">Lines</th>
                  {showTotals ? <th scope="col" className="px-4 py-2 text-right">Total</th> : null}
                  <th scope="col" className="px-4 py-2">Placed</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((o) => (
                  <tr key={o.id} data-testid="order-row" className="hover:bg-slate-50">
                    <td className="px-4 py-2 font-mono">
                      <Link href={`/orders/${o.number}`} className="font-medium text-indigo-700 hover:underline">
                        {o.number}
                      </Link>
                    </td>
                    <td className="px-4 py-2"><StatusBadge status={o.status} /></td>
                    <td className="px-4 py-2">{o.customerName}</td>
                    <td className="px-4 py-2 text-slate-600">{o.city}, {o.country}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{o.lineCount}</td>
                    {showTotals ? <td className="px-4 py-2 text-right tabular-nums" data-testid="order-total">{formatMoney(o.total, o.currency)}</td> : null}
                    <td className="px-4 py-2 text-slate-600 whitespace-nowrap"><LocalTime ms={o.placedAt} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        <nav aria-label="Pages" className="flex items-center justify-between">
          {hasNewer && first ? (
            <Link data-testid="page-newer" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100" href={href({ status, before: encodeCursor(first) })}>
              ← Newer
            </Link>
          ) : (
            <span />
          )}
          {hasOlder && last ? (
            <Link data-testid="page-older" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100" href={href({ status, after: encodeCursor(last) })}>
              Older →
            </Link>
          ) : null}
        </nav>
      </OrdersSearch>
    </div>
  );
}
