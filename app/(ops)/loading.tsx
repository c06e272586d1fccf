// Shown at once on every navigation between screens while the next one renders on the server.
export default function Loading() {
  return (
    <div role="status" aria-live="polite" data-testid="page-loading" className="space-y-4">
      <span className="sr-only">Loading…</span>
      <div aria-hidden className="h-7 w-48 animate-pulse rounded bg-slate-200" />
      <div aria-hidden className="h-4 w-80 max-w-full animate-pulse rounded bg-slate-200" />
      <div aria-hidden className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="h-5 animate-pulse rounded bg-slate-100" />
        ))}
      </div>
    </div>
  );
}
