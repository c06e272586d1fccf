import { Link } from "../ui/link.tsx";

/** Alerts and metrics are one manager's screen in two tabs. */
export function AlertsTabs({ current, showMetrics }: { current: "alerts" | "metrics"; showMetrics: boolean }) {
  const tab = (active: boolean) => `rounded-t-md border-b-2 px-3 py-2 text-sm font-medium ${active ? "border-indigo-600 text-indigo-800" : "border-transparent text-slate-700 hover:text-slate-900"}`;
  return (
    <nav aria-label="Alerts sections" className="flex gap-2 border-b border-slate-200">
      <Link href="/alerts" aria-current={current === "alerts" ? "page" : undefined} className={tab(current === "alerts")}>
        Alerts
      </Link>
      {showMetrics ? (
        <Link href="/alerts/metrics" aria-current={current === "metrics" ? "page" : undefined} className={tab(current === "metrics")}>
          Metrics
        </Link>
      ) : null}
    </nav>
  );
}
