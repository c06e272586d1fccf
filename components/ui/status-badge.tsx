import { humanStatus } from "../../lib/format.ts";

const TONES: Record<string, string> = {
  pending: "bg-slate-100 text-slate-700 ring-slate-300",
  payment_processing: "bg-amber-50 text-amber-800 ring-amber-300",
  paid: "bg-sky-50 text-sky-800 ring-sky-300",
  awaiting_fulfillment: "bg-indigo-50 text-indigo-800 ring-indigo-300",
  partially_fulfilled: "bg-violet-50 text-violet-800 ring-violet-300",
  fulfilled: "bg-teal-50 text-teal-800 ring-teal-300",
  delivered: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  refunded: "bg-rose-50 text-rose-800 ring-rose-300",
  cancelled: "bg-zinc-100 text-zinc-600 ring-zinc-300 line-through decoration-zinc-400",
  picking: "bg-indigo-50 text-indigo-800 ring-indigo-300",
  packed: "bg-violet-50 text-violet-800 ring-violet-300",
  shipped: "bg-teal-50 text-teal-800 ring-teal-300",
  allocated: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  filled: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  overdue: "bg-rose-100 text-rose-800 ring-rose-300",
  pending_approval: "bg-amber-50 text-amber-800 ring-amber-300",
  on_hold: "bg-sky-50 text-sky-900 ring-sky-300",
  succeeded: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  rejected: "bg-zinc-100 text-zinc-600 ring-zinc-300",
  single: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  split: "bg-violet-50 text-violet-800 ring-violet-300",
  dropship: "bg-sky-50 text-sky-800 ring-sky-300",
  backordered: "bg-amber-50 text-amber-800 ring-amber-300",
  held: "bg-rose-50 text-rose-800 ring-rose-300",
  open: "bg-rose-50 text-rose-800 ring-rose-300",
  acknowledged: "bg-amber-50 text-amber-800 ring-amber-300",
  recorded: "bg-slate-100 text-slate-700 ring-slate-300",
  sending: "bg-sky-50 text-sky-800 ring-sky-300",
  sent: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  failed: "bg-rose-50 text-rose-800 ring-rose-300",
};

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      data-status={status}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${TONES[status] ?? TONES.pending}`}
    >
      {humanStatus(status)}
    </span>
  );
}
