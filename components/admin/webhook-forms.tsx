"use client";
import { useState, type FormEvent } from "react";
import { replayWebhookEventAction, setWebhookSecretAction } from "../../app/(ops)/admin/webhooks/actions.ts";
import { ErrorNote, buttonClass } from "../ui/dialog.tsx";
import { useOrderAction } from "../orders/actions/use-action.ts";

const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm";

/** Creates or rotates one source's secret: generated here, or pasted from the sender. The new secret is shown once, here only. */
export function WebhookSecretForm({ source, label, configured }: { source: "stripe" | "shopify" | "warehouse"; label: string; configured: boolean }) {
  const [pasted, setPasted] = useState("");
  const [shown, setShown] = useState<string | null>(null);
  const { submit, pending, error } = useOrderAction(setWebhookSecretAction);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setShown(null);
    submit({ source, secret: pasted.trim() || undefined }, (data) => {
      setPasted("");
      setShown(data.secret);
    });
  };
  return (
    <form onSubmit={onSubmit} data-testid={`secret-form-${source}`} className="space-y-2">
      <label className="block text-xs font-medium text-slate-700">
        Secret from the sender (leave empty to generate one)
        <input type="password" autoComplete="off" value={pasted} onChange={(e) => setPasted(e.target.value)} className={input} />
      </label>
      <button type="submit" disabled={pending} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-50">
        {configured ? `Rotate ${label} secret` : `Create ${label} secret`}
      </button>
      {shown ? (
        <div role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          <p className="font-medium">Copy it now: it is not shown again.{configured ? " The previous secret is accepted for 24 hours." : ""}</p>
          <code data-testid="new-secret" className="mt-1 block font-mono break-all select-all">
            {shown}
          </code>
        </div>
      ) : null}
      <ErrorNote message={error} />
    </form>
  );
}

export function ReplayButton({ eventId }: { eventId: number }) {
  const [done, setDone] = useState<string | null>(null);
  const { submit, pending, error } = useOrderAction(replayWebhookEventAction);
  return (
    <div className="space-y-1">
      <button type="button" disabled={pending} className={buttonClass} onClick={() => submit({ eventId }, (r) => setDone(`Replayed: ${r.outcome}${r.message ? ` (${r.message})` : ""}`))}>
        Replay
      </button>
      {done ? (
        <p role="status" data-testid="replay-result" className="text-xs text-slate-700">
          {done}
        </p>
      ) : null}
      <ErrorNote message={error} />
    </div>
  );
}
