import type { DB } from "../../../db/client.ts";
import { outboxHead, readCursor } from "../../worker/cursors.ts";
import { DeliveryDeferred } from "../../worker/outbox.ts";
import { readSyncState, searchConsumerName, writeSyncState, type IndexBuild, type SearchSyncState } from "../sync-state.ts";
import type { OrdersIndex } from "./client.ts";
import { countOrders } from "./documents.ts";
import { inspectIndex, type IndexProblem } from "./health.ts";
import { reindexOrders } from "./reindex.ts";

export type KeeperOptions = {
  /** How often the index is checked while all is well (default 10 s); a suspicion is re-checked after a second. */
  checkEveryMs?: number;
  batchSize?: number;
  log?: (line: string) => void;
};

const HEARTBEAT_MS = 5_000;
const PROGRESS_EVERY_MS = 500;
const RETRY_FAILED_BUILD_MS = 5_000;

/**
 * Keeps the alias trustworthy for the search consumer: checks it on a schedule (lib/search/elastic/health.ts)
 * and rebuilds it in the background when it is missing, built with an older mapping, behind the
 * high-water mark SQLite wrote to it, or holds a different number of orders while nothing is in
 * flight. Deliveries wait (DeliveryDeferred) while a build runs; its progress is in the cursor state.
 */
export function indexKeeper(db: DB, target: OrdersIndex, o: KeeperOptions = {}) {
  const log = o.log ?? (() => {});
  const checkEveryMs = o.checkEveryMs ?? 10_000;
  const consumer = searchConsumerName(target.alias);
  let nextCheck = 0;
  let suspicion: IndexProblem["kind"] | null = null;
  let build: { progress: IndexBuild; done: Promise<void> } | null = null;
  let firstPass = true;

  const state = (): SearchSyncState => readSyncState(db, target.alias)?.state ?? {};

  function startBuild(reason: string): void {
    const progress: IndexBuild = { status: "running", reason, done: 0, total: countOrders(db), startedAt: Date.now(), updatedAt: Date.now() };
    log(`${consumer}: rebuilding the index in the background: ${reason}`);
    writeSyncState(db, target.alias, { build: progress, rebuildRequested: undefined });
    let lastWrite = 0;
    const save = (force = false) => {
      if (!force && Date.now() - lastWrite < PROGRESS_EVERY_MS) return;
      lastWrite = Date.now();
      progress.updatedAt = lastWrite;
      writeSyncState(db, target.alias, { build: progress });
    };
    const heartbeat = setInterval(() => save(true), HEARTBEAT_MS);
    const done = reindexOrders(db, target, {
      batchSize: o.batchSize,
      onProgress: (n, total) => {
        progress.done = n;
        progress.total = total;
        save();
      },
    })
      .then((r) => {
        Object.assign(progress, { status: "done", done: r.orders, total: r.orders, finishedAt: Date.now(), index: r.index });
        save(true);
        log(`${consumer}: index rebuilt: ${r.orders} orders in ${(r.tookMs / 1000).toFixed(1)} s into ${r.index}; delivering from outbox #${r.mark}`);
        suspicion = null;
        nextCheck = Date.now() + checkEveryMs;
      })
      .catch((error: unknown) => {
        Object.assign(progress, { status: "failed", finishedAt: Date.now(), error: String((error as Error)?.message ?? error) });
        save(true);
        log(`${consumer}: index rebuild failed, retrying shortly: ${progress.error}`);
        nextCheck = Date.now() + RETRY_FAILED_BUILD_MS;
      })
      .finally(() => {
        clearInterval(heartbeat);
        build = null;
      });
    build = { progress, done };
  }

  /** Checks the index if due and starts a rebuild when it cannot be trusted. Never throws. */
  async function maintain(): Promise<void> {
    if (build) return;
    const current = state();
    if (firstPass) {
      firstPass = false;
      // A build noted as running by a worker that has since stopped never finished.
      if (current.build?.status === "running") writeSyncState(db, target.alias, { build: { ...current.build, status: "failed", error: "interrupted: the worker stopped" } });
    }
    if (Date.now() < nextCheck) return;
    nextCheck = Date.now() + checkEveryMs;
    if (current.rebuildRequested) return startBuild(current.rebuildRequested);
    if (!current.highWater) return startBuild("no record of this index being built from this database");
    // Counting is only fair while nothing is in flight: the consumer has applied every message.
    const head = outboxHead(db);
    const quiet = (readCursor(db, consumer)?.lastId ?? 0) >= head;
    const orders = quiet ? countOrders(db) : undefined;
    let problem: IndexProblem | null;
    try {
      problem = (await inspectIndex(target, { highWater: current.highWater, orders })).problem;
    } catch {
      return; // the node is not answering: deliveries back off and probe on their own
    }
    if (problem && quiet && problem.kind === "incomplete" && outboxHead(db) !== head) problem = null; // changed meanwhile
    if (!problem) {
      suspicion = null;
      return;
    }
    // Missing or outdated is certain; behind or incomplete could be a moment's race, so it must be seen twice.
    if (problem.kind === "missing" || problem.kind === "outdated" || suspicion === problem.kind) return startBuild(problem.detail);
    suspicion = problem.kind;
    nextCheck = Date.now() + 1_000;
  }

  return {
    maintain,
    /** Throws DeliveryDeferred while the index is being rebuilt. */
    assertReady(): void {
      if (build) throw new DeliveryDeferred(`rebuilding the index (${build.progress.done} of ${build.progress.total} orders)`);
    },
    /** Something went wrong writing (the alias vanished): check at the next pass. */
    checkSoon(): void {
      nextCheck = 0;
    },
    /** Resolves when a running build ends (tests, shutdown). */
    settled: async (): Promise<void> => void (await build?.done),
  };
}

export type IndexKeeper = ReturnType<typeof indexKeeper>;
