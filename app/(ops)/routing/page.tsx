import type { Metadata } from "next";
import { Link } from "../../../components/ui/link.tsx";
import { requirePermission } from "../../../lib/auth/guard.ts";
import { can } from "../../../lib/auth/permissions.ts";
import { backorderQueue, DECISION_FILTERS, listRoutingDecisions, stockLocations, type DecisionFilter } from "../../../db/queries/routing.ts";
import { Table, Td, Th, PageHeader } from "../../../components/ui/table.tsx";
import { LocalTime } from "../../../components/ui/local-time.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { StatusBadge } from "../../../components/ui/status-badge.tsx";
import { Age } from "../../../components/ui/age.tsx";
import { ReceiveStockForm } from "../../../components/routing/receive-stock-form.tsx";

export const metadata: Metadata = { title: "Routing" };

type Search = Record<string, string | string[] | undefined>;

export default async function RoutingPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePermission("routing:read");
  const params = await searchParams;
  const filter = DECISION_FILTERS.find((f) => f === params.filter) as DecisionFilter | undefined;
  const before = typeof params.before === "string" && /^\d+$/.test(params.before) ? Number(params.before) : undefined;
  const { rows, nextBefore } = listRoutingDecisions({ filter, before });
  // The backorder queue pages on its own key, so paging it keeps the decisions' filter and page.
  const qa = typeof params.queue_after === "string" ? params.queue_after.match(/^(\d{1,15})\.(\d{1,12})\.(.{1,64})$/) : null;
  const { rows: queue, next: queueNext } = backorderQueue({ after: qa ? { createdAt: Number(qa[1]), id: Number(qa[2]), sku: qa[3]! } : null });
  const now = Date.now();
  const link = (f?: string) => (f ? `/routing?filter=${f}` : "/routing");
  const queueLink = (after: { sku: string; createdAt: number; id: number } | null) => {
    const q = new URLSearchParams({ ...(filter ? { filter } : {}), ...(before ? { before: String(before) } : {}), ...(after ? { queue_after: `${after.createdAt}.${after.id}.${after.sku}` } : {}) });
    return `/routing${q.size ? `?${q}` : ""}#queue`;
  };

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PageHeader title="Routing">How paid orders were sent to warehouses, dropship suppliers or the backorder queue, and why.</PageHeader>
        <div className="flex gap-2">
          <Link href="/shipments" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100">
            Shipments queue
          </Link>
          {can(user, "inventory:receive") ? (
            <a href="#receive" data-testid="jump-receive" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">
              Receive stock ↓
            </a>
          ) : null}
        </div>
      </div>

      <section className="space-y-3" aria-labelledby="decisions">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="decisions" className="text-sm font-semibold text-slate-700">Recent decisions</h2>
          <nav aria-label="Filter decisions" data-testid="decision-filter" className="flex flex-wrap gap-2">
            {[undefined, ...DECISION_FILTERS].map((f) => (
              <Link
                key={f ?? "all"}
                href={link(f)}
                aria-current={filter === f ? "true" : undefined}
                className={`rounded-full border px-3 py-1 text-xs font-medium ${filter === f ? "border-indigo-600 bg-indigo-600 text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-100"}`}
              >
                {f ? f.charAt(0).toUpperCase() + f.slice(1) : "All"}
              </Link>
            ))}
          </nav>
        </div>
        {rows.length === 0 ? (
          <EmptyState title={filter ? `No ${filter} decisions` : "No routing decisions yet"}>Decisions appear as the worker routes paid orders.</EmptyState>
        ) : (
          <Table caption="Routing decisions, newest first" testId="routing-decisions" head={<><Th>Decision</Th><Th>Order</Th><Th>Outcome</Th><Th right>Shipments</Th><Th>Routed</Th></>}>
            {rows.map((d) => (
              <tr key={d.id} data-testid="decision-row" data-outcome={d.outcome}>
                <Td><Link className="font-medium text-indigo-700 hover:underline" href={`/routing/decisions/${d.id}`}>Decision #{d.id}</Link></Td>
                <Td mono><Link className="text-indigo-700 hover:underline" href={`/orders/${d.orderNumber}`}>{d.orderNumber}</Link></Td>
                <Td>
                  <span className="flex flex-wrap gap-1">
                    <StatusBadge status={d.outcome} />
                    {d.split && d.outcome !== "split" ? <StatusBadge status="split" /> : null}
                  </span>
                </Td>
                <Td right>{d.shipmentCount}</Td>
                <Td><LocalTime ms={d.createdAt} /></Td>
              </tr>
            ))}
          </Table>
        )}
        {nextBefore ? (
          <Link className="inline-block rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100" href={`${link(filter)}${filter ? "&" : "?"}before=${nextBefore}`}>
            Older decisions →
          </Link>
        ) : null}
      </section>

      <section className="space-y-3" aria-labelledby="queue">
        <h2 id="queue" className="scroll-mt-4 text-sm font-semibold text-slate-700">Backorder queue (first in, first filled)</h2>
        {queue.length === 0 ? (
          <EmptyState title={qa ? "No more backorders past this point" : "Nothing is backordered"} />
        ) : (
          <Table caption="Pending backorders per SKU, oldest first" testId="backorder-queue" head={<><Th>SKU</Th><Th>Product</Th><Th right>Position</Th><Th>Order</Th><Th right>Units</Th><Th>Customer</Th><Th>Waiting</Th></>}>
            {queue.map((q) => (
              <tr key={q.id} data-testid="backorder-row">
                <Td mono>{q.sku}</Td>
                <Td>{q.name}</Td>
                <Td right>{q.position} of {q.queued}</Td>
                <Td mono>
                  <Link className="text-indigo-700 hover:underline" href={`/orders/${q.orderNumber}`}>{q.orderNumber}</Link>
                  {q.shipComplete ? <span className="ml-1 font-sans text-xs text-slate-600">ships complete: filled whole</span> : null}
                </Td>
                <Td right>{q.qty}</Td>
                <Td>{q.customerChoice.replaceAll("_", " ")}</Td>
                <Td><Age from={q.createdAt} now={now} /></Td>
              </tr>
            ))}
          </Table>
        )}
        {qa || queueNext ? (
          <nav aria-label="Backorder queue pages" className="flex gap-2">
            {qa ? (
              <Link className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100" href={queueLink(null)}>
                ← First SKUs
              </Link>
            ) : null}
            {queueNext ? (
              <Link data-testid="queue-next" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100" href={queueLink(queueNext)}>
                More of the queue →
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>

      {can(user, "inventory:receive") ? (
        <section id="receive" className="scroll-mt-4 space-y-3" aria-labelledby="receive-heading">
          <h2 id="receive-heading" className="text-sm font-semibold text-slate-700">Receive stock</h2>
          <ReceiveStockForm locations={stockLocations()} />
        </section>
      ) : null}
    </div>
  );
}
