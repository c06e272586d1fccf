import type { SyncStatus } from "../../lib/search/sync-state.ts";
import type { ConsumerStatus } from "../../lib/worker/cursors.ts";
import { LocalTime } from "../ui/local-time.tsx";
import { RefreshWhile } from "./refresh-while.tsx";

const seconds = (ms: number | null) => (ms === null ? "—" : ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);

/** Search health for managers and admins: which index answers, a rebuild's progress, and every outbox consumer's position. */
export function SearchIndexStatus({ sync, alias, consumers }: { sync: SyncStatus; alias: string; consumers: ConsumerStatus[] }) {
  const b = sync.build;
  const pct = b && b.total > 0 ? Math.min(100, Math.round((b.done / b.total) * 100)) : 0;
  return (
    <section data-testid="search-index-status" aria-labelledby="search-index-title" className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm shadow-sm">
      <h2 id="search-index-title" className="font-semibold">Search index</h2>
      <RefreshWhile active={sync.building} everyMs={3_000} />
      {!sync.configured ? (
        <p className="mt-1 text-slate-600">Embedded index in SQLite (Elasticsearch is not configured). It is written in the same transaction as every change.</p>
      ) : (
        <div className="mt-1 space-y-1 text-slate-700">
          <p>
            Elasticsearch alias <code>{alias}</code>, kept in sync by the worker; the embedded index answers whenever Elasticsearch cannot (always kept current).
          </p>
          {sync.building && b ? (
            <p data-testid="search-index-build" data-state="running">
              Rebuilding ({b.reason}): {b.done.toLocaleString("en-GB")} of {b.total.toLocaleString("en-GB")} orders, {pct} %.{" "}
              <progress className="align-middle" max={100} value={pct} aria-label="Index rebuild progress" />
              Search answers from the local index until it is done.
            </p>
          ) : b ? (
            <p data-testid="search-index-build" data-state={b.status === "running" ? "interrupted" : b.status}>
              Last rebuild ({b.reason}): {b.status === "done" ? `${b.done.toLocaleString("en-GB")} orders, finished` : b.status === "failed" ? `failed (${b.error ?? "unknown error"})` : "interrupted"}
              {b.finishedAt ? <> <LocalTime ms={b.finishedAt} /></> : null}.
            </p>
          ) : null}
          {sync.rebuildRequested ? <p>A rebuild is requested: {sync.rebuildRequested}.</p> : null}
          <p data-testid="search-index-lag">
            {sync.pending === 0 ? "In step with the database." : `${sync.pending.toLocaleString("en-GB")} change(s) waiting, the oldest for ${seconds(sync.lagMs)}.`}
            {sync.lastError ? ` Failing since ${sync.failingSince ? new Date(sync.failingSince).toISOString() : "?"}: ${sync.lastError}` : ""}
          </p>
        </div>
      )}
      {consumers.length ? (
        <table className="mt-2 w-full text-left text-xs">
          <caption className="sr-only">Outbox consumers</caption>
          <thead>
            <tr>
              {["Outbox consumer", "Position", "Waiting", "Oldest waiting", "State"].map((h) => (
                <th key={h} scope="col" className="py-1 pr-4 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {consumers.map((c) => (
              <tr key={c.consumer} data-testid="outbox-consumer">
                <td className="py-0.5 pr-4 font-mono">{c.consumer}</td>
                <td className="py-0.5 pr-4 tabular-nums">#{c.lastId}</td>
                <td className="py-0.5 pr-4 tabular-nums">{c.pending.toLocaleString("en-GB")}</td>
                <td className="py-0.5 pr-4 tabular-nums">{seconds(c.lagMs)}</td>
                <td className="py-0.5 pr-4">{c.attempts > 0 ? `failing (${c.attempts} attempts): ${c.lastError ?? ""}` : "ok"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
