import type { Metadata } from "next";
import { requirePermission } from "../../../../lib/auth/guard.ts";
import { can } from "../../../../lib/auth/permissions.ts";
import { cookies } from "next/headers";
import { dailyActivity, ordersByStatus, ordersPlaced, paidToShipped, routingMetrics } from "../../../../db/queries/metrics.ts";
import { changeOf, dayBuckets, parseMetricsPeriod } from "../../../../lib/metrics/range.ts";
import { TZ_COOKIE } from "../../../../lib/refunds/viewer-zone.ts";
import { isoDay } from "../../../../lib/time-zone.ts";
import { HealthTiles, MetricsRangeForm } from "../../../../components/alerts/health-tiles.tsx";
import { DailyHealthChart } from "../../../../components/alerts/daily-health-chart.tsx";
import { TimeZoneCookie } from "../../../../components/ui/time-zone-cookie.tsx";
import { alertCountsByRule } from "../../../../db/queries/alerts.ts";
import { RULE_LABELS } from "../../../../lib/alerts/rules.ts";
import { humanStatus } from "../../../../lib/format.ts";
import { PageHeader } from "../../../../components/ui/table.tsx";
import { AlertsTabs } from "../../../../components/alerts/alerts-tabs.tsx";
import { ChartFigure, CountBars, StackedAlertBars } from "../../../../components/alerts/metrics-charts.tsx";
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

export default async function MetricsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePermission("metrics:read");
  const cookieZone = (await cookies()).get(TZ_COOKIE)?.value;
  const range = parseMetricsPeriod(await searchParams, { defaultTz: cookieZone });
  const statuses = ordersByStatus().map((s) => ({ ...s, label: humanStatus(s.status) }));
  const routing = routingMetrics(range.current);
  const routingBefore = routingMetrics(range.previous);
  const shipping = paidToShipped(range.current);
  const shippingBefore = paidToShipped(range.previous);
  const placed = ordersPlaced(range.current);
  const placedBefore = ordersPlaced(range.previous);
  const buckets = dayBuckets(range.current);
  const daily = dailyActivity(buckets).map((d, i) => ({
    day: buckets[i]!.day,
    label: buckets[i]!.label,
    orders: d.orders,
    decisions: d.decisions,
    splitPct: d.decisions ? Math.round((d.split / d.decisions) * 1000) / 10 : null,
    backorderPct: d.decisions ? Math.round((d.backordered / d.decisions) * 1000) / 10 : null,
  }));
  const alerts = alertCountsByRule().map((a) => ({ ...a, label: RULE_LABELS[a.rule] ?? humanStatus(a.rule) }));
  const count = (n: number) => n.toLocaleString("en-GB");
  const rate = (x: number, total: number) => (total ? pct(x) : "—");

  return (
    <div className="space-y-4">
      <TimeZoneCookie rendered={cookieZone ?? ""} />
      <PageHeader title="Metrics">Is the operation healthy: this range against the one before, where orders are now, what is stuck.</PageHeader>
      <AlertsTabs current="metrics" showMetrics={can(user, "metrics:read")} />
      <MetricsRangeForm period={range.period} tz={range.tz} from={isoDay(range.current.first)} to={isoDay(range.current.last)} error={range.error} />
      <HealthTiles
        label={range.label}
        previousLabel={range.previousLabel}
        tiles={[
          { id: "orders-placed", label: "Orders placed", value: count(placed), previous: count(placedBefore), change: changeOf(placed, placedBefore, "relative"), better: "up" },
          { id: "p50", label: "Paid → shipped, median", value: hours(shipping.p50Hours), previous: hours(shippingBefore.p50Hours), change: changeOf(shipping.p50Hours, shippingBefore.p50Hours, "relative"), better: "down" },
          { id: "p95", label: "Paid → shipped, 95th percentile", value: hours(shipping.p95Hours), previous: hours(shippingBefore.p95Hours), change: changeOf(shipping.p95Hours, shippingBefore.p95Hours, "relative"), better: "down" },
          {
            id: "split-rate",
            label: "Split rate",
            value: rate(routing.splitRate, routing.total),
            previous: rate(routingBefore.splitRate, routingBefore.total),
            change: changeOf(routing.total ? routing.splitRate : null, routingBefore.total ? routingBefore.splitRate : null, "points"),
            better: "down",
          },
          {
            id: "backorder-rate",
            label: "Backorder rate",
            value: rate(routing.backorderRate, routing.total),
            previous: rate(routingBefore.backorderRate, routingBefore.total),
            change: changeOf(routing.total ? routing.backorderRate : null, routingBefore.total ? routingBefore.backorderRate : null, "points"),
            better: "down",
          },
        ]}
      />
      <ChartFigure
        testId="chart-daily"
        title="Per day"
        summary={`${range.label}: orders placed (bars, a day without orders is a zero bar) and split and backorder rates (lines, broken on a day without routing decisions rather than drawn across it).`}
        table={
          <DataTable
            caption="Per day"
            head={["Day", "Orders placed", "Routing decisions", "Split", "Backordered"]}
            rows={daily.map((d) => [d.day, d.orders, d.decisions, d.splitPct === null ? "—" : `${d.splitPct.toFixed(1)} %`, d.backorderPct === null ? "—" : `${d.backorderPct.toFixed(1)} %`])}
          />
        }
      >
        <DailyHealthChart data={daily} />
      </ChartFigure>
      <SearchIndexStatus
        alias={env().ELASTICSEARCH_INDEX}
        sync={searchSyncStatus(database(), env().ELASTICSEARCH_INDEX, Boolean(env().ELASTICSEARCH_URL))}
        consumers={consumerStatuses(database())}
      />
      <DeliveryPanel consumers={deliveryMetrics(database())} linkDeadLetters={can(user, "admin:settings")} />
      <div className="grid gap-4 lg:grid-cols-2">
        <ChartFigure
          testId="chart-orders-by-status"
          title="Orders by status, now"
          table={<DataTable caption="Orders by status" head={["Status", "Orders"]} rows={statuses.map((s) => [s.label, s.orders])} />}
        >
          <CountBars data={statuses} x="label" y="orders" />
        </ChartFigure>
        <ChartFigure
          testId="chart-routing"
          title={`Routing outcomes, ${range.label}`}
          summary={`${routing.total.toLocaleString("en-GB")} decisions · split ${pct(routing.splitRate)} · backordered ${pct(routing.backorderRate)}`}
          table={<DataTable caption="Routing outcomes" head={["Outcome", "Decisions"]} rows={routing.outcomes.map((o) => [humanStatus(o.outcome), o.decisions])} />}
        >
          <CountBars data={routing.outcomes.map((o) => ({ ...o, label: humanStatus(o.outcome) }))} x="label" y="decisions" />
        </ChartFigure>
        <ChartFigure
          testId="chart-paid-to-shipped"
          title={`Time from paid to first shipment, ${range.label}`}
          summary={`${shipping.orders.toLocaleString("en-GB")} orders shipped · p50 ${hours(shipping.p50Hours)} · p95 ${hours(shipping.p95Hours)}`}
          table={<DataTable caption="Time from paid to first shipment" head={["Time", "Orders"]} rows={shipping.histogram.map((b) => [b.bucket, b.orders])} />}
        >
          <CountBars data={shipping.histogram} x="bucket" y="orders" />
        </ChartFigure>
        <ChartFigure
          testId="chart-alerts"
          title="Live alerts by rule, now"
          table={<DataTable caption="Live alerts by rule" head={["Rule", "Open", "Acknowledged"]} rows={alerts.map((a) => [a.label, a.open, a.acknowledged])} />}
        >
          <StackedAlertBars data={alerts} />
        </ChartFigure>
      </div>
    </div>
  );
}
