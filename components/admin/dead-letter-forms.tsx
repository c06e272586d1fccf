"use client";
import { createContext, useContext, useState, type FormEvent, type ReactNode } from "react";
import { discardDeadLettersAction, retryDeadLettersAction } from "../../app/(ops)/admin/dead-letters/actions.ts";
import { Dialog, DialogButtons, ErrorNote, buttonClass } from "../ui/dialog.tsx";
import { useOrderAction } from "../orders/actions/use-action.ts";

/** What the last decision did; kept above the table, since the row it came from leaves the filtered list. */
const Flash = createContext<(message: string) => void>(() => {});

export function DeadLetterOutcome({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<string | null>(null);
  return (
    <Flash.Provider value={setMessage}>
      <p role="status" data-testid="dead-letter-outcome" className={message ? "rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900" : "sr-only"}>
        {message}
      </p>
      {children}
    </Flash.Provider>
  );
}

const plural = (n: number) => `${n} dead letter${n === 1 ? "" : "s"}`;

/**
 * Retry or discard, for one letter (`ids: [id]`) or every dead letter of a consumer (`ids: "all"`), after a
 * dialog that says what will happen; the outcome is announced above the table.
 */
export function DeadLetterDecision({ consumer, ids, kind, what }: { consumer: string; ids: number[] | "all"; kind: "retry" | "discard"; what: string }) {
  const [open, setOpen] = useState(false);
  const flash = useContext(Flash);
  const { submit, pending, error, setError } = useOrderAction(kind === "retry" ? retryDeadLettersAction : discardDeadLettersAction);
  const verb = kind === "retry" ? "Retry" : "Discard";
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit({ consumer, ids }, (r) => {
      setOpen(false);
      flash(
        r.moved === 0
          ? `Nothing to ${kind}: no dead letter of ${consumer} was left.`
          : kind === "retry"
            ? `${plural(r.moved)} of ${consumer} queued for redelivery (audited). The worker delivers ${r.moved === 1 ? "it" : "them"} again with the same message id at its next pass.`
            : `${plural(r.moved)} of ${consumer} discarded (audited). ${r.moved === 1 ? "It is" : "They are"} kept on the Discarded list and never delivered.`,
      );
    });
  };
  const testId = `dead-letter-${kind}-${ids === "all" ? `all-${consumer}` : ids.join("-")}`.replace(/[^a-zA-Z0-9-]/g, "-");
  return (
    <>
      <button
        type="button"
        className={ids === "all" && kind === "discard" ? "rounded-md border border-rose-300 bg-white px-3 py-1.5 text-sm font-medium text-rose-800 hover:bg-rose-50" : buttonClass}
        onClick={() => (setError(null), setOpen(true))}
        aria-label={`${verb} ${what}`}
      >
        {ids === "all" ? `${verb} all…` : `${verb}…`}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`${verb} ${what}?`} testId={testId}>
        <form onSubmit={onSubmit} className="space-y-3">
          <p>
            {kind === "retry"
              ? `The worker delivers ${what} to ${consumer} again, with the original message id, so a receiver that already has it can recognise the repeat. If it fails again it comes back here as dead.`
              : `${what[0]!.toUpperCase()}${what.slice(1)} will never be delivered to ${consumer}. The letter stays listed as discarded, and the decision is audited.`}
          </p>
          <ErrorNote message={error} />
          <DialogButtons onCancel={() => setOpen(false)} confirmLabel={verb} pending={pending} danger={kind === "discard"} />
        </form>
      </Dialog>
    </>
  );
}
