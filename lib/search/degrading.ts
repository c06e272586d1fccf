import type { DB } from "../../db/client.ts";
import { DomainError } from "../errors.ts";
import { DEGRADED_REASONS, type BackendPage, type BackendSearchOptions, type Degraded, type SearchBackend } from "./backend.ts";
import type { CircuitBreaker } from "./breaker.ts";
import type { ParsedQuery } from "./query.ts";

export type DegradingOptions = {
  /** Elasticsearch. */
  primary: SearchBackend;
  /** The embedded index: kept in the same transaction as every change, so it is never behind. */
  fallback: SearchBackend;
  breaker: CircuitBreaker;
  /** The longest a search waits for the primary before answering from the fallback. */
  timeoutMs: number;
  /** Why the primary cannot be trusted right now (its index is rebuilding or behind), or null. */
  health?: (db: DB) => Degraded | null;
};

const PRIMARY = "x:";
const FALLBACK = "e:";

class Timeout extends Error {}

/**
 * Degrade, never fail: asks the primary within a deadline, behind a circuit breaker, and answers from
 * the fallback (same result shape, marked `degraded` with a reason) when the primary errs, is slow,
 * is known broken, or cannot be trusted (index rebuilding or behind). Page tokens name who answered, so
 * a result's later pages come from the same backend.
 */
export function degradingBackend(o: DegradingOptions): SearchBackend {
  const seconds = `${(o.timeoutMs / 1000).toLocaleString("en-GB")} s`;

  const answeredLocally = (page: BackendPage, why: Degraded): BackendPage => ({
    ...page,
    nextAfter: page.nextAfter === null ? null : `${FALLBACK}${why.reason}:${page.nextAfter}`,
    answeredBy: o.fallback.name,
    degraded: why,
  });
  const fallback = async (query: ParsedQuery, opts: BackendSearchOptions, why: Degraded) => answeredLocally(await o.fallback.search(query, opts), why);

  /** While the breaker is open, a background probe may close it; no search waits on a dead node. */
  function probeInBackground(): void {
    if (!o.primary.probe) return;
    o.primary.probe().then(
      (ok) => (ok ? o.breaker.success() : o.breaker.failure()),
      () => o.breaker.failure(),
    );
  }

  return {
    name: o.primary.name,
    probe: o.primary.probe,
    async search(query, opts) {
      const token = opts.after;
      if (token?.startsWith(FALLBACK)) {
        const [, named, ...rest] = token.split(":");
        const reason = DEGRADED_REASONS.find((r) => r === named) ?? "unavailable";
        return fallback(query, { ...opts, after: rest.join(":") }, { reason, notice: "continuing on the local index" });
      }
      const after = token?.startsWith(PRIMARY) ? token.slice(PRIMARY.length) : token;
      const firstPage = after === null;
      const unhealthy = firstPage ? (o.health?.(opts.db) ?? null) : null;
      if (unhealthy) return fallback(query, opts, unhealthy);

      if (o.breaker.state !== "closed") {
        // Half-open lets one request test the node: a background probe when the primary has one, else this search.
        const tested = o.breaker.allow();
        if (tested && o.primary.probe) probeInBackground();
        if (!tested || o.primary.probe) {
          return degradedPage(query, opts, firstPage, { reason: "circuit_open", notice: "Elasticsearch failed several times in a row; trying it again in a few seconds" });
        }
      }
      let page: BackendPage;
      try {
        page = await withDeadline(o.primary.search(query, { ...opts, after }), o.timeoutMs);
        o.breaker.success();
      } catch (error) {
        if (error instanceof DomainError) throw error; // the caller's mistake (a bad cursor), not the node's
        o.breaker.failure();
        const why: Degraded =
          error instanceof Timeout
            ? { reason: "timeout", notice: `Elasticsearch did not answer within ${seconds}` }
            : { reason: "unavailable", notice: `Elasticsearch failed: ${String((error as Error)?.message ?? error).slice(0, 200)}` };
        return degradedPage(query, opts, firstPage, why);
      }
      if (firstPage && page.hits.length === 0) {
        // Both backends index the same data; if the embedded index finds what Elasticsearch did not, Elasticsearch is behind.
        const local = await o.fallback.search(query, opts);
        if (local.hits.length > 0) return answeredLocally(local, { reason: "stale", notice: "Elasticsearch has not caught up with the latest changes" });
      }
      return { ...page, nextAfter: page.nextAfter === null ? null : `${PRIMARY}${page.nextAfter}`, answeredBy: o.primary.name };
    },
  };

  /** Page one comes from the fallback; a later page of the primary's cannot, so it ends the list and says why. */
  function degradedPage(query: ParsedQuery, opts: BackendSearchOptions, firstPage: boolean, why: Degraded): Promise<BackendPage> {
    if (firstPage) return fallback(query, opts, why);
    return Promise.resolve({ hits: [], nextAfter: null, answeredBy: o.fallback.name, degraded: { ...why, notice: `${why.notice}; search again for more` } });
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Timeout()), ms)));
  work.catch(() => {}); // settles after the deadline: nobody is waiting for it any more
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
