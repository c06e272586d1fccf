"use client";
import { startTransition, useActionState, useState, type FormEvent } from "react";
import { Link } from "../ui/link.tsx";
import { receiveStockAction } from "../../app/(ops)/routing/actions.ts";

type Location = { id: number; code: string; name: string };
type State = Awaited<ReturnType<typeof receiveStockAction>> | null;
type Fields = { locationId: string; sku: string; qty: string; reference: string; override: boolean };

/** Fields are controlled and the form is never reset by React: a refused receipt keeps what was typed. */
export function ReceiveStockForm({ locations }: { locations: Location[] }) {
  const [fields, setFields] = useState<Fields>({ locationId: String(locations[0]?.id ?? ""), sku: "", qty: "", reference: "", override: false });
  const set = (name: keyof Fields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [name]: e.target.value }));
  const [state, receive, pending] = useActionState<State, Fields>(async (_prev, f) => {
    const result = await receiveStockAction({ locationId: Number(f.locationId), sku: f.sku, qty: Number(f.qty), reference: f.reference || undefined, override: f.override });
    if (result.ok) setFields((now) => ({ ...now, sku: "", qty: "", reference: "", override: false }));
    return result;
  }, null);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    startTransition(() => receive(fields));
  };
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  // A conflict here is a reference already booked at this location: say so and offer to book it again.
  const duplicate = state && !state.ok && state.code === "conflict";
  return (
    <form onSubmit={onSubmit} data-testid="receive-stock" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-5">
      <label className="text-sm">
        <span className="block text-xs font-medium text-slate-600">Location</span>
        <select name="locationId" required value={fields.locationId} onChange={set("locationId")} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5">
          {locations.map((l) => (
            <option key={l.id} value={l.id}>{l.name} ({l.code})</option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="block text-xs font-medium text-slate-600">SKU</span>
        <input name="sku" required value={fields.sku} onChange={set("sku")} placeholder="BLU-M-0042" aria-invalid={!!errors?.sku} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono uppercase" />
        {errors?.sku ? <span className="text-xs text-rose-700">{errors.sku[0]}</span> : null}
      </label>
      <label className="text-sm">
        <span className="block text-xs font-medium text-slate-600">Units received</span>
        <input name="qty" type="number" min={1} max={100000} required value={fields.qty} onChange={set("qty")} aria-invalid={!!errors?.qty} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" />
        {errors?.qty ? <span className="text-xs text-rose-700">{errors.qty[0]}</span> : null}
      </label>
      <label className="text-sm">
        <span className="block text-xs font-medium text-slate-600">Reference (optional)</span>
        <input name="reference" value={fields.reference} onChange={set("reference")} placeholder="PO or delivery note" className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" />
      </label>
      <div className="flex items-end">
        <button type="submit" disabled={pending} className="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-60">
          {pending ? "Receiving…" : "Receive"}
        </button>
      </div>
      {duplicate ? (
        <label data-testid="receive-override" className="sm:col-span-5 flex items-center gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <input type="checkbox" name="override" checked={fields.override} onChange={(e) => setFields((f) => ({ ...f, override: e.target.checked }))} /> Book again anyway: this is a
          second delivery with the same reference.
        </label>
      ) : null}
      {state ? (
        <div role="status" data-testid="receive-result" className={`sm:col-span-5 rounded-md px-3 py-2 text-sm ${state.ok ? "bg-emerald-50 text-emerald-900" : "bg-rose-50 text-rose-800"}`}>
          {state.ok ? (
            <>
              Received {state.data.received} × {state.data.sku}; on hand now {state.data.onHand}.{" "}
              {state.data.fills.length ? (
                <>
                  Filled {state.data.fills.length} backorder(s), oldest first:{" "}
                  {state.data.fills.map((f, i) => (
                    <span key={f.backorderId}>
                      {i ? ", " : ""}
                      <Link className="underline" href={`/orders/${f.orderNumber}`}>{f.orderNumber}</Link> ({f.qty}
                      {f.remaining ? `, ${f.remaining} still waiting` : ""})
                    </span>
                  ))}
                  .
                </>
              ) : (
                "No backorders were waiting for it."
              )}
            </>
          ) : (
            state.message
          )}
        </div>
      ) : null}
    </form>
  );
}
