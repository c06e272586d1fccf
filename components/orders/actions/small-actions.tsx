"use client";
import { useState, type FormEvent } from "react";
import { addNoteAction, decideRefundAction, recordBackorderChoiceAction } from "../../../app/(ops)/orders/[id]/actions.ts";
import { formatMoney } from "../../../lib/format.ts";
import { ErrorNote, buttonClass } from "../../ui/dialog.tsx";
import { useOrderAction } from "./use-action.ts";

export function NoteForm({ orderId }: { orderId: number }) {
  const [body, setBody] = useState("");
  const { submit, pending, error } = useOrderAction(addNoteAction, () => "Note added to the timeline.");
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit({ orderId, body }, () => setBody(""));
  };
  return (
    <form onSubmit={onSubmit} className="mb-4 space-y-2" data-testid="note-form">
      <label className="block text-sm">
        <span className="sr-only">Add a note</span>
        <textarea value={body} onChange={(e) => setBody(e.target.value)} placeholder="Add a note for the team…" rows={2} className="w-full rounded-md border border-slate-300 px-2 py-1.5" />
      </label>
      <ErrorNote message={error} />
      <button type="submit" className={buttonClass} disabled={pending || !body.trim()}>{pending ? "Saving…" : "Add note"}</button>
    </form>
  );
}

export function RefundDecision({ orderId, refund }: { orderId: number; refund: { id: number; amount: number; currency: string; reason: string } }) {
  const [note, setNote] = useState("");
  const { submit, pending, error } = useOrderAction(decideRefundAction, (_, i) => (i.approve ? "Refund approved: it is being paid out." : "Refund rejected."));
  const decide = (approve: boolean) => submit({ orderId, refundId: refund.id, approve, note });
  return (
    <div data-testid="refund-approval" className="space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm">
      <p>
        <strong>{formatMoney(refund.amount, refund.currency)}</strong> waits for approval: {refund.reason}
      </p>
      <label className="block">
        <span className="text-xs font-medium text-slate-600">Decision note (required)</span>
        <input value={note} onChange={(e) => setNote(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" />
      </label>
      <ErrorNote message={error} />
      <div className="flex gap-2">
        <button type="button" className="rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-50" disabled={pending || note.trim().length < 3} onClick={() => decide(true)}>Approve and pay out</button>
        <button type="button" className={buttonClass} disabled={pending || note.trim().length < 3} onClick={() => decide(false)}>Reject</button>
      </div>
    </div>
  );
}

export function BackorderChoice({ orderId, backorderId }: { orderId: number; backorderId: number }) {
  const { submit, pending, error } = useOrderAction(recordBackorderChoiceAction, (_, i) => (i.choice === "wait" ? "Recorded: the customer waits for the backorder." : "Recorded: the customer cancels the backordered units."));
  return (
    <span className="flex flex-wrap items-center gap-2" data-testid="backorder-choice">
      <button type="button" className={buttonClass} disabled={pending} onClick={() => submit({ orderId, backorderId, choice: "wait" })}>Customer waits</button>
      <button type="button" className={buttonClass} disabled={pending} onClick={() => submit({ orderId, backorderId, choice: "cancel" })}>Customer cancels (refund)</button>
      <ErrorNote message={error} />
    </span>
  );
}
