import type { SearchResult } from "../../lib/search/types.ts";
import type { OrderStatus } from "../../db/schema/orders.ts";

/** A refused or failed search, with the server's message when it sent one. */
class SearchRequestError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "SearchRequestError";
    this.status = status;
  }
}

export type SearchParams = { q: string; status?: readonly OrderStatus[]; cursor?: string | null; limit?: number };

/** GET /api/search from the browser; the session cookie goes along. */
export async function fetchSearch(p: SearchParams, signal?: AbortSignal): Promise<SearchResult> {
  const url = new URLSearchParams({ q: p.q });
  if (p.status?.length) url.set("status", p.status.join(","));
  if (p.cursor) url.set("cursor", p.cursor);
  if (p.limit) url.set("limit", String(p.limit));
  const res = await fetch(`/api/search?${url}`, { signal, headers: { accept: "application/json" } });
  const body = (await res.json().catch(() => null)) as { ok?: boolean; data?: SearchResult; message?: string; issues?: { message: string }[] } | null;
  if (!res.ok || !body?.ok || !body.data) {
    // Field issues say what is wrong ("Search for at most 200 characters."); the summary alone does not.
    const said = body?.issues?.map((i) => i.message).join(" ") || body?.message;
    throw new SearchRequestError(res.status, said ?? `Search failed (HTTP ${res.status}).`);
  }
  return body.data;
}

export const searchKey = (p: SearchParams) => ["order-search", p.q, p.status?.join(",") ?? "", p.limit ?? 0] as const;
