import type { Metadata } from "next";
import { Link } from "../../../components/ui/link.tsx";
import { cookies } from "next/headers";
import { requirePermission } from "../../../lib/auth/guard.ts";
import { can } from "../../../lib/auth/permissions.ts";
import { heldRefunds, listRefunds, refundCurrencies, refundPeople, refundTotals } from "../../../db/queries/refunds.ts";
import { readRefundLimits } from "../../../db/queries/ledger.ts";
import { database } from "../../../db/index.ts";
import { decodeRefundCursor, describeFilters, encodeRefundCursor, parseRefundFilters, refundExportQuery, refundQuery } from "../../../lib/refunds/filters.ts";
import { loadApprovalQueue, parseQueueQuery, queueQueryString } from "../../../lib/refunds/queue.ts";
import { TZ_COOKIE } from "../../../lib/refunds/viewer-zone.ts";
import { formatMoney } from "../../../lib/format.ts";
import { Table, Td, Th, PageHeader } from "../../../components/ui/table.tsx";
import { LocalTime } from "../../../components/ui/local-time.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { StatusBadge } from "../../../components/ui/status-badge.tsx";
import { TimeZoneCookie } from "../../../components/ui/time-zone-cookie.tsx";
import { RefundFiltersForm } from "../../../components/refunds/refund-filters.tsx";
import { ApprovalQueue } from "../../../components/refunds/approval-queue.tsx";
import { FailedPayout, RetryNotices } from "../../../components/refunds/retry-payout.tsx";
import { QueueControls, QueuePager, QueueSummary } from "../../../components/refunds/queue-controls.tsx";

export const metadata: Metadata = { title: "Refunds" };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);
const pager = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100";
const defined = (o: Record<string, string | undefined>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v)) as Record<string, string>;

export default async function RefundsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePermission("refunds:read");
  const params = await searchParams;
  const cookieZone = (await cookies()).get(TZ_COOKIE)?.value;
  const parsed = parseRefundFilters(params, { defaultTz: cookieZone });
  const { query, filters, errors } = parsed;
  const invalid = Object.keys(errors).length > 0;
  const after = decodeRefundCursor(one(params.after));
  const before = after ? null : decodeRefundCursor(one(params.before));
  // A refused filter is never dropped quietly: nothing is listed or exported until it is fixed.
  const { rows, hasOlder, hasNewer } = invalid ? { rows: [], hasOlder: false, hasNewer: false } : listRefunds({ filters, after, before });
  const totals = invalid ? [] : refundTotals({ filters });
  const people = refundPeople();
  const currencies = refundCurrencies();
  const filtered = Object.keys(filters).length > 0;
  const historyQuery = refundQuery(query);
  const described = describeFilters(parsed, [...people.requesters, ...people.deciders]);
  const count = totals.reduce((n, t) => n + t.count, 0);
  const exportLabel = `Download ${count.toLocaleString("en-GB")} refund${count === 1 ? "" : "s"}${described.length ? `, ${described.join(", ")}` : ", all of them"}`;
  const first = rows[0];
  const last = rows.at(-1);
  const mayApprove = can(user, "refunds:approve");
  const queueQuery = parseQueueQuery(params);
  const queue = mayApprove ? loadApprovalQueue(queueQuery, readRefundLimits(database())) : null;
  const keepHistory = Object.fromEntries(new URLSearchParams(historyQuery));
  const keepQueue = defined(queueQueryString(queueQuery));

  return (
    <div className="space-y-6">
      <TimeZoneCookie rendered={cookieZone ?? ""} />
      <PageHeader title="Refunds">Refund history with filters and totals{mayApprove ? ", and the approval queue" : ""}.</PageHeader>

      {queue ? (
        <ApprovalQueue
          refunds={queue.rows}
          held={heldRefunds()}
          summary={<QueueSummary total={queue.totalWaiting} summaries={queue.summaries} />}
          controls={<QueueControls query={queueQuery} currencies={currencies} keep={keepHistory} />}
          pager={<QueuePager query={queueQuery} pages={queue.pages} matching={queue.matching} keep={keepHistory} />}
        />
      ) : null}

      <section aria-labelledby="history-heading" className="space-y-3">
        <h2 id="history-heading" className="text-lg font-semibold">
          History
        </h2>
        <RetryNotices />
        <RefundFiltersForm query={query} errors={errors} requesters={people.requesters} deciders={people.deciders} currencies={currencies} keep={keepQueue} />

        {invalid ? (
          <p data-testid="filter-errors" role="alert" className="rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-900">
            Some filters could not be read ({Object.keys(errors).join(", ")}), so nothing is listed or exported until they are fixed: {Object.values(errors).join(" ")}
          </p>
        ) : (
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p data-testid="filter-state" className="text-sm text-slate-700">
              Showing {filtered ? <strong>{described.join(" · ") || "filtered refunds"}</strong> : "all refunds"}.
            </p>
            {can(user, "refunds:export") ? (
              <a
                data-testid="export-csv"
                href={`/api/refunds/export${historyQuery ? `?${refundExportQuery(parsed)}` : ""}`}
                download
                className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
              >
                {exportLabel} (CSV)
              </a>
            ) : null}
          </div>
        )}

        <div data-testid="refund-totals" aria-label={filtered ? "Totals of the filtered refunds" : "Totals of all refunds"} role="group" className="flex flex-wrap gap-3">
          {totals.map((t) => (
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
          ))}
        </div>

        {invalid ? null : rows.length === 0 ? (
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
            <Link data-testid="page-newer" className={pager} href={`/refunds?${refundQuery(query, { ...keepQueue, before: encodeRefundCursor(first) })}`}>
              ← Newer
            </Link>
          ) : (
            <span />
          )}
          {hasOlder && last ? (
            <Link data-testid="page-older" className={pager} href={`/refunds?${refundQuery(query, { ...keepQueue, after: encodeRefundCursor(last) })}`}>
              Older →
            </Link>
          ) : null}
        </nav>
      </section>
    </div>
  );
}
