import type { DB } from "../../db/client.ts";
import { deliverOutbox, type OutboxConsumer } from "./outbox.ts";
import { routeBatch } from "./route-jobs.ts";
import { evaluateAndStoreAlerts } from "../alerts/evaluate.ts";
import { retryParkedEvents } from "../intake/parked.ts";
import { purgeIdempotencyKeys } from "../api/idempotency.ts";

export type WorkerOptions = {
  db: DB;
  consumers: OutboxConsumer[];
  pollMs: number;
  signal: AbortSignal;
  log?: (line: string) => void;
  /** How often stuck-order alerts are evaluated (default every 60 s; the first run is at start). */
  alertEveryMs?: number;
  /** How often Idempotency-Keys older than 24 h are purged (default every 10 minutes; the first run is at start). */
  purgeEveryMs?: number;
};

/** The one worker loop: route queued orders, deliver the outbox, evaluate alerts on a schedule; sleep only when there was nothing to do. */
export async function runWorker(o: WorkerOptions): Promise<void> {
  const log = o.log ?? (() => {});
  const alertEveryMs = o.alertEveryMs ?? 60_000;
  const purgeEveryMs = o.purgeEveryMs ?? 600_000;
  let nextAlerts = 0;
  let nextPurge = 0;
  while (!o.signal.aborted) {
    let busy = false;
    try {
      if (Date.now() >= nextPurge) {
        nextPurge = Date.now() + purgeEveryMs;
        const purged = purgeIdempotencyKeys(o.db);
        if (purged) log(`purged ${purged} Idempotency-Key record(s) older than 24 h`);
      }
      if (Date.now() >= nextAlerts) {
        nextAlerts = Date.now() + alertEveryMs;
        const a = evaluateAndStoreAlerts(o.db);
        if (a.raised || a.reraised || a.resolved) log(`alerts: ${a.raised} raised, ${a.reraised} re-raised, ${a.resolved} resolved, ${a.open} open`);
      }
      const r = routeBatch(o.db);
      if (r.routed.length || r.failed.length) {
        busy = true;
        log(`routed ${r.routed.length} order(s)${r.failed.length ? `, ${r.failed.length} failed: ${r.failed[0]!.error}` : ""}`);
      }
      // After routing, so an event parked for want of a shipment finds the one just created.
      const parked = retryParkedEvents(o.db);
      if (parked.applied) {
        busy = true;
        log(`applied ${parked.applied} parked event(s)`);
      }
      if ((await deliverOutbox(o.db, o.consumers)) > 0) busy = true;
    } catch (error) {
      log(`worker error: ${(error as Error).stack ?? error}`);
    }
    if (!busy) await sleep(o.pollMs, o.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });
}
