import type { Metadata } from "next";
import Link from "next/link";
import { requirePermission } from "../../../lib/auth/guard.ts";
import { recentRefunds } from "../../../db/queries/overview.ts";
import { formatMoney, humanStatus } from "../../../lib/format.ts";
import { Table, Td, Th, PageHeader } from "../../../components/ui/table.tsx";
import { LocalTime } from "../../../components/ui/local-time.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { StatusBadge } from "../../../components/ui/status-badge.tsx";

export const metadata: Metadata = { title: "Refunds" };

export default async function RefundsPage() {
  await requirePermission("refunds:read");
  const { rows, totals } = recentRefunds();
  return (
    <div className="space-y-6">
      <PageHeader title="Refunds">The 50 most recent refunds, and totals per currency and status.</PageHeader>
      {totals.length ? (
        <ul data-testid="refund-totals" className="flex flex-wrap gap-3">
          {totals.map((t) => (
            <li key={`${t.currency}-${t.status}`} className="rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm shadow-sm">
              <span className="block text-xs text-slate-500">{humanStatus(t.status)} · {t.n}</span>
              <span className="font-semibold tabular-nums">{formatMoney(t.amount, t.currency)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState title="No refunds yet" />
      ) : (
        <Table caption="Recent refunds" testId="refunds-table" head={<><Th>Order</Th><Th>Status</Th><Th right>Amount</Th><Th>Reason</Th><Th>Requested</Th></>}>
          {rows.map((r) => (
            <tr key={r.id}>
              <Td mono><Link className="text-indigo-700 hover:underline" href={`/orders/${r.orderNumber}`}>{r.orderNumber}</Link></Td>
              <Td><StatusBadge status={r.status} /></Td>
              <Td right>{formatMoney(r.amount, r.currency)}</Td>
              <Td>{r.reason}</Td>
              <Td><LocalTime ms={r.createdAt} /></Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
