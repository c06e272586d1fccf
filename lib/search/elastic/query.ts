import { maxEdits } from "../fuzzy.ts";
import type { ParsedQuery } from "../query.ts";
import type { SearchField, SearchFilters } from "../types.ts";

/**
 * Constant scores, so ranking follows the contract in lib/search/backend.ts rather than term
 * statistics: an exact identifier first, then words by closeness (exact, prefix, one edit, two),
 * then partial identifiers; ties go to the newer order (sort on orderId).
 */
export const SCORE = {
  exactId: 1000,
  word: 100,
  wordPrefix: 60,
  wordOneEdit: 50,
  wordTwoEdits: 35,
  wordPrefixTypo: 25,
  partId: 80,
  idTypo: 40,
} as const;

const FIELD_WEIGHT = { name: 1, city: 0.9, product: 0.8 } as const;
/** The n-gram fields index parts of up to this many characters (mapping.ts `infixes`). */
const MAX_GRAM = 16;

type Clause = Record<string, unknown>;
type Named = { field: SearchField; kind: string; score: number };

/** Named clauses: `field#kind#score`, so matched_queries says which fields matched and how well. */
function named(field: SearchField, kind: string, score: number, query: Clause): Clause {
  return { constant_score: { filter: query, boost: score, _name: `${field}#${kind}#${score}` } };
}

export function parseClauseName(name: string): Named | null {
  const [field, kind, score] = name.split("#");
  return field && kind && score ? { field: field as SearchField, kind, score: Number(score) } : null;
}

/** Exact and partial identifier clauses for each shape the query could be. */
function identifierClauses(q: ParsedQuery, allowContact: boolean): Clause[] {
  const out: Clause[] = [];
  const id = q.compact.toLowerCase();
  const has = (s: ParsedQuery["shapes"][number]) => q.shapes.includes(s);
  if (has("order_number")) {
    out.push(named("number", "exact", SCORE.exactId, { term: { number: id } }));
    if (q.digits.length >= 4) out.push(named("number", "exact", SCORE.exactId, { term: { "number.digits": q.digits } }));
    out.push(named("number", "prefix", SCORE.partId, { term: { "number.prefix": id } }));
    out.push(named("number", "ending", SCORE.partId, { match: { "number.ending": id } }));
    if (q.digits !== id && q.digits.length >= 4) out.push(named("number", "ending", SCORE.partId, { match: { "number.ending": q.digits } }));
  }
  if (has("tracking")) {
    out.push(named("tracking", "exact", SCORE.exactId, { term: { tracking: id } }));
    out.push(named("tracking", "prefix", SCORE.partId, { term: { "tracking.prefix": id } }));
    out.push(named("tracking", "ending", SCORE.partId, { match: { "tracking.ending": id } }));
    if (id.length >= 8) out.push(named("tracking", "typo", SCORE.idTypo, { fuzzy: { tracking: { value: id, fuzziness: 2, transpositions: true } } }));
  }
  if (has("sku")) {
    out.push(named("sku", "exact", SCORE.exactId, { term: { skus: id } }));
    out.push(named("sku", "part", SCORE.partId, part("skus.part", "skus", id)));
  }
  if (has("postcode")) {
    out.push(named("postcode", "exact", SCORE.exactId, { term: { postcode: id } }));
    out.push(named("postcode", "prefix", SCORE.partId, { term: { "postcode.prefix": id } }));
  }
  if (allowContact && has("email")) {
    const needle = q.folded.replace(/\s/g, "");
    out.push(named("email", "exact", SCORE.exactId, { term: { email: needle } }));
    if (needle.length >= 3) out.push(named("email", "part", SCORE.partId, part("email.part", "email", needle)));
    if (needle.includes("@")) out.push(named("email", "typo", SCORE.idTypo, { fuzzy: { email: { value: needle, fuzziness: 2, transpositions: true } } }));
  }
  if (allowContact && has("phone") && q.phoneDigits.length >= 4) {
    out.push(named("phone", "exact", SCORE.exactId, { term: { phone: q.phoneDigits } }));
    out.push(named("phone", "ending", SCORE.partId, { match: { "phone.ending": q.phoneDigits } }));
  }
  return out;
}

/** A substring of an identifier: one indexed n-gram, or for longer needles its first and last n-grams plus a prefix. */
function part(gramField: string, keywordField: string, needle: string): Clause {
  if (needle.length <= MAX_GRAM) return { term: { [gramField]: needle } };
  return {
    bool: {
      should: [
        { prefix: { [keywordField]: needle } },
        { bool: { filter: [{ term: { [gramField]: needle.slice(0, MAX_GRAM) } }, { term: { [gramField]: needle.slice(-MAX_GRAM) } }] } },
      ],
    },
  };
}

/** Every word of the query must match a name, city or product word (exactly, as a prefix, or within its edits). */
function textClause(q: ParsedQuery): Clause | null {
  if (!q.shapes.includes("text") || q.tokens.length === 0) return null;
  const last = q.tokens.length - 1;
  const perToken = q.tokens.map((t, i) => {
    const prefix = (q.prefixLast && i === last) || t.length === 1;
    const edits = maxEdits(t.length);
    const queries: Clause[] = [];
    for (const [field, path] of [["name", "nameTokens"], ["city", "cityTokens"], ["product", "productTokens"]] as const) {
      if (field === "product" && t.length < 3) continue; // product words need three letters: "m" is not a hint
      const w = FIELD_WEIGHT[field];
      queries.push(named(field, "word", SCORE.word * w, { term: { [path]: t } }));
      if (prefix) queries.push(named(field, "prefix", SCORE.wordPrefix * w, { term: { [`${path}.prefix`]: t } }));
      if (edits >= 1) queries.push(named(field, "typo1", SCORE.wordOneEdit * w, { fuzzy: { [path]: { value: t, fuzziness: 1, transpositions: true } } }));
      if (edits >= 2) queries.push(named(field, "typo2", SCORE.wordTwoEdits * w, { fuzzy: { [path]: { value: t, fuzziness: 2, transpositions: true } } }));
      if (prefix && t.length >= 3) {
        queries.push(named(field, "prefix-typo", SCORE.wordPrefixTypo * w, { fuzzy: { [`${path}.prefix`]: { value: t, fuzziness: 1, transpositions: true } } }));
      }
    }
    return { dis_max: { queries } };
  });
  return perToken.length === 1 ? perToken[0]! : { bool: { must: perToken } };
}

export type SortKey = [number, number];

/** The search request body, or null when the query can match nothing. */
export function searchBody(q: ParsedQuery, o: { filters: SearchFilters; limit: number; after: SortKey | null; allowContact: boolean }): Clause | null {
  const clauses = identifierClauses(q, o.allowContact);
  const text = textClause(q);
  if (text) clauses.push(text);
  if (clauses.length === 0) return null;
  const filter = o.filters.status?.length ? [{ terms: { status: o.filters.status } }] : [];
  return {
    size: o.limit + 1,
    _source: false,
    track_total_hits: false,
    query: { bool: { must: [{ dis_max: { queries: clauses, tie_breaker: 0 } }], filter } },
    sort: [{ _score: "desc" }, { orderId: "desc" }],
    ...(o.after ? { search_after: o.after } : {}),
  };
}

/** Matched fields, best match first, without duplicates. */
export function matchedFields(names: readonly string[] | undefined): SearchField[] {
  const parsed = (names ?? []).map(parseClauseName).filter((n): n is Named => n !== null);
  parsed.sort((a, b) => b.score - a.score);
  return [...new Set(parsed.map((n) => n.field))];
}
