import type { Metadata } from "next";
import Link from "next/link";
import { requirePermission } from "../../../lib/auth/guard.ts";
import { can } from "../../../lib/auth/permissions.ts";
import { heldRefunds, listRefunds, pendingApprovals, refundPeople, refundTotals } from "../../../db/queries/refunds.ts";
import { readRefundLimits } from "../../../db/queries/ledger.ts";
import { database } from "../../../db/index.ts";
import { decodeRefundCursor, encodeRefundCursor, parseRefundFilters, refundQuery } from "../../../lib/refunds/filters.ts";
import { formatMoney } from "../../../lib/format.ts";
import { Table, Td, Th, PageHeader } from "../../../components/ui/table.tsx";
import { LocalTime } from "../../../components/ui/local-time.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { StatusBadge } from "../../../components/ui/status-badge.tsx";
import { RefundFiltersForm } from "../../../components/refunds/refund-filters.tsx";
import { ApprovalQueue } from "../../../components/refunds/approval-queue.tsx";
import { FailedPayout, RetryNotices } from "../../../components/refunds/retry-payout.tsx";

export const metadata: Metadata = { title: "Refunds" };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);
const pager = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100";

export default async function RefundsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePermission("refunds:read");
  const params = await searchParams;
  const { filters, errors } = parseRefundFilters(params);
  const after = decodeRefundCursor(one(params.after));
  const before = after ? null : decodeRefundCursor(one(params.before));
  const { rows, hasOlder, hasNewer } = listRefunds({ filters, after, before });
  const totals = refundTotals({ filters });
  const people = refundPeople();
  const filtered = Object.keys(filters).length > 0;
  const query = refundQuery(filters);
  const first = rows[0];
  const last = rows.at(-1);
  const limits = Object.entries(readRefundLimits(database())).map(([currency, amount]) => formatMoney(amount, currency)).join(", ") || "none set";

  return (
    <div className="space-y-6">
      <PageHeader title="Refunds">Refund history with filters and totals{can(user, "refunds:approve") ? ", and the approval queue" : ""}.</PageHeader>

      {can(user, "refunds:approve") ? <ApprovalQueue refunds={pendingApprovals()} held={heldRefunds()} limit={limits} /> : null}

      <section aria-labelledby="history-heading" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="history-heading" className="text-lg font-semibold">
            History
          </h2>
          {can(user, "refunds:export") ? (
            <a data-testid="export-csv" href={`/api/refunds/export${query ? `?${query}` : ""}`} download className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
              Download CSV{filtered ? " (filtered)" : ""}
            </a>
          ) : null}
        </div>
        <RetryNotices />
        <RefundFiltersForm filters={filters} errors={errors} requesters={people.requesters} deciders={people.deciders} />

        <div data-testid="refund-totals" aria-label={filtered ? "Totals of the filtered refunds" : "Totals of all refunds"} role="group" className="flex flex-wrap gap-3">
          {totals.length === 0 ? null : (
            totals.map((t) => (
              <div key={t.currency} data-testid="refund-total" data-currency={t.currency} className="rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm shadow-sm">
                <span className="block text-xs text-slate-600">
                  {t.currency} · <span data-testid="total-count">{t.count.toLocaleString("en-GB")}</span> refund{t.count === 1 ? "" : "s"}
                </span>
                <span data-testid="total-amount" className="text-lg font-semibold tabular-nums">
                  {formatMoney(t.amount, t.currency)}
                </span>
                <span className="block text-xs text-slate-600">
                  paid out {formatMoney(t.paidOut, t.currency)} · waiting {formatMoney(t.waiting, t.currency)}
                </span>
              </div>
            ))
          )}
        </div>

        {rows.length === 0 ? (
          <EmptyState title={filtered ? "No refunds match these filters" : "No refunds yet"}>
            {filtered ? (
              <Link className="text-indigo-700 underline" href="/refunds">
                Clear the filters
              </Link>
            ) : null}
          </EmptyState>
        ) : (
          <Table
            caption={`Refunds${filtered ? " matching the filters" : ""}, newest first`}
            testId="refunds-table"
            head={
              <>
                <Th>Order</Th>
                <Th>Status</Th>
                <Th right>Amount</Th>
                <Th>Reason</Th>
                <Th>Requested by</Th>
                <Th>Decided by</Th>
                <Th>Requested</Th>
              </>
            }
          >
            {rows.map((r) => (
              <tr key={r.id} data-testid="refund-row" data-refund-id={r.id}>
                <Td mono>
                  <Link className="text-indigo-700 hover:underline" href={`/orders/${r.orderNumber}`}>
                    {r.orderNumber}
                  </Link>
                </Td>
                <Td>
                  <StatusBadge status={r.status} />
                  {r.status === "failed" ? <FailedPayout refund={r} mayRetry={can(user, "refunds:approve")} /> : null}
                </Td>
                <Td right>{formatMoney(r.amount, r.currency)}</Td>
                <Td freeText>{r.reason}</Td>
                <Td>{r.requestedBy ?? "system"}</Td>
                <Td>{r.decidedBy ? <span title={r.decisionNote ?? undefined}>{r.decidedBy}</span> : "—"}</Td>
                <Td>
                  <LocalTime ms={r.createdAt} />
                </Td>
              </tr>
            ))}
          </Table>
        )}

        <nav aria-label="Refund pages" className="flex items-center justify-between">
          {hasNewer && first ? (
            <Link data-testid="page-newer" className={pager} href={`/refunds?${refundQuery(filters, { before: encodeRefundCursor(first) })}`}>
              ← Newer
            </Link>
          ) : (
            <span />
          )}
          {hasOlder && last ? (
            <Link data-testid="page-older" className={pager} href={`/refunds?${refundQuery(filters, { after: encodeRefundCursor(last) })}`}>
              Older →
            </Link>
          ) : null}
        </nav>
      </section>
    </div>
  );
}
