import type { Metadata } from "next";
import { Link } from "../../../components/ui/link.tsx";
import { requirePermission } from "../../../lib/auth/guard.ts";
import { listOpenShipments, defaultLocationOf } from "../../../db/queries/shipments.ts";
import { stockLocations } from "../../../db/queries/routing.ts";
import { DUE_FILTERS, DUE_LABELS, dueWindow, queueHref, queueStatuses, readQueueFilters, type QueueFilters } from "../../../lib/shipments/queue.ts";
import { isOverdue, OPEN_SHIPMENT_STATUSES } from "../../../lib/orders/ship-by.ts";
import { humanStatus } from "../../../lib/format.ts";
import { Table, Td, Th, PageHeader } from "../../../components/ui/table.tsx";
import { LocalTime } from "../../../components/ui/local-time.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { StatusBadge } from "../../../components/ui/status-badge.tsx";
import { DefaultLocationButton } from "../../../components/shipments/default-location-button.tsx";

export const metadata: Metadata = { title: "Shipments" };
export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;

const chip = (active: boolean) =>
  `rounded-full border px-3 py-1 text-xs font-medium whitespace-nowrap ${active ? "border-indigo-600 bg-indigo-600 text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-100"}`;

export default async function ShipmentsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePermission("routing:read");
  const params = await searchParams;
  const saved = defaultLocationOf({ userId: user.id });
  const f = readQueueFilters(params, saved);
  const now = Date.now();
  const { rows, next } = listOpenShipments({
    statuses: queueStatuses(f),
    locationId: f.locationId,
    window: dueWindow(f.due, now),
    overdueAt: f.due === "overdue" ? now : null,
    after: f.after,
  });
  const locations = stockLocations();
  const here = locations.find((l) => l.id === f.locationId);
  const link = (change: Partial<QueueFilters>) => queueHref({ locationId: f.locationId, status: f.status, due: f.due, ...change, after: change.after ?? null });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PageHeader title="Shipments">Open shipments (pending, picking, packed) by ship-by date, earliest first. Days are UTC days.</PageHeader>
        <div className="flex items-center gap-2 text-sm" data-testid="default-location">
          {here && saved !== here.id ? <DefaultLocationButton locationId={here.id} label={`Make ${here.code} my location`} /> : null}
          {saved !== null && saved === f.locationId ? (
            <>
              <span className="text-slate-600">Your location</span>
              <DefaultLocationButton locationId={null} label="Forget" />
            </>
          ) : null}
        </div>
      </div>

      <nav aria-label="Filter by location" data-testid="location-filter" className="flex flex-wrap gap-2">
        <Link href={link({ locationId: null })} aria-current={f.locationId === null ? "true" : undefined} className={chip(f.locationId === null)}>
          All locations
        </Link>
        {locations.map((l) => (
          <Link key={l.id} href={link({ locationId: l.id })} aria-current={f.locationId === l.id ? "true" : undefined} className={chip(f.locationId === l.id)} title={l.name}>
            {l.code}
            {saved === l.id ? " ★" : ""}
          </Link>
        ))}
      </nav>
      <div className="flex flex-wrap gap-x-6 gap-y-2">
        <nav aria-label="Filter by ship-by" data-testid="due-filter" className="flex flex-wrap gap-2">
          <Link href={link({ due: null })} aria-current={f.due === null ? "true" : undefined} className={chip(f.due === null)}>
            Any date
          </Link>
          {DUE_FILTERS.map((d) => (
            <Link key={d} href={link({ due: d })} aria-current={f.due === d ? "true" : undefined} className={chip(f.due === d)}>
              {DUE_LABELS[d]}
            </Link>
          ))}
        </nav>
        <nav aria-label="Filter by status" data-testid="status-filter" className="flex flex-wrap gap-2">
          <Link href={link({ status: null })} aria-current={f.status === null ? "true" : undefined} className={chip(f.status === null)}>
            Any status
          </Link>
          {OPEN_SHIPMENT_STATUSES.map((s) => (
            <Link key={s} href={link({ status: s })} aria-current={f.status === s ? "true" : undefined} className={chip(f.status === s)}>
              {humanStatus(s)}
            </Link>
          ))}
        </nav>
      </div>

      {rows.length === 0 ? (
        <EmptyState title="No open shipments here">Nothing {f.due ? `due ${DUE_LABELS[f.due].toLowerCase()}` : "open"}{here ? ` at ${here.name}` : ""}{f.status ? ` in ${humanStatus(f.status).toLowerCase()}` : ""}.</EmptyState>
      ) : (
        <Table
          caption="Open shipments, earliest ship-by first"
          testId="shipments-queue"
          head={
            <>
              <Th>Shipment</Th>
              <Th>Order</Th>
              <Th>Location</Th>
              <Th>Status</Th>
              <Th>Ship by</Th>
              <Th right>Items</Th>
              <Th>Alert</Th>
            </>
          }
        >
          {rows.map((s) => {
            const late = isOverdue(s, now);
            return (
              <tr key={s.id} data-testid="shipment-row" data-shipment-id={s.id} data-overdue={late ? "true" : "false"} className={late ? "bg-rose-50/60" : undefined}>
                <Td>#{s.id}</Td>
                <Td mono>
                  <Link className="text-indigo-700 hover:underline" href={`/orders/${s.orderNumber}`}>
                    {s.orderNumber}
                  </Link>
                </Td>
                <Td>
                  <span className="whitespace-nowrap" title={s.locationName}>
                    {s.locationCode}
                    {s.dropship ? <span className="text-xs text-slate-500"> dropship</span> : null}
                  </span>
                </Td>
                <Td>
                  <StatusBadge status={s.status} />
                </Td>
                <Td>
                  <span className="flex flex-wrap items-center gap-2 whitespace-nowrap">
                    <LocalTime ms={s.shipBy} />
                    {late ? <StatusBadge status="overdue" testId="overdue-flag" /> : null}
                  </span>
                  {s.promisedShipBy !== null && s.promisedShipBy !== s.shipBy ? (
                    <span className="block text-xs text-slate-600">
                      promised <LocalTime ms={s.promisedShipBy} />
                    </span>
                  ) : null}
                </Td>
                <Td right>{s.items}</Td>
                <Td>{s.alertStatus ? <span className="whitespace-nowrap text-xs">{humanStatus(s.alertStatus)} · {s.alertOwner ?? "unassigned"}</span> : "—"}</Td>
              </tr>
            );
          })}
        </Table>
      )}
      {next ? (
        <nav aria-label="Shipment pages" className="flex justify-end">
          <Link data-testid="page-next" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100" href={queueHref({ locationId: f.locationId, status: f.status, due: f.due, after: next })}>
            Next →
          </Link>
        </nav>
      ) : null}
    </div>
  );
}
