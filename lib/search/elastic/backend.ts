import type { DB } from "../../../db/client.ts";
import { env } from "../../env.ts";
import type { BackendHit, SearchBackend } from "../backend.ts";
import type { Client } from "@elastic/elasticsearch";
import { ordersIndex, type OrdersIndex } from "./client.ts";
import { refreshIndex } from "./indexing.ts";
import { invalidCursor } from "../cursor.ts";
import { matchedFields, NO_TYPOS, searchBody, typoProbe, type SortKey, type TypoPlan } from "./query.ts";
import { reindexOrders } from "./reindex.ts";

type SearchResponse = {
  hits: { hits: { _id: string; _score: number | null; sort?: SortKey; matched_queries?: string[] }[] };
  aggregations?: Record<string, { doc_count?: number }>;
};
type RequestOptions = { requestTimeout: number; maxRetries: number };

async function search(client: Client, index: string, body: Record<string, unknown>, ro: RequestOptions): Promise<SearchResponse> {
  return (await client.search({ index, body }, ro)).body as SearchResponse;
}

/** Two searches in one _msearch round trip; an error in either fails the search, as a single request would. */
async function searchBoth(client: Client, index: string, a: Record<string, unknown>, b: Record<string, unknown>, ro: RequestOptions): Promise<[SearchResponse, SearchResponse]> {
  const res = await client.msearch({ body: [{ index }, a, { index }, b] }, ro);
  const responses = (res.body as { responses: (SearchResponse & { error?: { type?: string; reason?: string }; status?: number })[] }).responses;
  for (const r of responses) {
    if (r.error) throw new Error(`Elasticsearch search failed (HTTP ${r.status ?? "?"}): ${r.error.type ?? "error"}: ${r.error.reason ?? JSON.stringify(r.error)}`);
  }
  return [responses[0]!, responses[1]!];
}

const counts = (res: SearchResponse): Record<string, number> =>
  Object.fromEntries(Object.entries(res.aggregations ?? {}).map(([name, agg]) => [name, agg.doc_count ?? 0]));

/**
 * Searches the orders alias; `target` is resolved on first use so importing this never needs a URL.
 * Each request gives up after `timeoutMs` (default 10 s) without retrying: a degrading backend
 * (lib/search/degrading.ts) answers from the embedded index instead.
 */
export function elasticBackend(target: () => OrdersIndex, o: { timeoutMs?: () => number } = {}): SearchBackend {
  let resolved: OrdersIndex | undefined;
  const index = () => (resolved ??= target());
  const requestOptions = (): RequestOptions => ({ requestTimeout: o.timeoutMs?.() ?? 10_000, maxRetries: 0 });
  return {
    name: "elasticsearch",
    async probe() {
      const ro = requestOptions();
      return (await index().client.ping({}, { requestTimeout: Math.min(ro.requestTimeout, 1_000), maxRetries: 0 })).statusCode === 200;
    },
    async search(query, opts) {
      const { client, alias } = index();
      const ro = requestOptions();
      const after = opts.after ? decodeAfter(opts.after) : null;
      const body = (typos: TypoPlan) => searchBody(query, { filters: opts.filters, limit: opts.limit, after, allowContact: opts.allowContact, typos });
      const first = body(NO_TYPOS);
      if (!first) return { hits: [], nextAfter: null };
      const probe = typoProbe(query, opts.allowContact, opts.limit);
      let res: SearchResponse;
      if (!probe) res = await search(client, alias, first, ro);
      else {
        // A whole e-mail or tracking number: the request as typed and the one with one-edit typo
        // clauses go together (one round trip, run side by side); the exact counts of the first decide
        // which answers. Two edits, a third request, only when nothing lay within one.
        const oneEdit = body(probe.oneEdit)!;
        const [exact, near] = await searchBoth(client, alias, { ...first, aggs: probe.exactAggs }, { ...oneEdit, aggs: probe.nearAggs }, ro);
        const plan = probe.needsTypos(counts(exact));
        if (!plan.email && !plan.tracking) res = exact;
        else {
          const wider = probe.widen(plan, counts(near));
          const same = (a: TypoPlan, b: TypoPlan) => a.email === b.email && a.tracking === b.tracking;
          res = same(wider, probe.oneEdit) ? near : await search(client, alias, body(wider)!, ro);
        }
      }
      const found = res.hits.hits;
      const page = found.slice(0, opts.limit);
      const hits: BackendHit[] = page.map((h) => ({ orderId: Number(h._id), score: h._score ?? 0, matched: matchedFields(h.matched_queries) }));
      const last = page.at(-1);
      return { hits, nextAfter: found.length > opts.limit && last?.sort ? JSON.stringify(last.sort) : null };
    },
    /** Rebuilds the index from `db` (alias swap) and waits until it is searchable. */
    async prepare(db: DB) {
      await reindexOrders(db, index());
      await refreshIndex(index());
    },
  };
}

function decodeAfter(after: string): SortKey {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(after);
  } catch {
    // reported below
  }
  const [score, id] = Array.isArray(parsed) && parsed.length === 2 ? (parsed as unknown[]) : [];
  if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || typeof id !== "number" || !Number.isSafeInteger(id) || id < 1) {
    throw invalidCursor("its position is not a score and an order id");
  }
  return [score, id];
}

/** The configured backend: ELASTICSEARCH_URL, the ELASTICSEARCH_INDEX alias (`orders`), ELASTICSEARCH_TIMEOUT_MS. */
export const elasticsearchBackend: SearchBackend = elasticBackend(() => ordersIndex(), { timeoutMs: () => env().ELASTICSEARCH_TIMEOUT_MS });
