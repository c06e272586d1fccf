"use client";
import { useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { acknowledgeAlertAction, evaluateAlertsNowAction } from "../../app/(ops)/alerts/actions.ts";
import { Dialog, DialogButtons, ErrorNote, buttonClass } from "../ui/dialog.tsx";
import { useOrderAction } from "../orders/actions/use-action.ts";
import { ALERT_COUNT_QUERY_KEY } from "./alert-count-badge.tsx";

/** Refetches the navigation's open-alert count after an action changed it (it otherwise polls every 30 s). */
function useRefreshAlertCount(): () => void {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: ALERT_COUNT_QUERY_KEY });
}

export function AcknowledgeAlert({ alertId, label }: { alertId: number; label: string }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const [snooze, setSnooze] = useState<1 | 4 | 24>(4);
  const { submit, pending, error, setError } = useOrderAction(acknowledgeAlertAction);
  const refreshCount = useRefreshAlertCount();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit({ alertId, note, snoozeHours: snooze }, () => (setOpen(false), refreshCount()));
  };
  const testId = `ack-dialog-${alertId}`;
  return (
    <>
      <button type="button" className={buttonClass} onClick={() => (setError(null), setOpen(true))} aria-label={`Acknowledge: ${label}`}>
        Acknowledge…
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Acknowledge alert" testId={testId}>
        <form onSubmit={onSubmit} className="space-y-3" data-testid="ack-form">
          <p>
            <strong>{label}</strong>. You become its owner; it stays quiet until the snooze ends and is raised again if it is still stuck then. Your note goes into the audit trail.
          </p>
          <label className="block">
            <span className="text-xs font-medium text-slate-700">Note (required)</span>
            <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" />
          </label>
          <label className="block">
            <span className="text-xs font-medium text-slate-700">Snooze for</span>
            <select value={snooze} onChange={(e) => setSnooze(Number(e.target.value) as 1 | 4 | 24)} className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5">
              <option value={1}>1 hour</option>
              <option value={4}>4 hours</option>
              <option value={24}>24 hours</option>
            </select>
          </label>
          <ErrorNote message={error} />
          <DialogButtons onCancel={() => setOpen(false)} confirmLabel="Acknowledge" pending={pending} disabled={note.trim().length < 3} />
        </form>
      </Dialog>
    </>
  );
}

export function EvaluateNow() {
  const [summary, setSummary] = useState<string | null>(null);
  const { submit, pending, error } = useOrderAction(evaluateAlertsNowAction);
  const refreshCount = useRefreshAlertCount();
  return (
    <div className="flex items-center gap-3">
      <span role="status" className="text-sm text-slate-700" data-testid="evaluate-summary">
        {summary}
      </span>
      <ErrorNote message={error} />
      <button type="button" className={buttonClass} disabled={pending} onClick={() => submit({}, (s) => (setSummary(`${s.raised} raised, ${s.reraised} re-raised, ${s.resolved} resolved · ${s.open} open`), refreshCount()))}>
        {pending ? "Checking…" : "Evaluate now"}
      </button>
    </div>
  );
}
