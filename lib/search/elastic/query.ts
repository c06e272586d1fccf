import { COST, WORD_COST } from "../embedded/candidates.ts";
import { maxEdits } from "../fuzzy.ts";
import { joinedWordSplits } from "../normalize.ts";
import { looksLikeEmail, mixedEdits, mixedWords, type MixedWord } from "../mixed.ts";
import type { ParsedQuery } from "../query.ts";
import type { SearchField, SearchFilters } from "../types.ts";

/**
 * Ranking is the embedded backend's cost model (COST, WORD_COST from lib/search/embedded/candidates.ts):
 * exact identifier 0; words 1 + per word (exact 0, completion 1, 2 per edit); then partial and
 * mistyped identifiers; lower cost first, then the newer order. Elasticsearch ranks by score, so
 * score = BASE - cost with every clause a constant score. A query of n words scores each word
 * (BASE - COST.words) / n - its cost, summing to BASE - (1 + the words' cost). BASE - 1 = 27720 is a
 * multiple of 1…12, so every score is a whole number or a quarter, exact in a float32 score.
 */
const BASE = 27721;
/** Names and cities: the first six words, as the embedded backend; product names: up to twelve. */
const MAX_NAME_WORDS = 6;
const MAX_PRODUCT_WORDS = 12;
/** The n-gram field for SKU parts holds parts of up to this many characters (mapping.ts `infixes`). */
const MAX_GRAM = 16;
/** Fuzzy terms tried per clause; enough for the closest spellings in a names vocabulary. */
const MAX_EXPANSIONS = 100;

type Clause = Record<string, unknown>;

/** A constant-score clause named `field#cost`, so matched_queries tells which fields matched, best first. */
function clause(field: SearchField, cost: number, score: number, query: Clause): Clause {
  return { constant_score: { filter: query, boost: score, _name: `${field}#${cost}` } };
}
const id = (field: SearchField, cost: number, query: Clause) => clause(field, cost, BASE - cost, query);
const fuzzy = (path: string, value: string, edits: number, prefixLength = 0) => ({
  fuzzy: { [path]: { value, fuzziness: edits, prefix_length: prefixLength, transpositions: true, max_expansions: MAX_EXPANSIONS } },
});

/**
 * A mistyped identifier: one edit costs 3, two 4, a quarter more when the first character differs
 * (embedded typoCost); prefix_length 1 tells the two apart, and dis_max keeps the cheaper. Two-edit
 * clauses walk far more of the term dictionary (about 12 ms each at a million orders against 1-2 ms
 * for one edit), so they come only when `maxEdits` is 2.
 */
function typoClauses(field: SearchField, path: string, value: string, maxEdits: Edits): Clause[] {
  return [1, 2]
    .filter((d) => d <= maxEdits)
    .flatMap((d) => [id(field, COST.typoIdentifier + d - 1, fuzzy(path, value, d, 1)), id(field, COST.typoIdentifier + d - 1 + 0.25, fuzzy(path, value, d))]);
}

/** Lower-case and only what an e-mail key keeps (as lib/search/embedded/document.ts keyText). */
function emailKey(text: string): string {
  return text.trim().toLowerCase().replace(/[^a-z0-9._@+-]/g, "");
}

type Edits = 0 | 1 | 2;
/** How many edits the typo clauses of each identifier allow (0: none). */
export type TypoPlan = { email: Edits; tracking: Edits };
export const NO_TYPOS: TypoPlan = { email: 0, tracking: 0 };

type Probe = {
  /** Typo clauses up to one edit for every identifier that may need them. */
  oneEdit: TypoPlan;
  /** Filter aggregations for the request without typos: does the identifier exist exactly? */
  exactAggs: Record<string, Clause>;
  /** Filter aggregations for the one-edit request: is anything within one edit? (The exact value is.) */
  nearAggs: Record<string, Clause>;
  /** The identifiers that need typo clauses, from the exact counts (as in the embedded backend). */
  needsTypos: (exact: Record<string, number>) => TypoPlan;
  /** The plan once the one-edit request has run: two edits where nothing was within one. */
  widen: (plan: TypoPlan, near: Record<string, number>) => TypoPlan;
};

/**
 * The typo rule of the embedded backend, for a query that holds a whole e-mail or tracking number:
 * no typo clauses once the tracking number exists exactly, or once the e-mail has more orders than a
 * page holds (near misses fill the page otherwise: a typo can land on someone else's address); two
 * edits only when nothing lies within one. The counts are filter aggregations over the request's own
 * hits, which always include the exact matches (their clause is in the query), so they cost nothing
 * beside it; a global aggregation would test all the index's documents instead. Null when the query
 * holds no such identifier.
 */
export function typoProbe(q: ParsedQuery, allowContact: boolean, limit: number): Probe | null {
  const email = emailKey(q.folded.replaceAll(" ", ""));
  const tracking = q.compact.toLowerCase();
  const exactAggs: Record<string, Clause> = {};
  const nearAggs: Record<string, Clause> = {};
  if (emailTypos(q, allowContact, email)) {
    exactAggs.email = { filter: { term: { email } } };
    nearAggs.email = { filter: fuzzy("email", email, 1) };
  }
  if (trackingTypos(q, tracking)) {
    exactAggs.tracking = { filter: { term: { tracking } } };
    nearAggs.tracking = { filter: fuzzy("tracking", tracking, 1) };
  }
  if (Object.keys(exactAggs).length === 0) return null;
  const has = (field: keyof TypoPlan) => field in exactAggs;
  return {
    oneEdit: { email: has("email") ? 1 : 0, tracking: has("tracking") ? 1 : 0 },
    exactAggs,
    nearAggs,
    needsTypos: (exact) => ({ email: has("email") && (exact.email ?? 0) <= limit ? 1 : 0, tracking: has("tracking") && !exact.tracking ? 1 : 0 }),
    widen: (plan, near) => ({ email: plan.email && !near.email ? 2 : plan.email, tracking: plan.tracking && !near.tracking ? 2 : plan.tracking }),
  };
}

const emailTypos = (q: ParsedQuery, allowContact: boolean, email: string) => allowContact && q.shapes.includes("email") && email.indexOf("@") > 0 && email.length >= 8;
const trackingTypos = (q: ParsedQuery, tracking: string) => q.shapes.includes("tracking") && tracking.length >= 10;

function identifierClauses(q: ParsedQuery, allowContact: boolean, typos: TypoPlan): Clause[] {
  const out: Clause[] = [];
  const shapes = new Set(q.shapes);
  const compact = q.compact.toLowerCase();
  if ((shapes.has("order_number") || shapes.has("phone")) && q.digits.length >= 4) {
    out.push(id("number", COST.exactIdentifier, { term: { "number.digits": q.digits } }));
    out.push(id("number", COST.weakPartialIdentifier, { match: { "number.ending": q.digits } }));
  }
  if (allowContact && shapes.has("phone") && q.phoneDigits.length >= 4) {
    out.push(id("phone", COST.exactIdentifier, { term: { phone: q.phoneDigits } }));
    out.push(id("phone", COST.partialIdentifier, { match: { "phone.ending": q.phoneDigits } }));
  }
  const email = emailKey(q.folded.replaceAll(" ", ""));
  if (allowContact && shapes.has("email") && email.length >= 3) {
    out.push(id("email", COST.exactIdentifier, { term: { email } }));
    out.push(id("email", COST.emailStart, { prefix: { email } }));
    if (email.indexOf("@") > 0) out.push(id("email", COST.emailEnd, { match: { "email.ending": email } }));
    if (typos.email) out.push(...typoClauses("email", "email", email, typos.email));
  }
  if (shapes.has("tracking") && compact.length >= 6) {
    out.push(id("tracking", COST.exactIdentifier, { term: { tracking: compact } }));
    out.push(id("tracking", COST.partialIdentifier, { term: { "tracking.prefix": compact } }));
    out.push(id("tracking", COST.partialIdentifier, { match: { "tracking.ending": compact } }));
    if (typos.tracking) out.push(...typoClauses("tracking", "tracking", compact, typos.tracking));
  }
  if (shapes.has("postcode") && compact.length >= 3) {
    out.push(id("postcode", COST.postcode, { term: { postcode: compact } }));
    out.push(id("postcode", COST.weakPartialIdentifier, { term: { "postcode.prefix": compact } }));
  }
  if (shapes.has("sku") && compact.length >= 3) {
    out.push(id("sku", COST.exactIdentifier, { term: { skus: compact } }));
    out.push(id("sku", COST.weakPartialIdentifier, skuPart(compact)));
  }
  return out;
}

/** Part of a SKU: one indexed n-gram, or for a longer part its first and last n-grams and a prefix. */
function skuPart(part: string): Clause {
  if (part.length <= MAX_GRAM) return { term: { "skus.part": part } };
  const [first, last] = [part.slice(0, MAX_GRAM), part.slice(-MAX_GRAM)];
  return { bool: { should: [{ prefix: { skus: part } }, { bool: { filter: [{ term: { "skus.part": first } }, { term: { "skus.part": last } }] } }] } };
}

type WordField = { field: SearchField; path: string };
/** Reported as "name": the shared highlighter then marks whichever of name and city holds the word. */
const NAME_FIELDS: WordField[] = [{ field: "name", path: "words" }];
const PRODUCT_FIELDS: WordField[] = [{ field: "product", path: "lines.tokens" }];

/**
 * Every word matches one of the fields: exactly, as a completion (the unfinished last word, or an
 * initial), or within its edit budget. Names with cities, and product names, are separate matches.
 */
function wordsClause(words: string[], prefixLast: boolean, fields: WordField[], o: { minTypoLength: number; joined?: boolean }): Clause {
  const share = (BASE - COST.words) / words.length;
  const last = words.length - 1;
  const perWord = words.map((w, i) => {
    const prefix = (prefixLast && i === last) || w.length === 1;
    const edits = w.length >= o.minTypoLength ? maxEdits(w.length) : 0;
    const queries: Clause[] = [];
    for (const { field, path } of fields) {
      queries.push(clause(field, WORD_COST.exact, share - WORD_COST.exact, { term: { [path]: w } }));
      if (prefix) queries.push(clause(field, WORD_COST.prefix, share - WORD_COST.prefix, { term: { [`${path}.prefix`]: w } }));
      for (let d = 1; d <= edits; d++) queries.push(clause(field, d * WORD_COST.perEdit, share - d * WORD_COST.perEdit, fuzzy(path, w, d)));
      // Two words run together ("denhaag"): both words of a split, as the embedded backend (which keeps only splits in its vocabulary).
      for (const [a, b] of o.joined ? joinedWordSplits(w) : []) {
        queries.push(clause(field, WORD_COST.joined, share - WORD_COST.joined, { bool: { filter: [{ term: { [path]: a } }, { term: { [path]: b } }] } }));
      }
    }
    return { dis_max: { queries } };
  });
  return perWord.length === 1 ? perWord[0]! : { bool: { must: perWord } };
}

function textClauses(q: ParsedQuery): Clause[] {
  if (!q.shapes.includes("text") || q.tokens.length === 0) return [];
  const out: Clause[] = [];
  if (!looksLikeEmail(q.raw)) out.push(wordsClause(q.tokens.slice(0, MAX_NAME_WORDS), q.prefixLast, NAME_FIELDS, { minTypoLength: 1, joined: true }));
  // Product words need three letters (or be a number: "350 ml"), and four to carry a typo.
  const productWords = q.tokens.filter((t) => t.length >= 3 || /^\d+$/.test(t));
  if (productWords.length === q.tokens.length && productWords.length <= MAX_PRODUCT_WORDS) {
    const words = wordsClause(productWords, q.prefixLast, PRODUCT_FIELDS, { minTypoLength: 4 });
    // Named on the outside: matched_queries does not report names inside a nested query.
    out.push({ nested: { path: "lines", score_mode: "max", query: words, _name: `product#${COST.words}` } });
  }
  const mixed = mixedWords(q);
  if (mixed) out.push(mixedClause(mixed));
  return out;
}

/** One word of a mixed query against one field: exact, completion, each edit (lib/search/mixed.ts mixedWordCost). */
function mixedWordClauses(w: MixedWord, field: "name" | "product", share: number | null): Clause[] {
  const path = field === "name" ? "words" : "lines.tokens";
  // Without a share the clauses only filter (a negative boost is refused).
  const scored = (cost: number, query: Clause) => (share === null ? query : clause(field, cost, share - cost, query));
  const out = [scored(WORD_COST.exact, { term: { [path]: w.token } })];
  if (w.prefix) out.push(scored(WORD_COST.prefix, { term: { [`${path}.prefix`]: w.token } }));
  for (let d = 1; d <= mixedEdits(w, field); d++) out.push(scored(d * WORD_COST.perEdit, fuzzy(path, w.token, d)));
  return out;
}

/**
 * Name + product (lib/search/mixed.ts): every word matches a name or city word, or a word of any of the
 * order's products, scoring its cheapest; at least one word a name and one a product.
 */
function mixedClause(words: MixedWord[]): Clause {
  const share = (BASE - COST.words) / words.length;
  const productOf = (queries: Clause[], named?: string) => ({ nested: { path: "lines", score_mode: "max", query: { dis_max: { queries } }, ...(named ? { _name: named } : {}) } });
  const perWord = words.map((w) => ({
    dis_max: { queries: [...mixedWordClauses(w, "name", share), ...(w.product ? [productOf(mixedWordClauses(w, "product", share), `product#${COST.words}`)] : [])] },
  }));
  const anyName = { bool: { should: words.flatMap((w) => mixedWordClauses(w, "name", null)), minimum_should_match: 1 } };
  const anyProduct = productOf(words.filter((w) => w.product).flatMap((w) => mixedWordClauses(w, "product", null)));
  return { bool: { must: perWord, filter: [anyName, anyProduct] } };
}

export type SortKey = [number, number];

/** The search request body, or null when the query can match nothing. */
export function searchBody(
  q: ParsedQuery,
  o: { filters: SearchFilters; limit: number; after: SortKey | null; allowContact: boolean; typos: TypoPlan },
): Clause | null {
  const clauses = [...identifierClauses(q, o.allowContact, o.typos), ...textClauses(q)];
  if (clauses.length === 0) return null;
  const filter = o.filters.status?.length ? [{ terms: { status: o.filters.status } }] : [];
  return {
    size: o.limit + 1,
    _source: false,
    track_total_hits: false,
    // dis_max: an order ranks by its best match, as the embedded backend keeps the lowest cost.
    query: { bool: { must: [{ dis_max: { queries: clauses, tie_breaker: 0 } }], filter } },
    sort: [{ _score: "desc" }, { orderId: "desc" }],
    ...(o.after ? { search_after: o.after } : {}),
  };
}

/** Matched fields, cheapest match first, without duplicates. */
export function matchedFields(names: readonly string[] | undefined): SearchField[] {
  const parsed = (names ?? []).map((n) => {
    const [field, cost] = n.split("#");
    return { field: field as SearchField, cost: Number(cost) };
  });
  parsed.sort((a, b) => a.cost - b.cost);
  // A word match is a name-or-city match (one vocabulary), as the embedded backend reports it.
  return [...new Set(parsed.flatMap((p): SearchField[] => (p.field === "name" ? ["name", "city"] : [p.field])))];
}
