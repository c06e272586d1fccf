"use client";
import Link from "next/link";
import { useState } from "react";
import { decideQueuedRefundAction } from "../../app/(ops)/refunds/actions.ts";
import { formatMoney } from "../../lib/format.ts";
import { ErrorNote, buttonClass } from "../ui/dialog.tsx";
import { LocalTime } from "../ui/local-time.tsx";
import { useOrderAction } from "../orders/actions/use-action.ts";

export type QueuedRefund = { id: number; orderNumber: string; amount: number; currency: string; reason: string; requestedBy: string | null; createdAt: number; orderPaid: number; orderRefunded: number };

/** Refunds over the agent limit, oldest first; each decision needs a note and is audited. */
export function ApprovalQueue({ refunds, limit }: { refunds: QueuedRefund[]; limit: string }) {
  return (
    <section aria-labelledby="queue-heading" data-testid="approval-queue" className="space-y-3">
      <div>
        <h2 id="queue-heading" className="text-lg font-semibold">
          Waiting for approval <span className="text-slate-500">({refunds.length})</span>
        </h2>
        <p className="text-sm text-slate-600">Refunds over the agent limit of {limit}. Approving pays out at once; rejecting keeps the money where it is.</p>
      </div>
      {refunds.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-3 text-sm text-slate-600">Nothing waits for approval.</p>
      ) : (
        <ul className="grid gap-3 md:grid-cols-2">
          {refunds.map((r) => (
            <QueueItem key={r.id} refund={r} />
          ))}
        </ul>
      )}
    </section>
  );
}

function QueueItem({ refund: r }: { refund: QueuedRefund }) {
  const [note, setNote] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const { submit, pending, error } = useOrderAction(decideQueuedRefundAction);
  const decide = (approve: boolean) => submit({ refundId: r.id, approve, note }, (d) => setDone(d.status));
  const noteId = `note-${r.id}`;
  return (
    <li data-testid="queued-refund" data-refund-id={r.id} className="space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm">
      <div className="flex items-baseline justify-between gap-2">
        <span className="text-lg font-semibold tabular-nums">{formatMoney(r.amount, r.currency)}</span>
        <Link href={`/orders/${r.orderNumber}`} className="font-mono text-indigo-800 underline">
          {r.orderNumber}
        </Link>
      </div>
      <p>{r.reason}</p>
      <p className="text-xs text-slate-700">
        Requested by {r.requestedBy ?? "system"} · <LocalTime ms={r.createdAt} /> · order paid {formatMoney(r.orderPaid, r.currency)}, refunded {formatMoney(r.orderRefunded, r.currency)}
      </p>
      {done ? (
        <p role="status" className="font-medium text-emerald-800">
          Decided: {done.replaceAll("_", " ")}.
        </p>
      ) : (
        <>
          <label htmlFor={noteId} className="block text-xs font-medium text-slate-700">
            Decision note (required)
          </label>
          <input id={noteId} value={note} onChange={(e) => setNote(e.target.value)} className="w-full rounded-md border border-slate-300 bg-white px-2 py-1.5" />
          <ErrorNote message={error} />
          <div className="flex gap-2">
            <button type="button" className="rounded-md bg-emerald-700 px-3 py-1.5 font-semibold text-white disabled:opacity-50" disabled={pending || note.trim().length < 3} onClick={() => decide(true)}>
              Approve and pay out
            </button>
            <button type="button" className={buttonClass} disabled={pending || note.trim().length < 3} onClick={() => decide(false)}>
              Reject
            </button>
          </div>
        </>
      )}
    </li>
  );
}
