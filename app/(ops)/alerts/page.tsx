import type { Metadata } from "next";
import Link from "next/link";
import { requirePermission } from "../../../lib/auth/guard.ts";
import { liveAlerts } from "../../../db/queries/overview.ts";
import { humanStatus } from "../../../lib/format.ts";
import { Table, Td, Th, PageHeader } from "../../../components/ui/table.tsx";
import { LocalTime } from "../../../components/ui/local-time.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { StatusBadge } from "../../../components/ui/status-badge.tsx";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  await requirePermission("alerts:read");
  const rows = liveAlerts();
  return (
    <div className="space-y-6">
      <PageHeader title="Alerts">Stuck orders and failing deliveries that are open or acknowledged.</PageHeader>
      {rows.length === 0 ? (
        <EmptyState title="No open alerts">Nothing is stuck right now.</EmptyState>
      ) : (
        <Table caption="Open alerts, oldest first" testId="alerts-table" head={<><Th>Rule</Th><Th>Order</Th><Th>Status</Th><Th>Since</Th></>}>
          {rows.map((a) => (
            <tr key={a.id}>
              <Td>{humanStatus(a.rule)}</Td>
              <Td mono>{a.orderNumber ? <Link className="text-indigo-700 hover:underline" href={`/orders/${a.orderNumber}`}>{a.orderNumber}</Link> : "—"}</Td>
              <Td><StatusBadge status={a.status} /></Td>
              <Td><LocalTime ms={a.since} /></Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
