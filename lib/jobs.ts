import { json, prepared } from "../db/raw.ts";
import type { DB, Tx } from "../db/client.ts";

export type JobKind = "route_order" | "evaluate_alerts";

/** Queues work for the worker inside the caller's transaction; a key already queued is not queued twice. */
export function enqueueJob(tx: Tx | DB, job: { kind: JobKind; key?: string; payload: unknown; at: number; runAt?: number }): void {
  // A key already queued (the partial unique index on open jobs) is not queued twice.
  prepared(tx, "INSERT INTO jobs (kind, key, payload, run_at, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING").run(
    job.kind,
    job.key ?? null,
    json(job.payload),
    job.runAt ?? job.at,
    job.at,
  );
}
