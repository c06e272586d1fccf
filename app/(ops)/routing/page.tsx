import type { Metadata } from "next";
import Link from "next/link";
import { requirePermission } from "../../../lib/auth/guard.ts";
import { backorderQueue, recentRoutingDecisions } from "../../../db/queries/overview.ts";
import { Table, Td, Th, PageHeader } from "../../../components/ui/table.tsx";
import { LocalTime } from "../../../components/ui/local-time.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { StatusBadge } from "../../../components/ui/status-badge.tsx";

export const metadata: Metadata = { title: "Routing" };

export default async function RoutingPage() {
  await requirePermission("routing:read");
  const decisions = recentRoutingDecisions();
  const queue = backorderQueue();
  return (
    <div className="space-y-6">
      <PageHeader title="Routing">How paid orders were sent to warehouses, suppliers or the backorder queue.</PageHeader>
      <section className="space-y-2" aria-labelledby="decisions">
        <h2 id="decisions" className="text-sm font-semibold text-slate-700">Recent decisions</h2>
        {decisions.length === 0 ? (
          <EmptyState title="No routing decisions yet">Decisions appear as paid orders are routed.</EmptyState>
        ) : (
          <Table caption="Recent routing decisions" testId="routing-decisions" head={<><Th>Order</Th><Th>Outcome</Th><Th right>Shipments</Th><Th>Routed</Th></>}>
            {decisions.map((d) => (
              <tr key={d.id}>
                <Td mono><Link className="text-indigo-700 hover:underline" href={`/orders/${d.orderNumber}`}>{d.orderNumber}</Link></Td>
                <Td><StatusBadge status={d.outcome} /></Td>
                <Td right>{d.shipmentCount}</Td>
                <Td><LocalTime ms={d.createdAt} /></Td>
              </tr>
            ))}
          </Table>
        )}
      </section>
      <section className="space-y-2" aria-labelledby="queue">
        <h2 id="queue" className="text-sm font-semibold text-slate-700">Backorder queue</h2>
        {queue.length === 0 ? (
          <EmptyState title="Nothing is backordered" />
        ) : (
          <Table caption="Pending backorders per SKU, oldest first" testId="backorder-queue" head={<><Th>SKU</Th><Th>Product</Th><Th right>Orders</Th><Th right>Units</Th><Th>Oldest since</Th></>}>
            {queue.map((q) => (
              <tr key={q.sku}>
                <Td mono>{q.sku}</Td>
                <Td>{q.name}</Td>
                <Td right>{q.orders}</Td>
                <Td right>{q.units}</Td>
                <Td><LocalTime ms={q.oldest} /></Td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </div>
  );
}
