import type { DB } from "../../db/client.ts";
import { deliverOutbox, type OutboxConsumer } from "./outbox.ts";
import { routeBatch } from "./route-jobs.ts";

export type WorkerOptions = {
  db: DB;
  consumers: OutboxConsumer[];
  pollMs: number;
  signal: AbortSignal;
  log?: (line: string) => void;
};

/** The one worker loop: route queued orders, deliver the outbox; sleep only when there was nothing to do. */
export async function runWorker(o: WorkerOptions): Promise<void> {
  const log = o.log ?? (() => {});
  while (!o.signal.aborted) {
    let busy = false;
    try {
      const r = routeBatch(o.db);
      if (r.routed.length || r.failed.length) {
        busy = true;
        log(`routed ${r.routed.length} order(s)${r.failed.length ? `, ${r.failed.length} failed: ${r.failed[0]!.error}` : ""}`);
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
