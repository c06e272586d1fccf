// Sync lag of the Elasticsearch index: commit -> searchable, under a steady stream of changes while the
// real worker loop delivers the outbox. Each change is a real one (a packed shipment ships with a new
// tracking number); a poller asks Elasticsearch every few milliseconds which changes it can see yet.
import type { DB } from "../db/client.ts";
import { SYSTEM } from "../lib/audit.ts";
import { advanceShipment } from "../lib/orders/shipments.ts";
import type { OrdersIndex } from "../lib/search/elastic/client.ts";
import { elasticOrdersConsumer } from "../lib/search/elastic/consumer.ts";
import { pendingOutboxCount } from "../lib/worker/outbox.ts";
import { routeBatch } from "../lib/worker/route-jobs.ts";
import { runWorker } from "../lib/worker/run.ts";

export type SyncLag = { changes: number; seen: number; durationMs: number; workerPollMs: number; p50Ms: number; p99Ms: number; maxMs: number };

type Change = { seq: number; orderId: number; tracking: string; committedAt: number; seenAt: number | null };

const POLL_MS = 10;
const GIVE_UP_MS = 30_000;

export async function measureSyncLag(db: DB, target: OrdersIndex, o: { changes: number; durationMs: number; workerPollMs: number; log?: (line: string) => void }): Promise<SyncLag> {
  const log = o.log ?? (() => {});
  const packed = db.$client
    .prepare(
      `SELECT s.id AS shipmentId, s.order_id AS orderId FROM shipments s JOIN orders o ON o.id = s.order_id
       WHERE s.status = 'packed' AND o.status IN ('awaiting_fulfillment', 'partially_fulfilled') ORDER BY s.id DESC LIMIT ?`,
    )
    .all(o.changes) as { shipmentId: number; orderId: number }[];
  if (packed.length < Math.min(o.changes, 20)) throw new Error(`Only ${packed.length} packed shipments to ship; seed more orders for a lag figure.`);
  if (packed.length < o.changes) log(`only ${packed.length} packed shipments to ship in this data set: ${packed.length} changes instead of ${o.changes}`);
  const count = packed.length;

  // Start from a quiet worker: queued routing and its outbox rows done before the clock starts.
  while (routeBatch(db).routed.length > 0);
  const controller = new AbortController();
  const consumer = elasticOrdersConsumer(db, target);
  const worker = runWorker({ db, consumers: [consumer], pollMs: o.workerPollMs, signal: controller.signal });
  while (pendingOutboxCount(db, consumer.name) > 0) await sleep(50);

  const changes: Change[] = [];
  const run = `${Date.now().toString(36).toUpperCase()}`;
  const started = performance.now();
  let polling = true;
  const poller = (async () => {
    while (polling || changes.some((c) => c.seenAt === null)) {
      const open = changes.filter((c) => c.seenAt === null);
      if (open.length) {
        const res = await target.client.search({
          index: target.alias,
          body: {
            size: open.length,
            _source: false,
            query: { bool: { should: open.map((c) => ({ bool: { filter: [{ ids: { values: [String(c.orderId)] } }, { term: { tracking: c.tracking.toLowerCase() } }], _name: String(c.seq) } })) } },
          },
        });
        const now = performance.now();
        for (const hit of (res.body as { hits: { hits: { matched_queries?: string[] }[] } }).hits.hits) {
          for (const name of hit.matched_queries ?? []) {
            const c = changes[Number(name)];
            if (c && c.seenAt === null) c.seenAt = now;
          }
        }
      }
      if (!polling && performance.now() - started > o.durationMs + GIVE_UP_MS) break;
      await sleep(POLL_MS);
    }
  })();

  const gap = o.durationMs / count;
  for (let i = 0; i < count; i++) {
    await sleep(Math.max(0, started + i * gap - performance.now()));
    const { shipmentId, orderId } = packed[i]!;
    const tracking = `LAG${run}${String(i).padStart(5, "0")}`;
    db.transaction((tx) => advanceShipment(tx, { orderId, shipmentId, to: "shipped", carrier: "DHL", trackingNumber: tracking, actor: SYSTEM, at: Date.now() }));
    changes.push({ seq: i, orderId, tracking, committedAt: performance.now(), seenAt: null });
    if ((i + 1) % 50 === 0) log(`${i + 1}/${count} changes committed`);
  }
  polling = false;
  await poller;
  controller.abort();
  await worker;

  const lags = changes.filter((c) => c.seenAt !== null).map((c) => c.seenAt! - c.committedAt);
  return {
    changes: changes.length,
    seen: lags.length,
    durationMs: Math.round(performance.now() - started),
    workerPollMs: o.workerPollMs,
    p50Ms: round(percentile(lags, 0.5)),
    p99Ms: round(percentile(lags, 0.99)),
    maxMs: round(Math.max(...lags)),
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}

const round = (v: number) => Math.round(v * 10) / 10;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
