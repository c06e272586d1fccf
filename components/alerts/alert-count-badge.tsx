"use client";
import { useQuery } from "@tanstack/react-query";

const POLL_MS = 30_000;

async function fetchOpenAlerts(): Promise<number> {
  const res = await fetch("/api/alerts/count", { cache: "no-store" });
  if (!res.ok) throw new Error(`alerts count: HTTP ${res.status}`);
  return ((await res.json()) as { data: { open: number } }).data.open;
}

/** The open-alert count beside "Alerts" in the navigation, refreshed by polling; shown only to roles with alerts:read. */
export function AlertCountBadge() {
  const { data } = useQuery({ queryKey: ["alerts", "count"], queryFn: fetchOpenAlerts, refetchInterval: POLL_MS, refetchIntervalInBackground: false });
  if (!data) return null;
  return (
    <span data-testid="alert-count" className="ml-0.5 inline-flex min-w-5 shrink-0 items-center justify-center rounded-full bg-rose-700 px-1.5 text-xs leading-5 font-semibold whitespace-nowrap text-white tabular-nums">
      {data > 999 ? "999+" : data}
      <span className="sr-only"> open alerts</span>
    </span>
  );
}
