import type { DB } from "../../db/client.ts";
import { database } from "../../db/index.ts";
import { DomainError } from "../errors.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { env } from "../env.ts";
import { can, type SessionUser } from "../auth/permissions.ts";
import type { SearchBackend } from "./backend.ts";
import { CircuitBreaker } from "./breaker.ts";
import { degradingBackend } from "./degrading.ts";
import { embeddedBackend } from "./embedded/backend.ts";
import { hydrateHits } from "./hydrate.ts";
import { parseQuery } from "./query.ts";
import { indexDistrust } from "./sync-state.ts";
import type { SearchFilters, SearchResult } from "./types.ts";

const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 50;

export type SearchOrdersInput = {
  q: string;
  filters?: SearchFilters;
  /** The previous page's `nextCursor`. */
  cursor?: string | null;
  user: SessionUser;
  limit?: number;
  /** Defaults to the app's database; tests and benchmarks pass their own. */
  db?: DB;
  /** Defaults to the configured backend (Elasticsearch when ELASTICSEARCH_URL is set). */
  backend?: SearchBackend;
};

/**
 * The one order search: the UI and GET /api/search both call it. Requires `orders:read`; contact
 * fields are neither matched nor returned without `orders:read_contact`.
 */
export async function searchOrders(input: SearchOrdersInput): Promise<SearchResult> {
  const started = performance.now();
  if (!can(input.user, "orders:read")) throw new DomainError("forbidden", "Your role may not search orders (needs orders:read).");
  const backend = input.backend ?? (await configuredBackend());
  const db = input.db ?? database();
  const query = parseQuery(input.q);
  const limit = Math.min(Math.max(1, Math.floor(input.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
  const after = input.cursor ? decodeCursor(input.cursor, backend.name) : null;
  if (query.raw === "") return { hits: [], nextCursor: null, backend: backend.name, degraded: false, reason: null, notice: null, tookMs: performance.now() - started };

  const allowContact = can(input.user, "orders:read_contact");
  const filters = input.filters ?? {};
  const page = await backend.search(query, { db, filters, limit, after, allowContact });
  const hits = hydrateHits(db, query, page.hits, { allowContact, allowPayment: can(input.user, "orders:read_payment"), filters });
  return {
    hits,
    nextCursor: page.nextAfter === null ? null : encodeCursor(backend.name, page.nextAfter),
    backend: page.answeredBy ?? backend.name,
    degraded: page.degraded !== undefined,
    reason: page.degraded?.reason ?? null,
    notice: page.degraded?.notice ?? null,
    tookMs: performance.now() - started,
  };
}

let elasticsearch: Promise<SearchBackend> | undefined;

/** Elasticsearch when ELASTICSEARCH_URL is set, else the embedded SQLite index. */
async function configuredBackend(): Promise<SearchBackend> {
  if (!env().ELASTICSEARCH_URL) return embeddedBackend;
  elasticsearch ??= loadElasticsearchBackend();
  return elasticsearch;
}

/**
 * Imported only when configured, so the embedded setup never loads the Elasticsearch client. Wrapped
 * so search degrades to the embedded index rather than failing: a deadline per search, a circuit
 * breaker per process, and the sync state the worker keeps (rebuilding, behind).
 */
async function loadElasticsearchBackend(): Promise<SearchBackend> {
  const { elasticsearchBackend } = await import("./elastic/backend.ts");
  const e = env();
  return degradingBackend({
    primary: elasticsearchBackend,
    fallback: embeddedBackend,
    breaker: new CircuitBreaker({ failures: e.ELASTICSEARCH_BREAKER_FAILURES, coolDownMs: e.ELASTICSEARCH_BREAKER_COOLDOWN_MS }),
    timeoutMs: e.ELASTICSEARCH_TIMEOUT_MS,
    health: (db) => indexDistrust(db, e.ELASTICSEARCH_INDEX),
  });
}
