import type { DB } from "../../db/client.ts";
import { readCursor, retryNow } from "./cursors.ts";
import { deliverNext, type OutboxConsumer } from "./outbox.ts";

type ConsumerLoopOptions = {
  pollMs: number;
  signal: AbortSignal;
  log?: (line: string) => void;
  /** How often a backing-off consumer's probe runs (default every second). */
  probeEveryMs?: number;
  /** Called when a message has just been dead-lettered (the worker evaluates alerts at once). */
  onDeadLetter?: () => void;
};

/**
 * One consumer's own loop: deliver the next batch, sleep only when idle. While it backs off after a
 * failure, its probe runs every second, so catch-up starts within seconds of the target coming back
 * rather than when the exponential backoff runs out. Never throws; stops when `signal` aborts.
 */
export async function runConsumer(db: DB, consumer: OutboxConsumer, o: ConsumerLoopOptions): Promise<void> {
  const log = o.log ?? (() => {});
  const probeEveryMs = o.probeEveryMs ?? 1_000;
  let lastProbe = 0;
  let failing = false;
  let deferredWhy = "";
  while (!o.signal.aborted) {
    let pause = o.pollMs;
    try {
      await consumer.maintain?.();
      const pass = await deliverNext(db, consumer);
      if (pass.outcome === "waiting" || pass.outcome === "failed") pause = Math.min(o.pollMs, probeEveryMs);
      if (pass.outcome === "delivered") {
        if (failing) log(`${consumer.name}: delivering again`);
        failing = false;
        deferredWhy = "";
        pause = 0;
      } else if (pass.outcome === "dead_lettered") {
        log(`${consumer.name}: a message moved to the dead letters: ${pass.error}`);
        failing = false;
        pause = 0;
        o.onDeadLetter?.();
      } else if (pass.outcome === "failed") {
        const attempts = readCursor(db, consumer.name)?.attempts ?? 0;
        if (!failing || attempts % 10 === 0) log(`${consumer.name}: delivery failed (attempt ${attempts}), backing off: ${pass.error}`);
        failing = true;
      } else if (pass.outcome === "deferred" && pass.error !== deferredWhy) {
        deferredWhy = pass.error ?? "";
        log(`${consumer.name}: waiting: ${deferredWhy}`);
      } else if (pass.outcome === "waiting" && consumer.probe && Date.now() - lastProbe >= probeEveryMs) {
        lastProbe = Date.now();
        if (await consumer.probe().catch(() => false)) {
          retryNow(db, consumer.name);
          pause = 0;
        }
      }
    } catch (error) {
      log(`${consumer.name}: error: ${(error as Error).stack ?? error}`);
    }
    if (pause > 0) await sleep(pause, o.signal);
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });
}
