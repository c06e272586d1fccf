"use client";
import { useState, useSyncExternalStore } from "react";
import { retryRefundAction } from "../../app/(ops)/refunds/actions.ts";
import { formatMoney } from "../../lib/format.ts";
import { Dialog, DialogButtons, ErrorNote, buttonClass } from "../ui/dialog.tsx";
import { useOrderAction } from "../orders/actions/use-action.ts";

// What finance retried, kept outside the rows: a retried refund leaves the failed list when the page refreshes.
let notices: { id: number; text: string }[] = [];
const listeners = new Set<() => void>();
function tell(id: number, text: string) {
  notices = [{ id, text }, ...notices.filter((n) => n.id !== id)].slice(0, 5);
  for (const l of listeners) l();
}
function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Above the history: what each retry did, after its row has moved on. */
export function RetryNotices() {
  const list = useSyncExternalStore(subscribe, () => notices, () => notices);
  return (
    <div role="status" data-testid="retry-notices" className="space-y-1 empty:hidden">
      {list.map((n) => (
        <p key={n.id} data-testid="retry-done" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-1.5 text-sm font-medium text-emerald-900">
          {n.text}
        </p>
      ))}
    </div>
  );
}

type FailedRefund = { id: number; orderNumber: string; amount: number; currency: string; failureReason: string | null };

/**
 * Why the payment provider refused a payout, and for finance a "Retry payout" that sends it again (back to
 * approved, queued with a new idempotency key; audited by retryFailedRefund). What happened stays said after.
 */
export function FailedPayout({ refund: r, mayRetry }: { refund: FailedRefund; mayRetry: boolean }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const { submit, pending, error } = useOrderAction(retryRefundAction);
  const money = formatMoney(r.amount, r.currency);
  return (
    <div className="mt-1 space-y-1 text-xs">
      <p data-testid="failure-reason" className="max-w-72 text-rose-800 wrap-anywhere">
        {r.failureReason ?? "Refused by the payment provider."}
      </p>
      {mayRetry ? (
        <button type="button" className={buttonClass} onClick={() => setOpen(true)}>
          Retry payout
        </button>
      ) : null}
      <Dialog open={open} onClose={() => setOpen(false)} title={`Retry the payout of ${money} on ${r.orderNumber}`} testId={`retry-payout-${r.id}`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit({ refundId: r.id, note }, () => {
              setOpen(false);
              tell(r.id, `Retry sent: ${money} on ${r.orderNumber} is approved again and being paid out; it leaves the failed refunds.`);
            });
          }}
          className="space-y-3"
        >
          <p>
            The refund goes back to approved and is sent to the payment provider again with a new idempotency key. If this order changed since the refusal
            and the money or its items are no longer free, the retry is refused: ask for a new refund instead.
          </p>
          <label className="block">
            <span className="text-xs font-medium text-slate-600">Reason (required)</span> <span className="text-xs text-slate-500">recorded in the audit trail</span>
            <textarea name="note" required minLength={3} value={note} onChange={(e) => setNote(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" rows={2} />
          </label>
          <ErrorNote message={error} />
          <DialogButtons onCancel={() => setOpen(false)} confirmLabel="Retry payout" pending={pending} disabled={note.trim().length < 3} />
        </form>
      </Dialog>
    </div>
  );
}
