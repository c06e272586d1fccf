"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import {
  changeSubscriptionEventTypesAction,
  createSubscriptionAction,
  rotateSubscriptionSecretAction,
  sendTestEventAction,
  setSubscriptionEnabledAction,
} from "../../app/(ops)/admin/subscriptions/actions.ts";
import { Dialog, DialogButtons, ErrorNote, buttonClass } from "../ui/dialog.tsx";
import { useOrderAction } from "../orders/actions/use-action.ts";

type EventType = "order.created" | "order.status_changed" | "shipment.shipped" | "backorder.created" | "refund.succeeded";
type Option = { value: EventType; label: string };

const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const label = "block text-xs font-medium text-slate-700";
const primary = "rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-50";

function EventTypeChoices({ options, chosen, onToggle }: { options: Option[]; chosen: EventType[]; onToggle: (t: EventType) => void }) {
  return (
    <fieldset>
      <legend className={label}>Event types</legend>
      <div className="mt-1 space-y-1">
        {options.map((o) => (
          <label key={o.value} className="flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" checked={chosen.includes(o.value)} onChange={() => onToggle(o.value)} />
            <span className="font-mono text-xs">{o.value}</span> <span className="text-slate-600">{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A secret shown this once, right after it was made. */
function NewSecret({ secret, note }: { secret: string; note: string }) {
  return (
    <div role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
      <p className="font-medium">Copy the signing secret now: it is not shown again. {note}</p>
      <code data-testid="new-subscription-secret" className="mt-1 block font-mono break-all select-all">
        {secret}
      </code>
    </div>
  );
}

const toggler = (set: (f: (c: EventType[]) => EventType[]) => void) => (t: EventType) => set((c) => (c.includes(t) ? c.filter((x) => x !== t) : [...c, t]));

export function CreateSubscriptionForm({ options }: { options: Option[] }) {
  const [url, setUrl] = useState("");
  const [chosen, setChosen] = useState<EventType[]>(options.map((o) => o.value));
  const [shown, setShown] = useState<{ id: number; secret: string } | null>(null);
  const { submit, pending, error } = useOrderAction(createSubscriptionAction);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setShown(null);
    submit({ url, eventTypes: chosen }, (created) => {
      setUrl("");
      setShown(created);
    });
  };
  return (
    <form onSubmit={onSubmit} data-testid="create-subscription-form" aria-labelledby="create-subscription" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-3">
      <h2 id="create-subscription" className="col-span-full text-sm font-semibold text-slate-800">
        Add a subscriber
      </h2>
      <label className={`${label} md:col-span-2`}>
        Receiver URL (https; http only for localhost or 127.0.0.1)
        <input required type="url" maxLength={2000} value={url} onChange={(e) => setUrl(e.target.value)} className={input} autoComplete="off" placeholder="https://example.com/webhooks" />
      </label>
      <EventTypeChoices options={options} chosen={chosen} onToggle={toggler(setChosen)} />
      <div className="col-span-full space-y-2">
        <button type="submit" disabled={pending} className={primary}>
          {pending ? "Adding…" : "Add subscriber"}
        </button>
        <ErrorNote message={error} />
        {shown ? (
          <div data-testid="created-subscription" data-id={shown.id}>
            <NewSecret secret={shown.secret} note="Give it to the receiver, which verifies every request with it." />
          </div>
        ) : null}
      </div>
    </form>
  );
}

export function EventTypesForm({ subscriptionId, options, current }: { subscriptionId: number; options: Option[]; current: EventType[] }) {
  const [chosen, setChosen] = useState<EventType[]>(current);
  const [saved, setSaved] = useState(false);
  const { submit, pending, error } = useOrderAction(changeSubscriptionEventTypesAction);
  return (
    <form
      className="space-y-2"
      data-testid="event-types-form"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        submit({ subscriptionId, eventTypes: chosen }, () => setSaved(true));
      }}
    >
      <EventTypeChoices options={options} chosen={chosen} onToggle={toggler(setChosen)} />
      <button type="submit" disabled={pending} className={buttonClass}>
        Save event types
      </button>
      {saved ? <p role="status" className="text-xs text-slate-700">Saved.</p> : null}
      <ErrorNote message={error} />
    </form>
  );
}

export function RotateSecretButton({ subscriptionId }: { subscriptionId: number }) {
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  const { submit, pending, error } = useOrderAction(rotateSubscriptionSecretAction);
  return (
    <>
      <button type="button" className={buttonClass} onClick={() => (setShown(null), setOpen(true))}>
        Rotate secret
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Rotate the signing secret?" testId="rotate-secret-dialog">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit({ subscriptionId }, (r) => (setShown(r.secret), setOpen(false)));
          }}
        >
          <p>A new secret is made and shown once. For the next 24 hours every request carries two signatures, one with each secret, so the receiver can switch over without missing an event.</p>
          <ErrorNote message={error} />
          <DialogButtons onCancel={() => setOpen(false)} confirmLabel="Rotate secret" pending={pending} />
        </form>
      </Dialog>
      {shown ? (
        <div className="order-last basis-full">
          <NewSecret secret={shown} note="The previous secret signs too for 24 hours." />
        </div>
      ) : null}
    </>
  );
}

export function EnableButton({ subscriptionId, enabled }: { subscriptionId: number; enabled: boolean }) {
  const [open, setOpen] = useState(false);
  const { submit, pending, error } = useOrderAction(setSubscriptionEnabledAction);
  const verb = enabled ? "Disable" : "Enable";
  return (
    <>
      <button type="button" className={buttonClass} onClick={() => setOpen(true)}>
        {verb}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`${verb} this subscription?`} testId="enable-subscription-dialog">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit({ subscriptionId, enabled: !enabled }, () => setOpen(false));
          }}
        >
          <p>{enabled ? "Nothing more is sent to it, and what happens while it is disabled is not sent later." : "It hears events from now on; what happened while it was disabled is not sent."}</p>
          <ErrorNote message={error} />
          <DialogButtons onCancel={() => setOpen(false)} confirmLabel={verb} pending={pending} danger={enabled} />
        </form>
      </Dialog>
    </>
  );
}

/** Queues a test event, then refreshes the delivery log for a few seconds while the worker sends it. */
export function SendTestButton({ subscriptionId, enabled }: { subscriptionId: number; enabled: boolean }) {
  const router = useRouter();
  const [watching, setWatching] = useState(0);
  const { submit, pending, error } = useOrderAction(sendTestEventAction);
  useEffect(() => {
    if (watching <= 0) return;
    const t = setTimeout(() => (router.refresh(), setWatching((n) => n - 1)), 1_000);
    return () => clearTimeout(t);
  }, [watching, router]);
  // A fragment: in the controls' row the button sits beside the others, its notes on a line of their own below.
  return (
    <>
      <button type="button" disabled={pending || !enabled} className={buttonClass} onClick={() => submit({ subscriptionId }, () => setWatching(15))}>
        Send test event
      </button>
      <div className="order-last basis-full empty:hidden">
        {watching > 0 ? (
          <p role="status" className="text-xs text-slate-700">
            Test event queued: its attempts appear in the delivery log below.
          </p>
        ) : null}
        <ErrorNote message={error} />
      </div>
    </>
  );
}
