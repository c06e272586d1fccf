import { and, asc, eq, isNull, lte } from "drizzle-orm";
import { jobs } from "../../db/schema/index.ts";
import type { DB } from "../../db/client.ts";
import { prepared, savepoint } from "../../db/raw.ts";
import { loadReference, prefetchOrders, reserveInReference } from "../routing/snapshot.ts";
import { routeOrder, type RouteResult } from "../routing/apply.ts";

export type RouteBatchResult = { routed: RouteResult[]; failed: { orderId: number; error: string }[] };

/**
 * Routes up to `limit` queued orders in one immediate transaction, one savepoint per order: a
 * failing order rolls back alone and its job is retried later with backoff; the rest commit together.
 * Claiming and routing share the transaction, so two workers can never take the same job.
 */
export function routeBatch(db: DB, o: { limit?: number; now?: number } = {}): RouteBatchResult {
  const now = o.now ?? Date.now();
  const result: RouteBatchResult = { routed: [], failed: [] };
  db.transaction(
    (tx) => {
      const queued = tx
        .select({ id: jobs.id, payload: jobs.payload, attempts: jobs.attempts })
        .from(jobs)
        .where(and(eq(jobs.kind, "route_order"), isNull(jobs.doneAt), lte(jobs.runAt, now)))
        .orderBy(asc(jobs.runAt), asc(jobs.id))
        .limit(o.limit ?? 100)
        .all();
      if (queued.length === 0) return;
      const reference = loadReference(tx);
      prefetchOrders(tx, reference, queued.map((j) => (j.payload as { orderId: number }).orderId));
      for (const job of queued) {
        const orderId = (job.payload as { orderId: number }).orderId;
        try {
          const routed = savepoint(tx, "route_order", () => {
            const r = routeOrder(tx, orderId, { now, reference });
            prepared(tx, "UPDATE jobs SET done_at = ?, attempts = ?, last_error = NULL WHERE id = ?").run(now, job.attempts + 1, job.id);
            return r;
          });
          reserveInReference(reference, routed.reserved);
          result.routed.push(routed);
        } catch (error) {
          const message = String((error as Error)?.message ?? error);
          result.failed.push({ orderId, error: message });
          const delay = Math.min(600_000, 1000 * 2 ** Math.min(job.attempts, 10));
          tx.update(jobs).set({ attempts: job.attempts + 1, runAt: now + delay, lastError: message }).where(eq(jobs.id, job.id)).run();
        }
      }
    },
    { behavior: "immediate" },
  );
  return result;
}
