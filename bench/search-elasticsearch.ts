// The Elasticsearch column of `npm run bench -- search` (loaded by bench/search.ts when ELASTICSEARCH_URL
// is set): indexes the bench database through the real reindex (bulk, alias swap), then measures the
// sync lag (commit -> searchable) under a stream of changes with the worker delivering the outbox. The
// changes are real and land in SQLite, the embedded index and Elasticsearch alike, before any backend
// is measured, so both answer the labelled queries over the same data.
import { env } from "../lib/env.ts";
import { elasticBackend } from "../lib/search/elastic/backend.ts";
import { ordersIndex } from "../lib/search/elastic/client.ts";
import { refreshIndex } from "../lib/search/elastic/indexing.ts";
import { reindexOrders } from "../lib/search/elastic/reindex.ts";
import { progressReporter } from "../lib/seed/progress.ts";
import type { BackendColumn, ColumnContext } from "./search.ts";
import { measureSyncLag } from "./search-sync.ts";

const LAG_CHANGES = 200;
const LAG_SECONDS = 20;

export async function elasticsearchColumn(ctx: ColumnContext): Promise<BackendColumn> {
  const target = ordersIndex({ url: ctx.url, alias: `bench-search-${process.pid}` });
  const backend = elasticBackend(() => target);
  ctx.log(`Indexing ${ctx.orders.toLocaleString("en-GB")} orders into Elasticsearch (${target.alias})…`);
  const progress = progressReporter("  elasticsearch");
  const indexed = await reindexOrders(ctx.db, target, { onProgress: progress.update });
  progress.finish();
  await refreshIndex(target);
  const stats = (await target.client.indices.stats({ index: target.alias, metric: "store" })).body as { _all: { primaries: { store: { size_in_bytes: number } } } };
  const indexBytes = stats._all.primaries.store.size_in_bytes;
  ctx.log(`  ${(indexed.tookMs / 1000).toFixed(1)} s (bulk, force-merge, alias swap), ${(indexBytes / 1e6).toFixed(1)} MB`);

  ctx.log(`Sync lag: ${LAG_CHANGES} changes over ${LAG_SECONDS} s, the worker delivering the outbox (poll ${env().WORKER_POLL_MS} ms)…`);
  const lag = await measureSyncLag(ctx.db, target, { changes: LAG_CHANGES, durationMs: LAG_SECONDS * 1000, workerPollMs: env().WORKER_POLL_MS, log: (l) => ctx.log(`  ${l}`) });
  ctx.log(`  seen ${lag.seen}/${lag.changes}; lag p50 ${lag.p50Ms} ms, p99 ${lag.p99Ms} ms, max ${lag.maxMs} ms`);
  if (lag.seen < lag.changes) throw new Error(`Only ${lag.seen} of ${lag.changes} changes became searchable within the wait.`);

  return {
    backend,
    app: { url: ctx.url, alias: target.alias },
    extra: { syncLagP50Ms: lag.p50Ms, syncLagP99Ms: lag.p99Ms, syncLag: lag, indexBytes, indexSeconds: indexed.tookMs / 1000 },
    cleanup: async () => void (await target.client.indices.delete({ index: `${target.alias}-*` }, { ignore: [404] })),
  };
}
