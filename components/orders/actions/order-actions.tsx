"use client";
import { useState, type FormEvent } from "react";
import { cancelOrderAction, cancelUnitsAction, requestRefundAction } from "../../../app/(ops)/orders/[id]/actions.ts";
import { afterCancellation, cancellationAmount, refundForLines } from "../../../lib/orders/money.ts";
import { formatMoney } from "../../../lib/format.ts";
import { Dialog, DialogButtons, ErrorNote, buttonClass } from "../../ui/dialog.tsx";
import { useOrderAction } from "./use-action.ts";

export type ActionOrder = {
  id: number;
  number: string;
  status: string;
  currency: string;
  subtotal: number;
  shipping: number;
  tax: number;
  total: number;
  paid: number;
  refunded: number;
};
export type ActionLine = { id: number; sku: string; name: string; qtyOrdered: number; qtyCancelled: number; unitPrice: number };

type Props = {
  order: ActionOrder;
  lines: ActionLine[];
  pendingShipments: { id: number; location: string; units: number }[];
  pendingRefunds: number;
  caps: { cancelOrder: boolean; cancelUnits: boolean; cancellable: Record<string, number>; refund: boolean; refundable: number };
  refundLimit: number;
  needsApprovalAbove: boolean;
};

export function OrderActions(p: Props) {
  const [open, setOpen] = useState<"cancel" | "units" | "refund" | null>(null);
  const close = () => setOpen(null);
  if (!p.caps.cancelOrder && !p.caps.cancelUnits && !p.caps.refund) return null;
  return (
    <div className="flex flex-wrap gap-2" data-testid="order-actions">
      {p.caps.cancelUnits ? <button type="button" className={buttonClass} onClick={() => setOpen("units")}>Cancel items…</button> : null}
      {p.caps.refund ? <button type="button" className={buttonClass} onClick={() => setOpen("refund")}>Refund…</button> : null}
      {p.caps.cancelOrder ? (
        <button type="button" className={`${buttonClass} border-rose-300 text-rose-700 hover:bg-rose-50`} onClick={() => setOpen("cancel")}>Cancel order…</button>
      ) : null}
      <CancelOrderDialog {...p} open={open === "cancel"} onClose={close} />
      <CancelUnitsDialog {...p} open={open === "units"} onClose={close} />
      <RefundDialog {...p} open={open === "refund"} onClose={close} />
    </div>
  );
}

type DialogProps = Props & { open: boolean; onClose: () => void };

function CancelOrderDialog({ order, lines, pendingShipments, pendingRefunds, open, onClose }: DialogProps) {
  const [reason, setReason] = useState("");
  const { submit, pending, error } = useOrderAction(cancelOrderAction);
  const refund = Math.max(0, order.paid - order.refunded - pendingRefunds);
  const units = lines.reduce((n, l) => n + l.qtyOrdered - l.qtyCancelled, 0);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit({ orderId: order.id, reason, expectedStatus: order.status as never }, onClose);
  };
  return (
    <Dialog open={open} onClose={onClose} title={`Cancel ${order.number}?`} testId="cancel-order-dialog">
      <form onSubmit={onSubmit} className="space-y-3">
        <ul className="list-disc space-y-1 pl-5">
          <li>All {units} open unit(s) are cancelled.</li>
          {pendingShipments.length ? <li>Shipments {pendingShipments.map((s) => `#${s.id} (${s.location})`).join(", ")} are cancelled and their stock released.</li> : null}
          <li>{refund > 0 ? <>The customer is refunded <strong>{formatMoney(refund, order.currency)}</strong>.</> : "Nothing was paid, so nothing is refunded."}</li>
          <li>The customer is told by email.</li>
        </ul>
        <label className="block">
          <span className="text-xs font-medium text-slate-600">Reason (required)</span>
          <textarea name="reason" required minLength={3} value={reason} onChange={(e) => setReason(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" rows={2} />
        </label>
        <ErrorNote message={error} />
        <DialogButtons onCancel={onClose} confirmLabel="Cancel the order" pending={pending} danger disabled={reason.trim().length < 3} />
      </form>
    </Dialog>
  );
}

function CancelUnitsDialog({ order, lines, caps, pendingRefunds, open, onClose }: DialogProps) {
  const [qty, setQty] = useState<Record<number, number>>({});
  const [reason, setReason] = useState("");
  const { submit, pending, error } = useOrderAction(cancelUnitsAction);
  const chosen = lines.filter((l) => (qty[l.id] ?? 0) > 0);
  const openAfter = lines.reduce((n, l) => n + l.qtyOrdered - l.qtyCancelled, 0) - chosen.reduce((n, l) => n + (qty[l.id] ?? 0), 0);
  const cut = cancellationAmount(order, chosen.map((l) => ({ unitPrice: l.unitPrice, qty: qty[l.id]! })), openAfter === 0);
  const { totals, refund } = afterCancellation(order, cut, pendingRefunds);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit({ orderId: order.id, lines: chosen.map((l) => ({ orderLineId: l.id, qty: qty[l.id]! })), reason, expectedStatus: order.status as never }, () => {
      setQty({});
      onClose();
    });
  };
  return (
    <Dialog open={open} onClose={onClose} title={`Cancel items of ${order.number}`} testId="cancel-units-dialog">
      <form onSubmit={onSubmit} className="space-y-3">
        <p className="text-slate-600">Only units the warehouse has not started on can be cancelled.</p>
        <table className="w-full">
          <thead className="text-left text-xs text-slate-500"><tr><th className="py-1">Line</th><th className="py-1 text-right">Can cancel</th><th className="py-1 text-right">Cancel</th></tr></thead>
          <tbody>
            {lines.map((l) => {
              const max = caps.cancellable[l.id] ?? 0;
              return (
                <tr key={l.id}>
                  <td className="py-1"><span className="font-mono text-xs">{l.sku}</span> <span className="text-slate-600">{l.name}</span></td>
                  <td className="py-1 text-right tabular-nums">{max}</td>
                  <td className="py-1 text-right">
                    <input
                      type="number"
                      min={0}
                      max={max}
                      disabled={max === 0}
                      aria-label={`Units of ${l.sku} to cancel`}
                      value={qty[l.id] ?? 0}
                      onChange={(e) => setQty({ ...qty, [l.id]: Math.max(0, Math.min(max, Number(e.target.value) || 0)) })}
                      className="w-20 rounded-md border border-slate-300 px-2 py-1 text-right"
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <dl data-testid="cancel-units-consequence" className="grid grid-cols-2 gap-1 rounded-md bg-slate-50 p-2">
          <dt>New order total</dt><dd className="text-right tabular-nums">{formatMoney(totals.total, order.currency)}</dd>
          <dt>Refund to the customer</dt><dd data-testid="refund-preview" className="text-right font-semibold tabular-nums">{formatMoney(refund, order.currency)}</dd>
        </dl>
        <label className="block">
          <span className="text-xs font-medium text-slate-600">Reason (required)</span>
          <textarea name="reason" required value={reason} onChange={(e) => setReason(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" rows={2} />
        </label>
        <ErrorNote message={error} />
        <DialogButtons onCancel={onClose} confirmLabel="Cancel these items" pending={pending} danger disabled={chosen.length === 0 || reason.trim().length < 3} />
      </form>
    </Dialog>
  );
}

function RefundDialog({ order, lines, caps, refundLimit, needsApprovalAbove, open, onClose }: DialogProps) {
  const [mode, setMode] = useState<"amount" | "lines">("amount");
  const [amount, setAmount] = useState("");
  const [qty, setQty] = useState<Record<number, number>>({});
  const [reason, setReason] = useState("");
  const { submit, pending, error } = useOrderAction(requestRefundAction);
  const digits = 2;
  const cents = mode === "amount" ? Math.round(Number(amount.replace(",", ".")) * 10 ** digits) || 0 : refundForLines(order, lines.filter((l) => qty[l.id]).map((l) => ({ unitPrice: l.unitPrice, qty: qty[l.id]! })));
  const waits = needsApprovalAbove && cents > refundLimit;
  const tooMuch = cents > caps.refundable;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const base = { orderId: order.id, reason };
    submit(
      mode === "amount" ? { ...base, amount: cents } : { ...base, lines: lines.filter((l) => qty[l.id]).map((l) => ({ orderLineId: l.id, qty: qty[l.id]! })) },
      () => {
        setAmount("");
        setQty({});
        onClose();
      },
    );
  };
  return (
    <Dialog open={open} onClose={onClose} title={`Refund ${order.number}`} testId="refund-dialog">
      <form onSubmit={onSubmit} className="space-y-3">
        <p>Up to <strong>{formatMoney(caps.refundable, order.currency)}</strong> can be refunded.</p>
        <fieldset className="flex gap-4">
          <legend className="sr-only">Refund by</legend>
          <label className="flex items-center gap-1"><input type="radio" checked={mode === "amount"} onChange={() => setMode("amount")} /> An amount</label>
          <label className="flex items-center gap-1"><input type="radio" checked={mode === "lines"} onChange={() => setMode("lines")} /> Units of lines</label>
        </fieldset>
        {mode === "amount" ? (
          <label className="block">
            <span className="text-xs font-medium text-slate-600">Amount ({order.currency})</span>
            <input inputMode="decimal" name="amount" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="0.00" className="mt-1 w-40 rounded-md border border-slate-300 px-2 py-1.5" />
          </label>
        ) : (
          <ul className="space-y-1">
            {lines.map((l) => (
              <li key={l.id} className="flex items-center justify-between gap-2">
                <span><span className="font-mono text-xs">{l.sku}</span> × {formatMoney(l.unitPrice, order.currency)}</span>
                <input type="number" min={0} max={l.qtyOrdered} aria-label={`Units of ${l.sku} to refund`} value={qty[l.id] ?? 0} onChange={(e) => setQty({ ...qty, [l.id]: Math.max(0, Math.min(l.qtyOrdered, Number(e.target.value) || 0)) })} className="w-20 rounded-md border border-slate-300 px-2 py-1 text-right" />
              </li>
            ))}
          </ul>
        )}
        <p data-testid="refund-consequence" className={`rounded-md px-2 py-1 ${tooMuch ? "bg-rose-50 text-rose-800" : waits ? "bg-amber-50 text-amber-900" : "bg-slate-50"}`}>
          {tooMuch
            ? `That is more than the ${formatMoney(caps.refundable, order.currency)} still refundable.`
            : waits
              ? `${formatMoney(cents, order.currency)} is above your limit of ${formatMoney(refundLimit, order.currency)}: it will wait for finance to approve.`
              : `${formatMoney(cents, order.currency)} goes back to the customer now.`}
        </p>
        <label className="block">
          <span className="text-xs font-medium text-slate-600">Reason (required)</span>
          <textarea name="reason" value={reason} onChange={(e) => setReason(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" rows={2} />
        </label>
        <ErrorNote message={error} />
        <DialogButtons onCancel={onClose} confirmLabel={waits ? "Ask finance to approve" : "Refund"} pending={pending} disabled={cents <= 0 || tooMuch || reason.trim().length < 3} />
      </form>
    </Dialog>
  );
}
