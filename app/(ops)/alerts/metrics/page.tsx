import type { Metadata } from "next";
import { requirePermission } from "../../../../lib/auth/guard.ts";
import { can } from "../../../../lib/auth/permissions.ts";
import { ordersByStatus, paidToShipped, routingMetrics } from "../../../../db/queries/metrics.ts";
import { alertCountsByRule } from "../../../../db/queries/alerts.ts";
import { RULE_LABELS } from "../../../../lib/alerts/rules.ts";
import { humanStatus } from "../../../../lib/format.ts";
import { PageHeader } from "../../../../components/ui/table.tsx";
import { AlertsTabs } from "../../../../components/alerts/alerts-tabs.tsx";
import { ChartFigure, CountBars, RateLines, StackedAlertBars } from "../../../../components/alerts/metrics-charts.tsx";
import { SearchIndexStatus } from "../../../../components/search/index-status.tsx";
import { searchSyncStatus } from "../../../../lib/search/sync-state.ts";
import { consumerStatuses } from "../../../../lib/worker/cursors.ts";
import { deliveryMetrics } from "../../../../lib/worker/delivery-metrics.ts";
import { DeliveryPanel } from "../../../../components/alerts/delivery-panel.tsx";
import { env } from "../../../../lib/env.ts";
import { database } from "../../../../db/index.ts";

export const metadata: Metadata = { title: "Metrics" };
export const dynamic = "force-dynamic";

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const hours = (h: number | null) => (h === null ? "—" : h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} d`);

function DataTable({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <table className="mt-2 w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} scope="col" className="py-1 pr-4 font-medium">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={String(r[0])}>
            {r.map((c, i) => (
              <td key={i} className="py-0.5 pr-4 tabular-nums">
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default async function MetricsPage() {
  const user = await requirePermission("metrics:read");
  const statuses = ordersByStatus().map((s) => ({ ...s, label: humanStatus(s.status) }));
  const routing = routingMetrics();
  const shipping = paidToShipped();
  const alerts = alertCountsByRule().map((a) => ({ ...a, label: RULE_LABELS[a.rule] ?? humanStatus(a.rule) }));

  return (
    <div className="space-y-4">
      <PageHeader title="Metrics">Operational health: where orders are, how routing splits, how fast paid orders ship, what is stuck.</PageHeader>
      <AlertsTabs current="metrics" showMetrics={can(user, "metrics:read")} />
      <dl data-testid="metric-tiles" className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {[
          ["Paid → shipped, median", hours(shipping.p50Hours), "p50"],
          ["Paid → shipped, 95th percentile", hours(shipping.p95Hours), "p95"],
          ["Split rate", pct(routing.splitRate), "split-rate"],
          ["Backorder rate", pct(routing.backorderRate), "backorder-rate"],
        ].map(([label, value, id]) => (
          <div key={id} className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
            <dt className="text-xs text-slate-700">{label}</dt>
            <dd data-testid={`metric-${id}`} className="text-2xl font-semibold tabular-nums">
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <SearchIndexStatus
        alias={env().ELASTICSEARCH_INDEX}
        sync={searchSyncStatus(database(), env().ELASTICSEARCH_INDEX, Boolean(env().ELASTICSEARCH_URL))}
        consumers={consumerStatuses(database())}
      />
      <DeliveryPanel consumers={deliveryMetrics(database())} linkDeadLetters={can(user, "admin:settings")} />
      <div className="grid gap-4 lg:grid-cols-2">
        <ChartFigure
          testId="chart-orders-by-status"
          title="Orders by status"
          table={<DataTable caption="Orders by status" head={["Status", "Orders"]} rows={statuses.map((s) => [s.label, s.orders])} />}
        >
          <CountBars data={statuses} x="label" y="orders" />
        </ChartFigure>
        <ChartFigure
          testId="chart-routing"
          title="Routing outcomes"
          summary={`${routing.total.toLocaleString("en-GB")} decisions · split ${pct(routing.splitRate)} · backordered ${pct(routing.backorderRate)}`}
          table={<DataTable caption="Routing outcomes" head={["Outcome", "Decisions"]} rows={routing.outcomes.map((o) => [humanStatus(o.outcome), o.decisions])} />}
        >
          <CountBars data={routing.outcomes.map((o) => ({ ...o, label: humanStatus(o.outcome) }))} x="label" y="decisions" />
        </ChartFigure>
        <ChartFigure
          testId="chart-rates"
          title="Split and backorder rate per day"
          summary="The 30 days up to the latest routing decision (UTC days)."
          table={<DataTable caption="Split and backorder rate per day" head={["Day", "Decisions", "Split", "Backordered"]} rows={routing.daily.map((d) => [d.day, d.decisions, pct(d.splitRate), pct(d.backorderRate)])} />}
        >
          <RateLines data={routing.daily} />
        </ChartFigure>
        <ChartFigure
          testId="chart-paid-to-shipped"
          title="Time from paid to first shipment"
          summary={`${shipping.orders.toLocaleString("en-GB")} orders shipped · p50 ${hours(shipping.p50Hours)} · p95 ${hours(shipping.p95Hours)}`}
          table={<DataTable caption="Time from paid to first shipment" head={["Time", "Orders"]} rows={shipping.histogram.map((b) => [b.bucket, b.orders])} />}
        >
          <CountBars data={shipping.histogram} x="bucket" y="orders" />
        </ChartFigure>
        <ChartFigure
          testId="chart-alerts"
          title="Live alerts by rule"
          table={<DataTable caption="Live alerts by rule" head={["Rule", "Open", "Acknowledged"]} rows={alerts.map((a) => [a.label, a.open, a.acknowledged])} />}
        >
          <StackedAlertBars data={alerts} />
        </ChartFigure>
      </div>
    </div>
  );
}
