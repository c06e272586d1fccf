"use client";
import { useState, type FormEvent } from "react";
import { createApiKeyAction, revokeApiKeyAction } from "../../app/(ops)/admin/api-keys/actions.ts";
import { Dialog, DialogButtons, ErrorNote, buttonClass } from "../ui/dialog.tsx";
import { useOrderAction } from "../orders/actions/use-action.ts";

const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const label = "block text-xs font-medium text-slate-700";
type Scope = "orders:read" | "orders:write" | "orders:cancel";

/** Creates a key; the key itself is shown here once and never again (only its hash is stored). */
export function CreateApiKeyForm({ scopes }: { scopes: { value: Scope; label: string }[] }) {
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<Scope[]>(["orders:read", "orders:write"]);
  const [rate, setRate] = useState("600");
  const [shown, setShown] = useState<string | null>(null);
  const { submit, pending, error } = useOrderAction(createApiKeyAction);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setShown(null);
    submit({ name, scopes: chosen, rateLimitPerMinute: Number(rate) }, (created) => {
      setName("");
      setShown(created.key);
    });
  };
  const toggle = (s: Scope) => setChosen((c) => (c.includes(s) ? c.filter((x) => x !== s) : [...c, s]));
  return (
    <form onSubmit={onSubmit} data-testid="create-api-key-form" aria-labelledby="create-api-key" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-4">
      <h2 id="create-api-key" className="col-span-full text-sm font-semibold text-slate-800">
        Create an API key
      </h2>
      <label className={label}>
        Name (who uses it)
        <input required minLength={2} maxLength={80} value={name} onChange={(e) => setName(e.target.value)} className={input} autoComplete="off" />
      </label>
      <fieldset className="md:col-span-2">
        <legend className={label}>Scopes</legend>
        <div className="mt-1 space-y-1">
          {scopes.map((s) => (
            <label key={s.value} className="flex items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" checked={chosen.includes(s.value)} onChange={() => toggle(s.value)} />
              <span className="font-mono text-xs">{s.value}</span> <span className="text-slate-600">{s.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className={label}>
        Requests a minute
        <input required type="number" min={1} max={1000000} value={rate} onChange={(e) => setRate(e.target.value)} className={input} />
      </label>
      <div className="col-span-full flex items-center gap-3">
        <button type="submit" disabled={pending} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-50">
          {pending ? "Creating…" : "Create key"}
        </button>
      </div>
      <div className="col-span-full">
        <ErrorNote message={error} />
        {shown ? (
          <div role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
            <p className="font-medium">Copy it now: it is not shown again. Send it as Authorization: Bearer &lt;key&gt;.</p>
            <code data-testid="new-api-key" className="mt-1 block font-mono break-all select-all">
              {shown}
            </code>
          </div>
        ) : null}
      </div>
    </form>
  );
}

export function RevokeApiKeyButton({ id, name }: { id: number; name: string }) {
  const [open, setOpen] = useState(false);
  const { submit, pending, error } = useOrderAction(revokeApiKeyAction);
  return (
    <>
      <button type="button" className={buttonClass} onClick={() => setOpen(true)}>
        Revoke
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Revoke ${name}?`} testId="revoke-api-key-dialog">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit({ id }, () => setOpen(false));
          }}
        >
          <p>Every request with this key is refused (401) from now on. This cannot be undone: the caller needs a new key.</p>
          <ErrorNote message={error} />
          <DialogButtons onCancel={() => setOpen(false)} confirmLabel="Revoke key" pending={pending} danger />
        </form>
      </Dialog>
    </>
  );
}
