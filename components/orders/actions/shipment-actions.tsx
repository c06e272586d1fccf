"use client";
import { useState, type FormEvent } from "react";
import { advanceShipmentAction, backorderUnitsAction, moveUnitsAction } from "../../../app/(ops)/orders/[id]/actions.ts";
import { Dialog, DialogButtons, ErrorNote, buttonClass } from "../../ui/dialog.tsx";
import { useOrderAction } from "./use-action.ts";

type Line = { orderLineId: number; sku: string; qty: number; productId: number };
export type MoveTarget = { locationId: number; name: string; available: Record<number, number> };
type Props = {
  orderId: number;
  shipmentId: number;
  lines: Line[];
  next: string | null;
  split: boolean;
  /** Why split or move is not offered (a ship-complete order), shown in its place. */
  splitRefusal?: string | null;
  backorder: boolean;
  targets: MoveTarget[];
};

const NEXT_LABEL: Record<string, string> = { picking: "Start picking", packed: "Mark packed", shipped: "Mark shipped…", delivered: "Mark delivered" };

export function ShipmentActions(p: Props) {
  const [open, setOpen] = useState<"ship" | "move" | "backorder" | null>(null);
  const advance = useOrderAction(advanceShipmentAction, (_, i) => `Shipment #${i.shipmentId} is now ${i.to}.`);
  if (!p.next && !p.split && !p.backorder && !p.splitRefusal) return null;
  const close = () => setOpen(null);
  return (
    <div className="mt-2 flex flex-wrap items-center gap-2" data-testid="shipment-actions">
      {p.next ? (
        <button
          type="button"
          className={buttonClass}
          disabled={advance.pending}
          onClick={() => (p.next === "shipped" ? setOpen("ship") : advance.submit({ orderId: p.orderId, shipmentId: p.shipmentId, to: p.next as never }))}
        >
          {NEXT_LABEL[p.next] ?? p.next}
        </button>
      ) : null}
      {p.split ? <button type="button" className={buttonClass} onClick={() => setOpen("move")}>Split or move…</button> : null}
      {!p.split && p.splitRefusal ? <span data-testid="split-refusal" className="text-xs text-slate-600">No split or move: {p.splitRefusal}</span> : null}
      {p.backorder ? <button type="button" className={buttonClass} onClick={() => setOpen("backorder")}>Backorder units…</button> : null}
      <ErrorNote message={advance.error} />
      <ShipDialog {...p} open={open === "ship"} onClose={close} />
      <MoveDialog {...p} open={open === "move"} onClose={close} />
      <BackorderDialog {...p} open={open === "backorder"} onClose={close} />
    </div>
  );
}

type D = Props & { open: boolean; onClose: () => void };

function ShipDialog({ orderId, shipmentId, lines, open, onClose }: D) {
  const [carrier, setCarrier] = useState("DHL");
  const [tracking, setTracking] = useState("");
  const { submit, pending, error } = useOrderAction(advanceShipmentAction, (_, i) => `Shipment #${i.shipmentId} is marked shipped${i.trackingNumber ? ` with tracking ${i.trackingNumber}` : ""}.`);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit({ orderId, shipmentId, to: "shipped", carrier, trackingNumber: tracking }, onClose);
  };
  return (
    <Dialog open={open} onClose={onClose} title={`Ship #${shipmentId}`} testId="ship-dialog">
      <form onSubmit={onSubmit} className="space-y-3">
        <p>{lines.map((l) => `${l.qty} × ${l.sku}`).join(", ")} leave the warehouse: stock on hand drops and the customer is emailed the tracking number and what follows.</p>
        <label className="block"><span className="text-xs font-medium text-slate-600">Carrier</span>
          <select value={carrier} onChange={(e) => setCarrier(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5">
            {["DHL", "UPS", "DPD", "PostNL", "Colissimo", "Royal Mail"].map((c) => <option key={c}>{c}</option>)}
          </select>
        </label>
        <label className="block"><span className="text-xs font-medium text-slate-600">Tracking number</span>
          <input value={tracking} onChange={(e) => setTracking(e.target.value)} required pattern="[A-Za-z0-9-]{6,40}" className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono uppercase" />
        </label>
        <ErrorNote message={error} />
        <DialogButtons onCancel={onClose} confirmLabel="Mark shipped" pending={pending} disabled={tracking.trim().length < 6} />
      </form>
    </Dialog>
  );
}

function MoveDialog({ orderId, shipmentId, lines, targets, open, onClose }: D) {
  const [lineId, setLineId] = useState(lines[0]?.orderLineId ?? 0);
  const line = lines.find((l) => l.orderLineId === lineId) ?? lines[0];
  const [qty, setQty] = useState(1);
  const options = targets.filter((t) => line && (t.available[line.productId] ?? 0) > 0);
  const [target, setTarget] = useState<number | null>(null);
  const [reason, setReason] = useState("");
  const chosen = options.find((t) => t.locationId === target) ?? options[0];
  const { submit, pending, error } = useOrderAction(moveUnitsAction, (_, i) => `${i.qty} unit(s) moved out of shipment #${i.shipmentId}.`);
  if (!line) return null;
  const max = Math.min(line.qty, chosen ? chosen.available[line.productId] ?? 0 : 0);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (chosen) submit({ orderId, shipmentId, orderLineId: line.orderLineId, qty, toLocationId: chosen.locationId, reason }, onClose);
  };
  return (
    <Dialog open={open} onClose={onClose} title={`Split or move shipment #${shipmentId}`} testId="move-dialog">
      <form onSubmit={onSubmit} className="space-y-3">
        <label className="block"><span className="text-xs font-medium text-slate-600">Line</span>
          <select value={line.orderLineId} onChange={(e) => setLineId(Number(e.target.value))} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5">
            {lines.map((l) => <option key={l.orderLineId} value={l.orderLineId}>{l.sku} ({l.qty} in this shipment)</option>)}
          </select>
        </label>
        {options.length === 0 ? (
          <p className="rounded-md bg-amber-50 px-2 py-1 text-amber-900">No other location has {line.sku} available. Backorder the units instead.</p>
        ) : (
          <>
            <label className="block"><span className="text-xs font-medium text-slate-600">Move to</span>
              <select value={chosen?.locationId} onChange={(e) => setTarget(Number(e.target.value))} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5">
                {options.map((t) => <option key={t.locationId} value={t.locationId}>{t.name} ({t.available[line.productId]} available)</option>)}
              </select>
            </label>
            <label className="block"><span className="text-xs font-medium text-slate-600">Units</span>
              <input type="number" min={1} max={max} value={qty} onChange={(e) => setQty(Math.max(1, Math.min(max, Number(e.target.value) || 1)))} className="mt-1 w-24 rounded-md border border-slate-300 px-2 py-1.5" />
            </label>
            <label className="block"><span className="text-xs font-medium text-slate-600">Reason (required)</span>
              <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" />
            </label>
            <p data-testid="move-consequence" className="rounded-md bg-slate-50 px-2 py-1">
              {qty} × {line.sku} are reserved at {chosen?.name} and released here; {qty === line.qty && lines.length === 1 ? `shipment #${shipmentId} is cancelled` : `shipment #${shipmentId} keeps the rest`}. The customer&apos;s original ship-by date stays on the shipment, and any alert on it stays open.
            </p>
          </>
        )}
        <ErrorNote message={error} />
        <DialogButtons onCancel={onClose} confirmLabel="Move units" pending={pending} disabled={!chosen || max < 1 || reason.trim().length < 3} />
      </form>
    </Dialog>
  );
}

function BackorderDialog({ orderId, shipmentId, lines, splitRefusal, open, onClose }: D) {
  const [lineId, setLineId] = useState(lines[0]?.orderLineId ?? 0);
  const line = lines.find((l) => l.orderLineId === lineId) ?? lines[0];
  const [qty, setQty] = useState(1);
  const [reason, setReason] = useState("");
  const { submit, pending, error } = useOrderAction(backorderUnitsAction, (_, i) => `${i.qty} unit(s) of shipment #${i.shipmentId} backordered; the customer is told.`);
  if (!line) return null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit({ orderId, shipmentId, orderLineId: line.orderLineId, qty, reason }, onClose);
  };
  return (
    <Dialog open={open} onClose={onClose} title={`Backorder units of shipment #${shipmentId}`} testId="backorder-dialog">
      <form onSubmit={onSubmit} className="space-y-3">
        <label className="block"><span className="text-xs font-medium text-slate-600">Line</span>
          <select value={line.orderLineId} onChange={(e) => setLineId(Number(e.target.value))} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5">
            {lines.map((l) => <option key={l.orderLineId} value={l.orderLineId}>{l.sku} ({l.qty} in this shipment)</option>)}
          </select>
        </label>
        <label className="block"><span className="text-xs font-medium text-slate-600">Units unavailable</span>
          <input type="number" min={1} max={line.qty} value={qty} onChange={(e) => setQty(Math.max(1, Math.min(line.qty, Number(e.target.value) || 1)))} className="mt-1 w-24 rounded-md border border-slate-300 px-2 py-1.5" />
        </label>
        <label className="block"><span className="text-xs font-medium text-slate-600">Why (damaged, miscounted…)</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" />
        </label>
        <p className="rounded-md bg-slate-50 px-2 py-1">
          {qty} × {line.sku} are written off here and routed again: spare stock, another location or a supplier takes them if it can; only what nothing covers is backordered, and the customer is asked whether to wait or cancel.
          {splitRefusal ? " This order ships complete, so all of it is planned again as one parcel." : ""}
        </p>
        <ErrorNote message={error} />
        <DialogButtons onCancel={onClose} confirmLabel="Backorder" pending={pending} disabled={reason.trim().length < 3} />
      </form>
    </Dialog>
  );
}
