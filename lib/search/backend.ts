import type { DB } from "../../db/client.ts";
import type { ParsedQuery } from "./query.ts";
import type { SearchField, SearchFilters } from "./types.ts";

/**
 * The contract every search backend meets (embedded SQLite, Elasticsearch). A backend only finds and
 * ranks order ids; lib/search/search.ts parses the query, checks the role, hydrates the hits from
 * SQLite in one query, masks contact fields and computes highlights, so every backend returns the
 * identical SearchResult shape.
 *
 * Ranking every backend aims for (the embedded cost model, lib/search/embedded/candidates.ts; lower first):
 *   0     exact order number, email, full phone, tracking number, SKU
 *   1+    name and city words: + 0 per exact word, + 1 per completed word or initial, + 2 per edit
 *   1.5   the start of an email
 *   2     a phone ending
 *   2.25  a postcode (a place, not an identifier)
 *   2.5   an order-number ending, a postcode's start, part of a SKU
 *   3, 4  an email or tracking number one or two edits away (+ 0.25 if the first character differs)
 *   3.5   an email that ends with the one typed
 * then recency (newer orders first; order ids grow with placement time).
 */
export type SearchBackend = {
  name: "embedded" | "elasticsearch";
  search(query: ParsedQuery, opts: BackendSearchOptions): Promise<BackendPage>;
  /** A cheap health check (Elasticsearch: HEAD /), used by a degrading backend to close its breaker. */
  probe?(): Promise<boolean>;
  /**
   * Test and benchmark hook: make this backend's index reflect everything in `db` and wait until it
   * is searchable (Elasticsearch bulk-indexes and refreshes). The embedded index is written in the
   * same transaction as the data, so it has nothing to do.
   */
  prepare?(db: DB): Promise<void>;
};

export type BackendSearchOptions = {
  /** The app's database: the embedded backend reads its index here; others may ignore it. */
  db: DB;
  filters: SearchFilters;
  /** Hits wanted on this page. */
  limit: number;
  /** The backend's own continuation token from the previous page's `nextAfter`, or null for page one. */
  after: string | null;
  /**
   * False when the viewer may not receive contact details (no `orders:read_contact`): the backend
   * must then neither match on email or phone nor report them as matched fields.
   */
  allowContact: boolean;
};

export type BackendHit = {
  orderId: number;
  /** Higher is better; comparable within one backend's answer only. */
  score: number;
  /** Fields the backend matched on, best first; used to pick what to highlight. */
  matched: SearchField[];
};

export type BackendPage = {
  hits: BackendHit[];
  /** Opaque continuation token for the next page, or null when there is none. */
  nextAfter: string | null;
  /** Set by a degrading backend (lib/search/degrading.ts): who answered, and why not the configured one. */
  answeredBy?: SearchBackend["name"];
  degraded?: Degraded;
};

/** Why search answered from the embedded index although Elasticsearch is configured. */
export const DEGRADED_REASONS = ["timeout", "unavailable", "circuit_open", "not_built", "rebuilding", "behind", "stale"] as const;
export type DegradedReason = (typeof DEGRADED_REASONS)[number];
export type Degraded = { reason: DegradedReason; notice: string };
