"use client";
import { Link } from "../ui/link.tsx";
import { useSearchParams } from "next/navigation";

type StatusChip = { label: string; count: number; status: string | null };

/**
 * The status chips on /orders. Client-side so each chip carries the search box's current query (the
 * box keeps it in the URL as it is typed): filtering by status keeps the search.
 */
export function StatusFilter({ chips, active }: { chips: StatusChip[]; active: string | null }) {
  const q = useSearchParams().get("q")?.trim() ?? "";
  const href = (status: string | null) => {
    const params = new URLSearchParams();
    if (status) params.set("status", status);
    if (q) params.set("q", q);
    const s = params.toString();
    return s ? `/orders?${s}` : "/orders";
  };
  return (
    <nav aria-label="Filter by status" data-testid="status-filter" className="flex flex-wrap gap-2">
      {chips.map((c) => {
        const on = c.status === active;
        return (
          <Link
            key={c.status ?? "all"}
            href={href(c.status)}
            aria-current={on ? "true" : undefined}
            className={`rounded-full border px-3 py-1 text-xs font-medium ${on ? "border-indigo-600 bg-indigo-600 text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-100"}`}
          >
            {c.label} <span className={on ? "text-indigo-100" : "text-slate-500"}>{c.count.toLocaleString("en-GB")}</span>
          </Link>
        );
      })}
    </nav>
  );
}
