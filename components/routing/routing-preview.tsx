"use client";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { PreviewResult } from "../../lib/routing/preview.ts";

type Line = { sku: string; qty: number };
type Answer = { ok: true; data: PreviewResult } | { ok: false; code: string; message: string; issues?: { path: string; message: string }[] };

async function preview(body: unknown): Promise<Answer> {
  const res = await fetch("/api/routing/preview", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return (await res.json()) as Answer;
}

export function RoutingPreview() {
  const [lines, setLines] = useState<Line[]>([{ sku: "", qty: 1 }]);
  const [country, setCountry] = useState("NL");
  const [city, setCity] = useState("");
  const [postcode, setPostcode] = useState("");
  const [shipComplete, setShipComplete] = useState(false);
  const mutation = useMutation({ mutationFn: preview });
  const answer = mutation.data;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    mutation.mutate({ lines: lines.filter((l) => l.sku.trim()), shipTo: { country, city: city || undefined, postcode: postcode || undefined }, shipComplete });
  }
  const setLine = (i: number, patch: Partial<Line>) => setLines((ls) => ls.map((l, j) => (i === j ? { ...l, ...patch } : l)));

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <form onSubmit={onSubmit} data-testid="preview-form" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <fieldset className="space-y-2">
          <legend className="text-sm font-semibold text-slate-700">Cart</legend>
          {lines.map((l, i) => (
            <div key={i} className="flex gap-2">
              <label className="flex-1 text-sm">
                <span className="sr-only">SKU of line {i + 1}</span>
                <input value={l.sku} onChange={(e) => setLine(i, { sku: e.target.value })} placeholder="SKU, e.g. BLU-M-0042" className="w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono uppercase" />
              </label>
              <label className="w-24 text-sm">
                <span className="sr-only">Quantity of line {i + 1}</span>
                <input type="number" min={1} value={l.qty} onChange={(e) => setLine(i, { qty: Number(e.target.value) })} className="w-full rounded-md border border-slate-300 px-2 py-1.5" />
              </label>
              <button type="button" aria-label={`Remove line ${i + 1}`} onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))} disabled={lines.length === 1} className="rounded-md border border-slate-300 px-2 text-slate-600 disabled:opacity-40">×</button>
            </div>
          ))}
          <button type="button" onClick={() => setLines((ls) => [...ls, { sku: "", qty: 1 }])} className="text-sm font-medium text-indigo-700 hover:underline">+ Add line</button>
        </fieldset>
        <div className="flex gap-2">
          <label className="w-24 text-sm">
            <span className="block text-xs font-medium text-slate-600">Country</span>
            <input value={country} onChange={(e) => setCountry(e.target.value.toUpperCase())} maxLength={2} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 uppercase" />
          </label>
          <label className="flex-1 text-sm">
            <span className="block text-xs font-medium text-slate-600">City (optional)</span>
            <input value={city} onChange={(e) => setCity(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" />
          </label>
          <label className="w-32 text-sm">
            <span className="block text-xs font-medium text-slate-600">Postcode (optional)</span>
            <input value={postcode} onChange={(e) => setPostcode(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 uppercase" />
          </label>
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={shipComplete} onChange={(e) => setShipComplete(e.target.checked)} /> Ship complete (never split)
        </label>
        <button type="submit" disabled={mutation.isPending} className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-60">
          {mutation.isPending ? "Planning…" : "Preview routing"}
        </button>
      </form>
      <div aria-live="polite" data-testid="preview-result">
        {mutation.isError ? <p className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">The preview could not be reached. Try again.</p> : null}
        {answer && !answer.ok ? (
          <div role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
            {answer.message}
            {answer.issues?.map((i) => <div key={i.path}>{i.path}: {i.message}</div>)}
          </div>
        ) : null}
        {answer?.ok ? <PreviewAnswer result={answer.data} /> : null}
      </div>
    </div>
  );
}

function PreviewAnswer({ result }: { result: PreviewResult }) {
  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
      <p className="font-semibold">Outcome: {result.outcome}</p>
      <p data-testid="preview-ship-to" data-precision={result.shipTo.precision} className="text-slate-600">
        Ship-to placed at {result.shipTo.place}
        {result.shipTo.precision === "city" || result.shipTo.precision === "coordinates" ? "" : ` (by ${result.shipTo.precision} only)`}.
      </p>
      {result.warnings.map((w) => (
        <p key={w} data-testid="preview-warning" className="rounded bg-amber-50 px-2 py-1 text-amber-900">{w}</p>
      ))}
      <ol className="space-y-2">
        {result.shipments.map((s, i) => (
          <li key={i} data-testid="preview-shipment" className="rounded border border-slate-200 p-2">
            <span className="font-medium">{s.location}</span> ({s.kind}, {s.distanceKm} km) · ships by {new Date(s.shipBy).toLocaleDateString()}
            <div className="text-slate-600">{s.lines.map((l) => `${l.qty} × ${l.sku}`).join(", ")}</div>
          </li>
        ))}
      </ol>
      {result.backorders.length ? <p>Backordered: {result.backorders.map((b) => `${b.qty} × ${b.sku}`).join(", ")}</p> : null}
      {result.hold ? <p className="text-rose-800">{result.hold.reason}</p> : null}
      <ul className="list-disc pl-5 text-slate-600">
        {result.explanation.map((e, i) => (
          <li key={i}>{e}</li>
        ))}
      </ul>
    </div>
  );
}
