"use client";
import { useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { acknowledgeAlertsAction, assignAlertsAction, evaluateAlertsNowAction } from "../../app/(ops)/alerts/actions.ts";
import { Dialog, DialogButtons, ErrorNote, buttonClass } from "../ui/dialog.tsx";
import { useOrderAction } from "../orders/actions/use-action.ts";

export type Staff = { id: number; name: string; role: string };

/** Acknowledges one or more alerts with one note: the acknowledger owns them, quiet until the snooze ends. */
const compactButton = "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium whitespace-nowrap text-slate-700 hover:bg-slate-100";

export function AcknowledgeAlerts({ alertIds, label, buttonLabel, ariaLabel, onDone, compact = false }: { alertIds: number[]; label: string; buttonLabel: string; ariaLabel?: string; onDone?: () => void; compact?: boolean }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const [snooze, setSnooze] = useState<1 | 4 | 24>(4);
  const { submit, pending, error, setError } = useOrderAction(acknowledgeAlertsAction);
  const refreshBadge = useRefreshAlertCount();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit({ alertIds, note, snoozeHours: snooze }, () => (setOpen(false), setNote(""), refreshBadge(), onDone?.()));
  };
  return (
    <>
      <button type="button" className={compact ? compactButton : buttonClass} disabled={alertIds.length === 0} onClick={() => (setError(null), setOpen(true))} aria-label={ariaLabel}>
        {buttonLabel}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Acknowledge alert" testId="ack-dialog">
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

/** Gives alerts an owner without acknowledging them: they stay open; the note (optional) goes into the audit trail. */
export function AssignAlerts({
  alertIds,
  label,
  buttonLabel,
  ariaLabel,
  staff,
  me,
  onDone,
  compact = false,
}: {
  alertIds: number[];
  label: string;
  buttonLabel: string;
  ariaLabel?: string;
  staff: Staff[];
  me: number;
  onDone?: () => void;
  compact?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [owner, setOwner] = useState<string>(String(me));
  const [note, setNote] = useState("");
  const { submit, pending, error, setError } = useOrderAction(assignAlertsAction);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit({ alertIds, ownerId: owner === "none" ? null : Number(owner), note: note || undefined }, () => (setOpen(false), setNote(""), onDone?.()));
  };
  return (
    <>
      <button type="button" className={compact ? compactButton : buttonClass} disabled={alertIds.length === 0} onClick={() => (setError(null), setOpen(true))} aria-label={ariaLabel}>
        {buttonLabel}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Assign alert" testId="assign-dialog">
        <form onSubmit={onSubmit} className="space-y-3" data-testid="assign-form">
          <p>
            <strong>{label}</strong>. The owner answers for it; it stays open (not acknowledged) and keeps counting until someone acknowledges it or it clears.
          </p>
          <label className="block">
            <span className="text-xs font-medium text-slate-700">Owner</span>
            <select value={owner} onChange={(e) => setOwner(e.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5">
              {staff.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.id === me ? `Me (${s.name})` : `${s.name} (${s.role.replaceAll("_", " ")})`}
                </option>
              ))}
              <option value="none">Nobody (unassign)</option>
            </select>
          </label>
          <label className="block">
            <span className="text-xs font-medium text-slate-700">Note (optional)</span>
            <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={1000} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" />
          </label>
          <ErrorNote message={error} />
          <DialogButtons onCancel={() => setOpen(false)} confirmLabel="Assign" pending={pending} />
        </form>
      </Dialog>
    </>
  );
}

export function EvaluateNow() {
  const [summary, setSummary] = useState<string | null>(null);
  const { submit, pending, error } = useOrderAction(evaluateAlertsNowAction);
  const refreshBadge = useRefreshAlertCount();
  return (
    <div className="flex items-center gap-3">
      <span role="status" className="text-sm text-slate-700" data-testid="evaluate-summary">
        {summary}
      </span>
      <ErrorNote message={error} />
      <button type="button" className={buttonClass} disabled={pending} onClick={() => submit({}, (s) => (refreshBadge(), setSummary(`${s.raised} raised, ${s.reraised} re-raised, ${s.resolved} resolved · ${s.open} open`)))}>
        {pending ? "Checking…" : "Evaluate now"}
      </button>
    </div>
  );
}

/** The navigation badge polls every 30 s; after a change here it asks again at once. */
function useRefreshAlertCount() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: ["alerts", "count"] });
}
