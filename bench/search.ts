// Search quality and latency: `npm run bench -- search [--orders N] [--db FILE] [--http-queries N] [--no-elasticsearch]`.
// Seeds N orders (default 1,000,000) with seedDatabase, generates the labelled query set
// (bench/search-queries.ts) and measures both backends on it (Elasticsearch at ELASTICSEARCH_URL, or a
// node started for the run from the cached test runner): recall@1 and @10 overall and
// per kind, the ceiling a perfect ranker could reach given each query's ambiguity, recall@10 over
// resolvable queries (ambiguity <= 10), and p50/p95/p99 latency in process (searchOrders) and through
// GET /api/search on the built app (`next start` against the bench database, signed in as the demo agent).
// A third column, degraded, measures search with Elasticsearch configured but down (bench/search-degraded.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { startElasticsearch, stopElasticsearch, type EsNode } from "../scripts/elasticsearch.ts";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase, migrateDatabase, type DB } from "../db/client.ts";
import { seedDatabase } from "../lib/seed/index.ts";
import { rebuildEmbeddedIndex } from "../lib/search/embedded/indexer.ts";
import { embeddedBackend } from "../lib/search/embedded/backend.ts";
import type { SearchBackend } from "../lib/search/backend.ts";
import { searchOrders } from "../lib/search/search.ts";
import type { SessionUser } from "../lib/auth/permissions.ts";
import { arg, table, writeResult } from "./lib.ts";
import { QUERY_KINDS, generateSearchQueries, type LabelledQuery } from "./search-queries.ts";
import { startApp, type RunningApp } from "./search-http.ts";
import { degradedColumn } from "./search-degraded.ts";

const AGENT: SessionUser = { id: 1, email: "agent@switchyard.test", name: "Sofia Jansen", role: "agent" };
const K = 10;

/**
 * A backend column of the report. The Elasticsearch column comes from bench/search-elasticsearch.ts
 * (ELASTICSEARCH_COLUMN_MODULE): its backend, prepared on ctx.db, the outbox-to-searchable lag it
 * measured (syncLagP99Ms), and the alias the built app searches for the HTTP figures.
 */
export type BackendColumn = {
  backend: SearchBackend;
  /** Extra measurements for the JSON, e.g. { syncLagP99Ms }. */
  extra?: Record<string, unknown>;
  /** How the built app reaches this backend for the HTTP measurements (none: the embedded index). */
  app?: { url: string; alias: string };
  cleanup?: () => Promise<void>;
};
export type ColumnContext = { db: DB; file: string; url: string; orders: number; queries: readonly LabelledQuery[]; log: (line: string) => void };
const ELASTICSEARCH_COLUMN_MODULE = "./search-elasticsearch.ts";
/** The columns: each backend, and "degraded" (Elasticsearch configured but down, bench/search-degraded.ts). */
type ColumnName = SearchBackend["name"] | "degraded";

export async function main(args: string[]): Promise<void> {
  const orders = arg(args, "orders", 1_000_000);
  const httpQueries = arg(args, "http-queries", 1_000_000);
  const dbArg = args.includes("--db") ? args[args.indexOf("--db") + 1] : undefined;
  const dir = dbArg ? null : mkdtempSync(path.join(tmpdir(), "switchyard-bench-search-"));
  const file = dbArg ? path.resolve(dbArg) : path.join(dir!, "bench.db");
  const log = (line: string) => console.log(line);
  // Both backends side by side: without ELASTICSEARCH_URL the bench starts the test node (npm run es) itself,
  // beside the seeding, unless --no-elasticsearch.
  const ownNode = !process.env.ELASTICSEARCH_URL && !args.includes("--no-elasticsearch") ? startOwnNode(log) : null;
  let app: RunningApp | null = null;
  try {
    const db = openDatabase(file);
    migrateDatabase(db);
    const existing = db.$client.prepare("SELECT count(*) FROM orders").pluck().get() as number;
    let seedSeconds: number | null = null;
    if (existing === 0) {
      log(`Seeding ${orders.toLocaleString("en-GB")} orders into ${file}…`);
      const summary = await seedDatabase(db, { orders, seed: 42 });
      seedSeconds = summary.elapsedMs / 1000;
      db.$client.pragma("wal_checkpoint(TRUNCATE)");
    } else log(`Using ${existing.toLocaleString("en-GB")} orders already in ${file}.`);
    const orderCount = db.$client.prepare("SELECT count(*) FROM orders").pluck().get() as number;

    log("Rebuilding the embedded index on its own, to time it…");
    const build = rebuildEmbeddedIndex(db);
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    const indexBytes = embeddedIndexBytes(db);
    log(`  ${(build.ms / 1000).toFixed(1)} s, ${(indexBytes / 1e6).toFixed(1)} MB, ${build.terms} distinct words`);

    const queries = generateSearchQueries(db.$client);
    log(`${queries.length} labelled queries (${QUERY_KINDS.length} kinds), ${queries.filter((q) => q.ambiguity <= K).length} resolvable.`);

    const columns: { name: ColumnName; column: BackendColumn }[] = [{ name: "embedded", column: { backend: embeddedBackend } }];
    const results: Record<string, unknown> = { embedded: null, elasticsearch: null, degraded: null };
    const started = ownNode ? await ownNode.ready : null;
    if (started && "error" in started) {
      log(`Elasticsearch column skipped: ${started.error.message}`);
      results.elasticsearch = { unavailable: started.error.message };
    } else if (process.env.ELASTICSEARCH_URL) {
      log(`Elasticsearch at ${process.env.ELASTICSEARCH_URL}${started ? " (started for this run)" : ""}.`);
      const column = await elasticsearchColumn({ db, file, url: process.env.ELASTICSEARCH_URL, orders: orderCount, queries, log });
      columns.push({ name: "elasticsearch", column });
    }
    // Elasticsearch configured but down: what agents get meanwhile (the embedded index, through the degrading backend).
    columns.push({ name: "degraded", column: await degradedColumn({ db, file, url: "", orders: orderCount, queries, log }) });

    const tops = new Map<string, number[][]>();
    const rows: Record<string, string | number>[] = [];
    const kindRows: Record<string, string | number>[] = [];
    for (const { name, column } of columns) {
      log(`Measuring ${name} in process…`);
      const inProcess = await measureInProcess(db, column.backend, queries);
      tops.set(name, inProcess.top);
      log(`Measuring ${name} through GET /api/search on the built app…`);
      app = await startApp({ databasePath: file, elasticsearch: column.app, log });
      const http = await measureHttp(app, queries.slice(0, httpQueries));
      await app.stop();
      app = null;
      const r = summarise(queries, inProcess.top, inProcess.perQuery);
      results[name] = {
        recallAt1: r.recallAt1,
        recallAt10: r.recallAt10,
        ceilingAt10: r.ceilingAt10,
        recallAt10Resolvable: r.recallAt10Resolvable,
        resolvableQueries: r.resolvable,
        p50Ms: inProcess.latency.p50,
        p95Ms: inProcess.latency.p95,
        p99Ms: inProcess.latency.p99,
        http: { p50Ms: http.p50, p95Ms: http.p95, p99Ms: http.p99, queries: http.n },
        perKind: r.perKind,
        ...(name === "embedded" ? { indexBytes, buildSeconds: build.ms / 1000 } : {}),
        ...column.extra,
      };
      rows.push({
        backend: name,
        "recall@1": pct(r.recallAt1),
        "recall@10": pct(r.recallAt10),
        "ceiling@10": pct(r.ceilingAt10),
        "recall@10 resolvable": pct(r.recallAt10Resolvable),
        "p50 ms": inProcess.latency.p50.toFixed(2),
        "p95 ms": inProcess.latency.p95.toFixed(2),
        "p99 ms": inProcess.latency.p99.toFixed(2),
        "HTTP p50/p95/p99 ms": `${http.p50.toFixed(1)} / ${http.p95.toFixed(1)} / ${http.p99.toFixed(1)}`,
        "sync lag p50/p99 ms": typeof column.extra?.syncLagP99Ms === "number" ? `${column.extra.syncLagP50Ms} / ${column.extra.syncLagP99Ms}` : name === "degraded" ? "- (embedded answers)" : "- (same transaction)",
      });
      for (const [kind, k] of Object.entries(r.perKind)) {
        kindRows.push({ backend: name, kind, queries: k.queries, "recall@1": pct(k.recallAt1), "recall@10": pct(k.recallAt10), "ceiling@10": pct(k.ceilingAt10), "median ambiguity": k.medianAmbiguity, "p95 ms": k.p95Ms.toFixed(2) });
      }
      await column.cleanup?.();
    }

    console.log("");
    table(rows);
    console.log("");
    table(kindRows);
    const [a, b] = [tops.get("embedded"), tops.get("elasticsearch")];
    if (a && b) {
      const same = a.filter((t, i) => t.join() === b[i]!.join()).length;
      const sameFirst = a.filter((t, i) => t[0] === b[i]![0]).length;
      console.log(`\nbackends agree on the whole top 10 for ${same} of ${a.length} queries, on the first hit for ${sameFirst}`);
      results.agreement = { sameTop10: same, sameFirst, queries: a.length };
    }
    const d = tops.get("degraded");
    if (a && d) {
      const same = a.filter((t, i) => t.join() === d[i]!.join()).length;
      console.log(`degraded mode answers exactly as the embedded index for ${same} of ${a.length} queries`);
      results.degradedAgreement = { sameTop10: same, queries: a.length };
    }
    console.log(`\nembedded index: ${(indexBytes / 1e6).toFixed(1)} MB, rebuilt in ${(build.ms / 1000).toFixed(1)} s` + (seedSeconds ? `; seed (with index) ${seedSeconds.toFixed(1)} s` : ""));
    const out = writeResult("search", {
      ...results,
      orders: orderCount,
      queries: queries.length,
      seedSeconds,
      node: process.version,
      at: new Date().toISOString(),
    });
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await app?.stop();
    const node = ownNode ? await ownNode.ready : null;
    if (node && "node" in node) await stopElasticsearch(node.node);
    if (dir && !process.env.KEEP_BENCH_DB) rmSync(dir, { recursive: true, force: true });
    else if (dir) console.log(dir);
  }
}

async function elasticsearchColumn(ctx: ColumnContext): Promise<BackendColumn> {
  const mod = (await import(ELASTICSEARCH_COLUMN_MODULE)) as { elasticsearchColumn: (ctx: ColumnContext) => Promise<BackendColumn> };
  return mod.elasticsearchColumn(ctx);
}

/** Starts the cached test node in the background; `ready` never rejects (an unavailable node skips its column). */
function startOwnNode(log: (line: string) => void): { ready: Promise<{ node: EsNode } | { error: Error }> } {
  log("Starting an Elasticsearch node for the Elasticsearch column (set ELASTICSEARCH_URL to use your own)…");
  const ready = startElasticsearch({ log: (line) => log(`  ${line}`) }).then(
    (node) => {
      process.env.ELASTICSEARCH_URL = node.url;
      return { node };
    },
    (error: Error) => ({ error }),
  );
  return { ready };
}

function embeddedIndexBytes(db: DB): number {
  return db.$client.prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'search\\_%' ESCAPE '\\'").pluck().get() as number;
}

type Latency = { p50: number; p95: number; p99: number; n: number };

function percentiles(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), n: s.length };
}

/** Two passes over the set: the first warms caches and gives the answers, the second the timings too. */
async function measureInProcess(db: DB, backend: SearchBackend, queries: readonly LabelledQuery[]) {
  const top: number[][] = [];
  for (const q of queries) top.push((await searchOrders({ q: q.q, user: AGENT, limit: K, db, backend })).hits.map((h) => h.orderId));
  const perQuery: number[] = [];
  for (const q of queries) {
    const started = performance.now();
    await searchOrders({ q: q.q, user: AGENT, limit: K, db, backend });
    perQuery.push(performance.now() - started);
  }
  return { top, latency: percentiles(perQuery), perQuery };
}

async function measureHttp(app: RunningApp, queries: readonly LabelledQuery[]): Promise<Latency> {
  for (const q of queries.slice(0, 50)) await app.search(q.q, K);
  const samples: number[] = [];
  for (const q of queries) {
    const started = performance.now();
    await app.search(q.q, K);
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

type KindSummary = { queries: number; recallAt1: number; recallAt10: number; ceilingAt10: number; medianAmbiguity: number; p95Ms: number };

function summarise(queries: readonly LabelledQuery[], top: number[][], perQueryMs: number[]) {
  let at1 = 0;
  let at10 = 0;
  let ceiling = 0;
  let resolvable = 0;
  let resolvedAt10 = 0;
  const kinds = new Map<string, { n: number; at1: number; at10: number; ceiling: number; ambiguity: number[]; ms: number[] }>();
  queries.forEach((q, i) => {
    const hits = top[i]!;
    const hit1 = hits[0] === q.targetOrderId ? 1 : 0;
    const hit10 = hits.includes(q.targetOrderId) ? 1 : 0;
    const best = Math.min(1, K / q.ambiguity);
    at1 += hit1;
    at10 += hit10;
    ceiling += best;
    if (q.ambiguity <= K) {
      resolvable++;
      resolvedAt10 += hit10;
    }
    const k = kinds.get(q.kind) ?? { n: 0, at1: 0, at10: 0, ceiling: 0, ambiguity: [], ms: [] };
    k.ms.push(perQueryMs[i]!);
    k.n++;
    k.at1 += hit1;
    k.at10 += hit10;
    k.ceiling += best;
    k.ambiguity.push(q.ambiguity);
    kinds.set(q.kind, k);
  });
  const perKind: Record<string, KindSummary> = {};
  for (const [kind, k] of kinds) {
    const sorted = [...k.ambiguity].sort((a, b) => a - b);
    perKind[kind] = { queries: k.n, recallAt1: k.at1 / k.n, recallAt10: k.at10 / k.n, ceilingAt10: k.ceiling / k.n, medianAmbiguity: sorted[sorted.length >> 1]!, p95Ms: percentiles(k.ms).p95 };
  }
  const n = queries.length;
  return { recallAt1: at1 / n, recallAt10: at10 / n, ceilingAt10: ceiling / n, recallAt10Resolvable: resolvable ? resolvedAt10 / resolvable : 1, resolvable, perKind };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
