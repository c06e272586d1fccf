import type { BackendHit, SearchBackend } from "../backend.ts";
import type { SearchField } from "../types.ts";
import { addCandidate, isAfter, keepStatuses, statusJson, type After, type Candidate } from "./candidates.ts";
import { identifierCandidates } from "./identifiers.ts";
import { productCandidates } from "./products.ts";
import { wordCandidates } from "./words.ts";
import { mixedCandidates } from "./mixed.ts";
import { looksLikeEmail } from "../mixed.ts";
import { invalidCursor } from "../cursor.ts";

/**
 * The embedded SQLite backend. The query is routed by its shape: identifier lookups (order number,
 * phone and email, tracking number, postcode) find a bounded set of orders; names and cities go
 * through the FTS index by increasing edit distance; SKUs and product names through the distinct
 * SKU list and order_lines. Each source yields (cost, order id); the page is the cheapest, newest
 * first, after the cursor.
 */
export const embeddedBackend: SearchBackend = {
  name: "embedded",
  async search(query, { db, filters, limit, after: token, allowContact }) {
    const after = decodeAfter(token);
    const statuses = statusJson(filters);
    const want = limit + 1;

    const identified = identifierCandidates(db, query, allowContact, limit);
    const allowed = keepStatuses(db, [...identified.keys()], statuses);
    const all = new Map<number, Candidate>();
    for (const c of identified.values()) if (allowed.has(c.id) && isAfter(c, after)) addCandidate(all, c);

    const streamed = [
      ...(query.shapes.includes("text") && !looksLikeEmail(query.raw) ? wordCandidates(db, query, { after, limit: want, statuses }) : []),
      ...productCandidates(db, query, { after, limit: want, statuses }),
      ...mixedCandidates(db, query, { after, limit: want, statuses }),
    ];
    for (const c of streamed) {
      const better = identified.get(c.id);
      // Shown already at its identifier cost (on this page or an earlier one).
      if (better && better.cost <= c.cost) continue;
      addCandidate(all, c);
    }

    const ranked = [...all.values()].sort((a, b) => a.cost - b.cost || b.id - a.id);
    const page = ranked.slice(0, limit);
    const last = page.at(-1);
    return {
      hits: page.map(toHit),
      nextAfter: ranked.length > limit && last ? encodeAfter({ cost: last.cost, id: last.id }) : null,
    };
  },
};

const FIELDS_OF: Partial<Record<SearchField, SearchField[]>> = { name: ["name", "city"] };

function toHit(c: Candidate): BackendHit {
  return { orderId: c.id, score: Math.round(1000 / (1 + c.cost)) / 1000, matched: c.fields ?? FIELDS_OF[c.field] ?? [c.field] };
}

function encodeAfter(a: After): string {
  return `${a.cost}:${a.id}`;
}

/** Page one without a token; a token that is not "cost:order id" is refused, never read as page one. */
function decodeAfter(token: string | null): After | null {
  if (token === null) return null;
  const m = token.match(/^(\d{1,4}(?:\.\d{1,3})?):([1-9]\d{0,14})$/);
  if (!m) throw invalidCursor("its position is not a cost and an order id");
  return { cost: Number(m[1]), id: Number(m[2]) };
}
