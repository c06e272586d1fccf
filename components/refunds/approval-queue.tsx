"use client";
import { Link } from "../ui/link.tsx";
import { useState, type ReactNode } from "react";
import { decideQueuedRefundAction } from "../../app/(ops)/refunds/actions.ts";
import { formatMoney } from "../../lib/format.ts";
import { ErrorNote, buttonClass } from "../ui/dialog.tsx";
import { LocalTime } from "../ui/local-time.tsx";
import { useOrderAction } from "../orders/actions/use-action.ts";
import type { QueuedWithStanding } from "../../lib/refunds/queue.ts";

type HeldRefund = { id: number; orderNumber: string; amount: number; currency: string; reason: string };

type Decided = { id: number; text: string };

/**
 * One page of refunds waiting for finance (search, sort and pages are the URL's, see QueueControls); each
 * row says where it stands against today's limit for its own currency, and each decision needs a note and
 * is audited. A decided refund leaves the queue when the page refreshes, so what became of it is said
 * above the queue, which outlives the row. The queue grows with the page: no box scrolling inside it.
 */
export function ApprovalQueue({ refunds, held, controls, pager, summary }: { refunds: QueuedWithStanding[]; held: HeldRefund[]; controls: ReactNode; pager: ReactNode; summary: ReactNode }) {
  const [decided, setDecided] = useState<Decided[]>([]);
  const onDecided = (r: QueuedWithStanding, status: string) =>
    setDecided((list) => [{ id: r.id, text: `${formatMoney(r.amount, r.currency)} on ${r.orderNumber}: ${status === "approved" ? "approved, being paid out" : status.replaceAll("_", " ")}.` }, ...list].slice(0, 5));
  return (
    <section aria-labelledby="queue-heading" data-testid="approval-queue" className="space-y-3">
      {summary}
      {held.length ? (
        <div data-testid="held-refunds" className="rounded-lg border border-sky-200 bg-sky-50 p-3 text-sm text-sky-950">
          <p className="font-medium">Owed to customers for cancelled items, held until the requests on their orders are decided ({held.length}):</p>
          <ul className="mt-1 list-disc pl-5">
            {held.map((h) => (
              <li key={h.id} data-testid="held-refund">
                {formatMoney(h.amount, h.currency)} on{" "}
                <Link href={`/orders/${h.orderNumber}`} className="font-mono text-indigo-800 underline">
                  {h.orderNumber}
                </Link>
                : {h.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {controls}
      <div role="status" data-testid="queue-decisions" className="space-y-1 empty:hidden">
        {decided.map((d) => (
          <p key={d.id} className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-1.5 text-sm font-medium text-emerald-900">
            Decided: {d.text}
          </p>
        ))}
      </div>
      {refunds.length === 0 ? (
        <p data-testid="queue-empty" className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-3 text-sm text-slate-600">
          No request waiting for approval matches.
        </p>
      ) : (
        <div className="rounded-lg border border-amber-200 bg-white shadow-sm">
          <table className="w-full table-fixed divide-y divide-amber-100 text-sm">
            <caption className="sr-only">Refunds waiting for approval</caption>
            <thead className="bg-amber-50 text-left text-xs font-semibold tracking-wide text-slate-700 uppercase">
              <tr>
                <th scope="col" className="w-28 px-3 py-2 text-right">Amount</th>
                <th scope="col" className="w-44 px-3 py-2">Order</th>
                <th scope="col" className="w-48 px-3 py-2">Agent limit</th>
                <th scope="col" className="px-3 py-2">Reason</th>
                <th scope="col" className="w-36 px-3 py-2">Requested</th>
                <th scope="col" className="w-72 px-3 py-2">Decision</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-amber-100">
              {refunds.map((r) => (
                <QueueItem key={r.id} refund={r} onDecided={(status) => onDecided(r, status)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pager}
    </section>
  );
}

function QueueItem({ refund: r, onDecided }: { refund: QueuedWithStanding; onDecided: (status: string) => void }) {
  const [note, setNote] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const { submit, pending, error } = useOrderAction(decideQueuedRefundAction);
  const decide = (approve: boolean) =>
    submit({ refundId: r.id, approve, note }, (d) => {
      setDone(d.status);
      onDecided(d.status);
    });
  return (
    <tr data-testid="queued-refund" data-refund-id={r.id} className="align-top">
      <td className="px-3 py-2 text-right font-semibold whitespace-nowrap tabular-nums">{formatMoney(r.amount, r.currency)}</td>
      <td className="px-3 py-2 font-mono text-xs">
        <Link href={`/orders/${r.orderNumber}`} className="text-indigo-800 underline">
          {r.orderNumber}
        </Link>
        <span className="mt-1 block font-sans wrap-anywhere text-slate-700">{r.customerName}</span>
        <span className="mt-1 block font-sans text-slate-600">
          paid {formatMoney(r.orderPaid, r.currency)}, refunded {formatMoney(r.orderRefunded, r.currency)}
        </span>
      </td>
      <td data-testid="limit-standing" data-over={r.standing.over ? "true" : "false"} className="px-3 py-2 text-xs">
        {r.standing.over ? (
          <span className="font-medium text-amber-900">Over the {formatMoney(r.standing.limit, r.currency)} limit</span>
        ) : (
          <span className="font-medium text-sky-900">Within today&apos;s {formatMoney(r.standing.limit, r.currency)} limit (asked under a lower one)</span>
        )}
        <span className="block text-slate-600">
          {r.standing.byAgents > 0
            ? `agents refunded ${formatMoney(r.standing.byAgents, r.currency)} on this order; with this request ${formatMoney(r.standing.withRequest, r.currency)}`
            : "no other agent refund on this order"}
        </span>
      </td>
      <td className="px-3 py-2 wrap-anywhere">{r.reason}</td>
      <td className="px-3 py-2 text-xs text-slate-700">
        {r.requestedBy ?? "system"}
        <span className="block">
          <LocalTime ms={r.createdAt} />
        </span>
      </td>
      <td className="px-3 py-2">
        {done ? (
          <p className="font-medium text-emerald-800">Decided: {done.replaceAll("_", " ")}.</p>
        ) : (
          <div className="flex flex-wrap items-center gap-2">
            <input
              aria-label={`Decision note for ${formatMoney(r.amount, r.currency)} on ${r.orderNumber} (required)`}
              placeholder="Decision note (required)"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              className="w-full rounded-md border border-slate-300 bg-white px-2 py-1"
            />
            <button type="button" className="rounded-md bg-emerald-700 px-3 py-1 font-semibold text-white disabled:opacity-50" disabled={pending || note.trim().length < 3} onClick={() => decide(true)}>
              Approve and pay out
            </button>
            <button type="button" className={buttonClass} disabled={pending || note.trim().length < 3} onClick={() => decide(false)}>
              Reject
            </button>
            <ErrorNote message={error} />
          </div>
        )}
      </td>
    </tr>
  );
}
