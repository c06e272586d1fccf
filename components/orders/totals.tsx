import { formatMoney } from "../../lib/format.ts";
import { StatusBadge } from "../ui/status-badge.tsx";
import { LocalTime } from "../ui/local-time.tsx";

type Money = { currency: string; subtotal: number; shipping: number; tax: number; total: number; paid: number; refunded: number };
type Refund = { id: number; amount: number; currency: string; status: string; reason: string; createdAt: number };

export function Totals({ order, refunds }: { order: Money; refunds: Refund[] }) {
  const f = (v: number) => formatMoney(v, order.currency);
  const held = refunds.filter((r) => r.status === "on_hold").reduce((n, r) => n + r.amount, 0);
  const rows: [string, number, string][] = [
    ["Subtotal", order.subtotal, "subtotal"],
    ["Shipping", order.shipping, "shipping"],
    ["Tax", order.tax, "tax"],
  ];
  return (
    <div className="space-y-3 text-sm">
      <dl className="space-y-1">
        {rows.map(([label, value, id]) => (
          <div key={id} className="flex justify-between">
            <dt className="text-slate-500">{label}</dt>
            <dd className="tabular-nums">{f(value)}</dd>
          </div>
        ))}
        <div className="flex justify-between border-t border-slate-100 pt-1 font-semibold">
          <dt>Total</dt>
          <dd data-testid="total" className="tabular-nums">{f(order.total)}</dd>
        </div>
        <div className="flex justify-between">
          <dt className="text-slate-500">Paid</dt>
          <dd data-testid="paid" className="tabular-nums">{f(order.paid)}</dd>
        </div>
        <div className="flex justify-between">
          <dt className="text-slate-500">Refunded</dt>
          <dd data-testid="refunded" className="tabular-nums">{f(order.refunded)}</dd>
        </div>
        {held > 0 ? (
          <div className="flex justify-between text-sky-900" data-testid="held">
            <dt>Owed for cancelled items, held until finance decides</dt>
            <dd className="tabular-nums">{f(held)}</dd>
          </div>
        ) : null}
        <div className="flex justify-between">
          <dt className="text-slate-500">Net paid</dt>
          <dd className="tabular-nums">{f(order.paid - order.refunded)}</dd>
        </div>
      </dl>
      {refunds.length ? (
        <ul className="space-y-1 border-t border-slate-100 pt-2" aria-label="Refunds">
          {refunds.map((r) => (
            <li key={r.id} data-testid="refund" className="flex items-center justify-between gap-2">
              <span className="truncate text-slate-600" title={r.reason}>
                <LocalTime ms={r.createdAt} />
              </span>
              <span className="flex items-center gap-2">
                <StatusBadge status={r.status} />
                <span className="tabular-nums">{formatMoney(r.amount, r.currency)}</span>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
