import { jobs } from "../db/schema/index.ts";
import type { DB, Tx } from "../db/client.ts";

export type JobKind = "route_order" | "evaluate_alerts";

/** Queues work for the worker inside the caller's transaction; a key already queued is not queued twice. */
export function enqueueJob(tx: Tx | DB, job: { kind: JobKind; key?: string; payload: unknown; at: number; runAt?: number }): void {
  tx.insert(jobs)
    .values({ kind: job.kind, key: job.key ?? null, payload: job.payload, runAt: job.runAt ?? job.at, createdAt: job.at })
    .onConflictDoNothing()
    .run();
}
