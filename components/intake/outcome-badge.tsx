const TONES: Record<string, string> = {
  applied: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  ignored: "bg-slate-100 text-slate-700 ring-slate-300",
  parked: "bg-amber-50 text-amber-800 ring-amber-300",
  rejected: "bg-rose-50 text-rose-800 ring-rose-300",
  received: "bg-sky-50 text-sky-800 ring-sky-300",
};

export function OutcomeBadge({ outcome }: { outcome: string | null }) {
  const o = outcome ?? "received";
  return (
    <span data-testid="event-outcome" className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[o] ?? TONES.received}`}>
      {o}
    </span>
  );
}
