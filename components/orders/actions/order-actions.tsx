"use client";
import { useEffect, useState, type FormEvent } from "react";
import { cancelOrderAction, cancelUnitsAction, requestRefundAction } from "../../../app/(ops)/orders/[id]/actions.ts";
import { agentHeadroom, needsFinance, planCancellation, planOrderCancellation, planUnitsRefund, refundableNow, refundableUnits, waitingTotal, type Ledger, type LedgerRefund } from "../../../lib/orders/ledger.ts";
import { parseMoneyInput } from "../../../lib/currency.ts";
import { formatMoney } from "../../../lib/format.ts";
import { Dialog, DialogButtons, ErrorNote, buttonClass } from "../../ui/dialog.tsx";
import { useOrderAction } from "./use-action.ts";
import { useActionStatus } from "./order-version.tsx";

type ActionOrder = {
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
type ActionLine = { id: number; sku: string; name: string; qtyOrdered: number; qtyCancelled: number; unitPrice: number };

type Props = {
  order: ActionOrder;
  lines: ActionLine[];
  refunds: LedgerRefund[];
  pendingShipments: { id: number; location: string; units: number }[];
  caps: {
    cancelOrder: boolean;
    cancelUnits: boolean;
    cancellable: Record<string, number>;
    refund: boolean;
    /** Why an action this role may take is closed on this order (lib/orders/capabilities.ts); null when open or not the role's. */
    why: { cancelOrder: string | null; cancelUnits: string | null; refund: string | null };
    lineWhy: Record<string, string | null>;
  };
  /** Agent refund limits per currency, and whether this user refunds without them. */
  limits: Record<string, number>;
  mayApprove: boolean;
};

type ActionKey = "cancelUnits" | "refund" | "cancelOrder";
const LABELS: Record<ActionKey, string> = { cancelUnits: "Cancel items…", refund: "Refund…", cancelOrder: "Cancel order…" };

/**
 * The order's actions for this role: open ones as buttons, closed ones disabled with the reason beside
 * them (never simply gone). The dialogs promise what the server will do: both compute with lib/orders/ledger.ts.
 */
export function OrderActions(p: Props) {
  const [open, setOpen] = useState<ActionKey | null>(null);
  const say = useActionStatus();
  const close = () => setOpen(null);
  const finished = (text: string) => {
    say(text);
    setOpen(null);
  };
  const ledger: Ledger = { order: p.order, lines: p.lines, refunds: p.refunds };
  const shown = (["cancelUnits", "refund", "cancelOrder"] as const).filter((k) => p.caps[k] || p.caps.why[k]);
  if (shown.length === 0) return null;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-start gap-2" data-testid="order-actions">
        {shown.map((k) => {
          const why = p.caps[k] ? null : p.caps.why[k];
          const danger = k === "cancelOrder" ? "border-rose-300 text-rose-700 hover:bg-rose-50" : "";
          return (
            <button
              key={k}
              type="button"
              data-testid={`action-${k}`}
              aria-disabled={why ? true : undefined}
              aria-describedby={why ? `why-${k}` : undefined}
              className={`${buttonClass} ${why ? "" : danger}`}
              onClick={() => (why ? undefined : setOpen(k))}
            >
              {LABELS[k]}
            </button>
          );
        })}
      </div>
      {shown.some((k) => !p.caps[k]) ? (
        <ul className="space-y-0.5 text-xs text-slate-600" data-testid="action-reasons">
          {shown.map((k) =>
            p.caps[k] ? null : (
              <li key={k} id={`why-${k}`} data-testid={`why-${k}`}>
                <span className="font-medium text-slate-700">{LABELS[k].replace("…", "")}:</span> {p.caps.why[k]}
              </li>
            ),
          )}
        </ul>
      ) : null}
      <CancelOrderDialog {...p} ledger={ledger} open={open === "cancelOrder"} onClose={close} onDone={finished} />
      <CancelUnitsDialog {...p} ledger={ledger} open={open === "cancelUnits"} onClose={close} onDone={finished} />
      <RefundDialog {...p} ledger={ledger} open={open === "refund"} onClose={close} onDone={finished} />
    </div>
  );
}

/** The one rule for money owed on a cancellation, and how it differs from refunds the agent decides. */
function CancellationRefundRule({ currency, limits }: { currency: string; limits: Record<string, number> }) {
  const limit = limits[currency];
  return (
    <p data-testid="cancellation-refund-rule" className="rounded-md bg-slate-50 px-2 py-1 text-xs text-slate-700">
      A cancellation refund is owed to the customer: it is paid at once and never waits for the agent refund limit
      {limit !== undefined ? ` (${formatMoney(limit, currency)} per order)` : ""}, which applies only to refunds you give by amount or by units. Units already refunded are not paid twice.
    </p>
  );
}

/** Clears a dialog's last error whenever it opens again: an old refusal is not this attempt's. */
function useFreshError(open: boolean, setError: (e: string | null) => void) {
  useEffect(() => {
    if (open) setError(null);
  }, [open, setError]);
}

type DialogProps = Props & { ledger: Ledger; open: boolean; onClose: () => void; onDone: (text: string) => void };

function CancelOrderDialog({ order, lines, ledger, pendingShipments, limits, open, onClose, onDone }: DialogProps) {
  const [reason, setReason] = useState("");
  const { submit, pending, error, setError } = useOrderAction(cancelOrderAction);
  useFreshError(open, setError);
  const plan = planOrderCancellation(ledger);
  const units = lines.reduce((n, l) => n + l.qtyOrdered - l.qtyCancelled, 0);
  const waiting = waitingTotal(ledger);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit({ orderId: order.id, reason, expectedStatus: order.status as never }, (r) =>
      onDone(`${order.number} is cancelled${r.refunded > 0 ? `; ${formatMoney(r.refunded, order.currency)} refunded to the customer` : ""}.`),
    );
  };
  return (
    <Dialog open={open} onClose={onClose} title={`Cancel ${order.number}?`} testId="cancel-order-dialog">
      <form onSubmit={onSubmit} className="space-y-3">
        <ul className="list-disc space-y-1 pl-5">
          <li>All {units} open unit(s) are cancelled.</li>
          {pendingShipments.length ? <li>Shipments {pendingShipments.map((s) => `#${s.id} (${s.location})`).join(", ")} are cancelled and their stock released.</li> : null}
          {plan.superseded.length ? (
            <li data-testid="superseded-requests">
              {plan.superseded.length} refund request(s) waiting for finance ({formatMoney(waiting, order.currency)}) are closed: cancelling refunds everything still paid.
            </li>
          ) : null}
          <li data-testid="cancel-order-refund">
            {plan.refundNow > 0 ? <>The customer is refunded <strong>{formatMoney(plan.refundNow, order.currency)}</strong> now.</> : "Nothing is left to refund, so nothing is refunded."}
          </li>
          <li>The customer is told by email.</li>
        </ul>
        <CancellationRefundRule currency={order.currency} limits={limits} />
        <label className="block">
          <span className="text-xs font-medium text-slate-600">Reason (required)</span> <span className="text-xs text-slate-500">internal: the customer does not see it</span>
          <textarea name="reason" required minLength={3} value={reason} onChange={(e) => setReason(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" rows={2} />
        </label>
        <ErrorNote message={error} />
        <DialogButtons onCancel={onClose} confirmLabel="Cancel the order" pending={pending} danger disabled={reason.trim().length < 3} />
      </form>
    </Dialog>
  );
}

function CancelUnitsDialog({ order, lines, caps, ledger, limits, open, onClose, onDone }: DialogProps) {
  const [qty, setQty] = useState<Record<number, number>>({});
  const [reason, setReason] = useState("");
  const { submit, pending, error, setError } = useOrderAction(cancelUnitsAction);
  useFreshError(open, setError);
  const chosen = lines.filter((l) => (qty[l.id] ?? 0) > 0);
  const plan = planCancellation(ledger, chosen.map((l) => ({ orderLineId: l.id, qty: qty[l.id]! })));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit({ orderId: order.id, lines: chosen.map((l) => ({ orderLineId: l.id, qty: qty[l.id]! })), reason, expectedStatus: order.status as never }, (r) => {
      setQty({});
      onDone(
        `${r.cancelledUnits} unit(s) cancelled${r.refunded > 0 ? `; ${formatMoney(r.refunded, order.currency)} refunded` : ""}${r.held > 0 ? `; ${formatMoney(r.held, order.currency)} owed, held until finance decides the waiting request` : ""}.`,
      );
    });
  };
  return (
    <Dialog open={open} onClose={onClose} title={`Cancel items of ${order.number}`} testId="cancel-units-dialog">
      <form onSubmit={onSubmit} className="space-y-3">
        <p className="text-slate-600">Only units the warehouse has not started on can be cancelled.</p>
        <table className="w-full table-fixed">
          <colgroup><col /><col className="w-24" /><col className="w-32" /></colgroup>
          <thead className="text-left text-xs text-slate-500">
            <tr><th scope="col" className="py-1">Line</th><th scope="col" className="py-1 pr-4 text-right">Can cancel</th><th scope="col" className="py-1 pl-2">Cancel</th></tr>
          </thead>
          <tbody>
            {lines.map((l) => {
              const max = caps.cancellable[l.id] ?? 0;
              return (
                <tr key={l.id} data-testid="cancel-line" className="align-middle">
                  <td className="py-1.5 pr-2 wrap-anywhere"><span className="font-mono text-xs">{l.sku}</span> <span className="text-slate-600">{l.name}</span></td>
                  <td className="py-1.5 pr-4 text-right tabular-nums">{max} of {l.qtyOrdered - l.qtyCancelled}</td>
                  <td className="py-1.5 pl-2">
                    {max === 0 ? (
                      <span data-testid="line-why" className="text-xs text-slate-500">{caps.lineWhy[l.id] ?? "not cancellable"}</span>
                    ) : (
                      <input
                        type="number"
                        min={0}
                        max={max}
                        aria-label={`Units of ${l.sku} to cancel`}
                        value={qty[l.id] ?? 0}
                        onChange={(e) => setQty({ ...qty, [l.id]: Math.max(0, Math.min(max, Number(e.target.value) || 0)) })}
                        className="w-20 rounded-md border border-slate-300 px-2 py-1 text-right"
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <dl data-testid="cancel-units-consequence" className="grid grid-cols-2 gap-1 rounded-md bg-slate-50 p-2">
          <dt>New order total</dt><dd className="text-right tabular-nums">{formatMoney(plan.totals.total, order.currency)}</dd>
          <dt>{plan.held ? "Owed to the customer (held)" : "Refund to the customer now"}</dt>
          <dd data-testid="refund-preview" className="text-right font-semibold tabular-nums">{formatMoney(plan.owed, order.currency)}</dd>
        </dl>
        {plan.held ? (
          <p data-testid="refund-held-note" className="rounded-md bg-sky-50 px-2 py-1 text-sky-950">
            A refund request waiting for finance holds this order&apos;s money: the {formatMoney(plan.owed, order.currency)} is recorded as owed and paid as soon as finance decides it.
          </p>
        ) : null}
        <CancellationRefundRule currency={order.currency} limits={limits} />
        <label className="block">
          <span className="text-xs font-medium text-slate-600">Reason (required)</span> <span className="text-xs text-slate-500">internal: the customer does not see it</span>
          <textarea name="reason" required value={reason} onChange={(e) => setReason(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" rows={2} />
        </label>
        <ErrorNote message={error} />
        <DialogButtons onCancel={onClose} confirmLabel="Cancel these items" pending={pending} danger disabled={chosen.length === 0 || reason.trim().length < 3} />
      </form>
    </Dialog>
  );
}

function RefundDialog({ order, lines, ledger, limits, mayApprove, open, onClose, onDone }: DialogProps) {
  const [mode, setMode] = useState<"amount" | "lines">("amount");
  const [amount, setAmount] = useState("");
  const [qty, setQty] = useState<Record<number, number>>({});
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState("");
  const { submit, pending, error, setError } = useOrderAction(requestRefundAction);
  useFreshError(open, setError);
  const refundable = refundableNow(ledger);
  const asked = lines.filter((l) => qty[l.id]).map((l) => ({ orderLineId: l.id, qty: qty[l.id]! }));
  const typed = parseMoneyInput(amount, order.currency);
  const unitsPlan = planUnitsRefund(ledger, asked);
  const cents = mode === "amount" ? (typed.ok ? typed.minor : 0) : unitsPlan.amount;
  const problem = mode === "amount" ? (amount.trim() && !typed.ok ? typed.message : null) : asked.length ? (unitsPlan.problems[0] ?? null) : null;
  const tooMuch = cents > refundable;
  const waits = !tooMuch && cents > 0 && needsFinance(ledger, cents, limits, mayApprove);
  const headroom = agentHeadroom(ledger, limits);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const base = { orderId: order.id, reason, customerMessage: message.trim() || undefined };
    submit(mode === "amount" ? { ...base, amount: cents } : { ...base, lines: asked }, (r) => {
      setAmount("");
      setQty({});
      setMessage("");
      onDone(r.status === "pending_approval" ? `${formatMoney(r.amount, order.currency)} refund waits for finance to approve it.` : `${formatMoney(r.amount, order.currency)} refunded to the customer.`);
    });
  };
  return (
    <Dialog open={open} onClose={onClose} title={`Refund ${order.number}`} testId="refund-dialog">
      <form onSubmit={onSubmit} className="space-y-3">
        <p>Up to <strong>{formatMoney(refundable, order.currency)}</strong> can be refunded.</p>
        <fieldset className="flex gap-4">
          <legend className="sr-only">Refund by</legend>
          <label className="flex items-center gap-1"><input type="radio" checked={mode === "amount"} onChange={() => setMode("amount")} /> An amount</label>
          <label className="flex items-center gap-1"><input type="radio" checked={mode === "lines"} onChange={() => setMode("lines")} /> Units of lines</label>
        </fieldset>
        {mode === "amount" ? (
          <label className="block">
            <span className="text-xs font-medium text-slate-600">Amount ({order.currency})</span>
            <input inputMode="decimal" name="amount" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="0.00" aria-invalid={problem ? true : undefined} className="mt-1 w-40 rounded-md border border-slate-300 px-2 py-1.5" />
          </label>
        ) : (
          <ul className="space-y-1">
            {lines.map((l) => {
              const max = refundableUnits(ledger, l.id);
              return (
                <li key={l.id} className="flex items-center justify-between gap-2">
                  <span>
                    <span className="font-mono text-xs">{l.sku}</span> × {formatMoney(l.unitPrice, order.currency)} <span className="text-xs text-slate-600">({max} refundable)</span>
                  </span>
                  <input type="number" min={0} max={max} disabled={max === 0} aria-label={`Units of ${l.sku} to refund`} value={qty[l.id] ?? 0} onChange={(e) => setQty({ ...qty, [l.id]: Math.max(0, Math.min(max, Number(e.target.value) || 0)) })} className="w-20 rounded-md border border-slate-300 px-2 py-1 text-right disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-400" />
                </li>
              );
            })}
          </ul>
        )}
        <p data-testid="refund-consequence" className={`rounded-md px-2 py-1 ${problem || tooMuch ? "bg-rose-50 text-rose-800" : waits ? "bg-amber-50 text-amber-900" : "bg-slate-50"}`}>
          {problem
            ? problem
            : tooMuch
              ? `That is more than the ${formatMoney(refundable, order.currency)} still refundable.`
              : waits
                ? `${formatMoney(cents, order.currency)} is more than the ${formatMoney(headroom, order.currency)} agents may still refund on this order without finance (limit ${formatMoney(limits[order.currency] ?? 0, order.currency)} per order): it will wait for finance to approve.`
                : `${formatMoney(cents, order.currency)} goes back to the customer now.`}
        </p>
        <label className="block">
          <span className="text-xs font-medium text-slate-600">Reason (required)</span> <span className="text-xs text-slate-500">internal: the customer does not see it</span>
          <textarea name="reason" value={reason} onChange={(e) => setReason(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" rows={2} />
        </label>
        <label className="block">
          <span className="text-xs font-medium text-slate-600">Message to the customer (optional, sent with the refund email)</span>
          <textarea name="customerMessage" value={message} onChange={(e) => setMessage(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" rows={2} />
        </label>
        <ErrorNote message={error} />
        <DialogButtons onCancel={onClose} confirmLabel={waits ? "Ask finance to approve" : "Refund"} pending={pending} disabled={cents <= 0 || !!problem || tooMuch || reason.trim().length < 3} />
      </form>
    </Dialog>
  );
}
