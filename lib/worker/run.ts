import type { DB } from "../../db/client.ts";
import type { OutboxConsumer } from "./outbox.ts";
import { runConsumer, sleep } from "./consumer-loop.ts";
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

/**
 * The one worker: routes queued orders and evaluates alerts on a schedule in its main loop (sleeping
 * only when there was nothing to do), while every outbox consumer runs its own loop beside it, so a
 * consumer waiting on a dead node holds back neither routing nor the other consumers.
 */
export async function runWorker(o: WorkerOptions): Promise<void> {
  const log = o.log ?? (() => {});
  let nextAlerts = 0;
  // A dead letter raises the "Outgoing delivery failing" alert at the main loop's next turn, not a minute later.
  const onDeadLetter = () => (nextAlerts = 0);
  const consumers = o.consumers.map((c) => runConsumer(o.db, c, { pollMs: o.pollMs, signal: o.signal, log, onDeadLetter }));
  const alertEveryMs = o.alertEveryMs ?? 60_000;
  const purgeEveryMs = o.purgeEveryMs ?? 600_000;
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
    } catch (error) {
      log(`worker error: ${(error as Error).stack ?? error}`);
    }
    if (!busy) await sleep(o.pollMs, o.signal);
  }
  await Promise.all(consumers);
}
