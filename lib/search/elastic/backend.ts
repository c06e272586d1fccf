import type { DB } from "../../../db/client.ts";
import { DomainError } from "../../errors.ts";
import type { BackendHit, SearchBackend } from "../backend.ts";
import { ordersIndex, type OrdersIndex } from "./client.ts";
import { refreshIndex } from "./indexing.ts";
import { matchedFields, searchBody, typoProbe, type SortKey, type TypoPlan } from "./query.ts";
import { reindexOrders } from "./reindex.ts";

type SearchResponse = { hits: { hits: { _id: string; _score: number | null; sort?: SortKey; matched_queries?: string[] }[] } };

/** Searches the orders alias; `target` is resolved on first use so importing this never needs a URL. */
export function elasticBackend(target: () => OrdersIndex): SearchBackend {
  let resolved: OrdersIndex | undefined;
  const index = () => (resolved ??= target());
  return {
    name: "elasticsearch",
    async search(query, opts) {
      const { client, alias } = index();
      const after = opts.after ? decodeAfter(opts.after) : null;
      const body = (typos: TypoPlan) => searchBody(query, { filters: opts.filters, limit: opts.limit, after, allowContact: opts.allowContact, typos });
      const first = body({ email: false, tracking: false });
      if (!first) return { hits: [], nextAfter: null };
      // Whether the identifier exists exactly rides along as a global aggregation; only when it does
      // not is the query run again with typo clauses (the embedded backend's rule, one round trip).
      const probe = typoProbe(query, opts.allowContact, opts.limit);
      if (probe) first.aggs = { exact: { global: {}, aggs: probe.aggs } };
      let res = await client.search({ index: alias, body: first }, { requestTimeout: 10_000 });
      if (probe) {
        const exact = (res.body as { aggregations: { exact: Record<string, { doc_count?: number }> } }).aggregations.exact;
        const typos = probe.plan({ email: exact.email?.doc_count ?? 0, tracking: exact.tracking?.doc_count ?? 0 });
        if (typos.email || typos.tracking) res = await client.search({ index: alias, body: body(typos)! }, { requestTimeout: 10_000 });
      }
      const found = (res.body as SearchResponse).hits.hits;
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
  if (!Array.isArray(parsed) || parsed.length !== 2 || !parsed.every((v) => typeof v === "number")) {
    throw new DomainError("invalid_input", "The page cursor is not valid for this search; start again from the first page.");
  }
  return parsed as SortKey;
}

/** The configured backend: ELASTICSEARCH_URL, the ELASTICSEARCH_INDEX alias (`orders`). */
export const elasticsearchBackend: SearchBackend = elasticBackend(() => ordersIndex());
