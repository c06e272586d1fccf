"use client";
import Link from "next/link";
import { useState } from "react";
import { decideQueuedRefundAction } from "../../app/(ops)/refunds/actions.ts";
import { formatMoney } from "../../lib/format.ts";
import { ErrorNote, buttonClass } from "../ui/dialog.tsx";
import { LocalTime } from "../ui/local-time.tsx";
import { useOrderAction } from "../orders/actions/use-action.ts";

export type QueuedRefund = { id: number; orderNumber: string; amount: number; currency: string; reason: string; requestedBy: string | null; createdAt: number; orderPaid: number; orderRefunded: number };

type Decided = { id: number; text: string };

/**
 * Refunds over the agent limit, oldest first; each decision needs a note and is audited. A decided
 * refund leaves the queue when the page refreshes, so what became of it is said above the queue,
 * which outlives the row.
 */
export function ApprovalQueue({ refunds, held, limit }: { refunds: QueuedRefund[]; held: QueuedRefund[]; limit: string }) {
  const [decided, setDecided] = useState<Decided[]>([]);
  const onDecided = (r: QueuedRefund, status: string) =>
    setDecided((list) => [{ id: r.id, text: `${formatMoney(r.amount, r.currency)} on ${r.orderNumber}: ${status === "approved" ? "approved, being paid out" : status.replaceAll("_", " ")}.` }, ...list].slice(0, 5));
  return (
    <section aria-labelledby="queue-heading" data-testid="approval-queue" className="space-y-3">
      <div>
        <h2 id="queue-heading" className="text-lg font-semibold">
          Waiting for approval <span className="text-slate-500">({refunds.length})</span>
        </h2>
        <p className="text-sm text-slate-600">
          Refunds that would take what agents refunded on one order past their limit ({limit}). Approving pays out at once; rejecting keeps the money where
          it is, and pays any cancellation refund held behind the request.
        </p>
      </div>
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
      <div role="status" data-testid="queue-decisions" className="space-y-1 empty:hidden">
        {decided.map((d) => (
          <p key={d.id} className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-1.5 text-sm font-medium text-emerald-900">
            Decided: {d.text}
          </p>
        ))}
      </div>
      {refunds.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-3 text-sm text-slate-600">Nothing waits for approval.</p>
      ) : (
        // A long queue scrolls in place so the history stays in view; focusable so the keyboard can scroll it.
        <div tabIndex={0} role="region" aria-label="Refunds waiting for approval" className="max-h-[24rem] overflow-auto rounded-lg border border-amber-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-amber-100 text-sm">
            <caption className="sr-only">Refunds waiting for approval, oldest first</caption>
            <thead className="sticky top-0 bg-amber-50 text-left text-xs font-semibold tracking-wide text-slate-700 uppercase">
              <tr>
                <th scope="col" className="px-3 py-2 text-right">Amount</th>
                <th scope="col" className="px-3 py-2">Order</th>
                <th scope="col" className="px-3 py-2">Reason</th>
                <th scope="col" className="px-3 py-2">Requested</th>
                <th scope="col" className="px-3 py-2">Decision</th>
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
    </section>
  );
}

function QueueItem({ refund: r, onDecided }: { refund: QueuedRefund; onDecided: (status: string) => void }) {
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
        <span className="mt-1 block font-sans text-slate-600">
          paid {formatMoney(r.orderPaid, r.currency)}, refunded {formatMoney(r.orderRefunded, r.currency)}
        </span>
      </td>
      <td className="min-w-40 px-3 py-2 wrap-anywhere">{r.reason}</td>
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
              className="w-56 rounded-md border border-slate-300 bg-white px-2 py-1"
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
