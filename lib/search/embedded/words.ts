import type { DB } from "../../../db/client.ts";
import { prepared } from "../../../db/raw.ts";
import { deletions, editDistance, maxEdits } from "../fuzzy.ts";
import { joinedWordSplits, prefixEnd } from "../normalize.ts";
import type { ParsedQuery } from "../query.ts";
import { COST, WORD_COST, ftsOrders, ftsTerm, isAfter, type After, type Candidate } from "./candidates.ts";

/** More completions than this and the word is matched with an FTS prefix query instead of a list. */
const MAX_COMPLETIONS = 48;
/** Cost vectors tried per query at most (a vector fixes how each word matched). */
const MAX_VECTORS = 64;

/**
 * How one query word can match the vocabulary: terms grouped by cost, cheapest first; `joined`: two
 * words it runs together ("denhaag": den + haag), matched together at WORD_COST.joined.
 */
export type WordExpansion = { token: string; byCost: Map<number, string[]>; prefixQuery: string | null; joined?: [string, string][] };

/**
 * The vocabulary terms a query word may stand for: itself, its completions when it may be unfinished
 * (the last word, or an initial), and terms within its edit budget found through the deletion
 * dictionary (SymSpell), each verified with the edit distance.
 */
export function expandWord(db: DB, token: string, prefix: boolean): WordExpansion {
  const best = new Map<string, number>();
  const offer = (term: string, cost: number) => {
    const seen = best.get(term);
    if (seen === undefined || cost < seen) best.set(term, cost);
  };
  if (prepared(db, "SELECT 1 FROM search_terms WHERE term = ?").get(token)) offer(token, WORD_COST.exact);
  let prefixQuery: string | null = null;
  if (prefix || token.length === 1) {
    const rows = prepared(db, "SELECT term FROM search_terms WHERE term > ? AND term < ? LIMIT ?").all(
      token,
      prefixEnd(token),
      MAX_COMPLETIONS + 1,
    ) as { term: string }[];
    if (rows.length > MAX_COMPLETIONS) prefixQuery = `${ftsTerm(token)} *`;
    else for (const r of rows) offer(r.term, WORD_COST.prefix);
  }
  const edits = maxEdits(token.length);
  if (edits > 0) {
    const rows = prepared(db, "SELECT DISTINCT term FROM search_term_variants WHERE variant IN (SELECT value FROM json_each(?))").all(
      JSON.stringify([...deletions(token, edits)]),
    ) as { term: string }[];
    for (const { term } of rows) {
      const d = editDistance(token, term, edits);
      if (d <= edits) offer(term, d * WORD_COST.perEdit);
    }
  }
  const byCost = new Map<number, string[]>();
  for (const [term, cost] of best) byCost.set(cost, [...(byCost.get(cost) ?? []), term]);
  if (prefixQuery) byCost.set(WORD_COST.prefix, byCost.get(WORD_COST.prefix) ?? []);
  const isTerm = (t: string) => prepared(db, "SELECT 1 FROM search_terms WHERE term = ?").get(t) !== undefined;
  // Only splits whose words both exist can match: the Elasticsearch backend asks for every split and finds the same orders.
  const joined = joinedWordSplits(token).filter(([a, b]) => isTerm(a) && isTerm(b));
  if (joined.length) byCost.set(WORD_COST.joined, byCost.get(WORD_COST.joined) ?? []);
  return { token, byCost: new Map([...byCost].sort((a, b) => a[0] - b[0])), prefixQuery, joined };
}

/** Every FTS alternative of a word at one cost: its terms, the prefix query, the joined word pairs. */
export function alternativesAt(e: WordExpansion, cost: number): string[] {
  const out = (e.byCost.get(cost) ?? []).map(ftsTerm);
  if (cost === WORD_COST.prefix && e.prefixQuery) out.push(e.prefixQuery);
  if (cost === WORD_COST.joined) for (const [a, b] of e.joined ?? []) out.push(`(${ftsTerm(a)} AND ${ftsTerm(b)})`);
  return out;
}

/** Every way the words could match, as per-word costs, cheapest total first. */
export function costVectors(expansions: readonly WordExpansion[]): { costs: number[]; total: number }[] {
  let vectors: { costs: number[]; total: number }[] = [{ costs: [], total: 0 }];
  for (const e of expansions) {
    const next: { costs: number[]; total: number }[] = [];
    for (const v of vectors) for (const c of e.byCost.keys()) next.push({ costs: [...v.costs, c], total: v.total + c });
    vectors = next.sort((a, b) => a.total - b.total).slice(0, MAX_VECTORS);
  }
  return vectors;
}

/**
 * The FTS expression for one cost vector: each word matches one of its terms at exactly that cost
 * and none cheaper, so every order falls under exactly one vector (its best) and pages never repeat.
 */
export function vectorExpression(expansions: readonly WordExpansion[], costs: readonly number[]): string {
  return expansions
    .map((e, i) => {
      const cost = costs[i]!;
      const alternatives = alternativesAt(e, cost);
      const cheaper = [...e.byCost.keys()].filter((c) => c < cost).flatMap((c) => alternativesAt(e, c));
      const group = `(${alternatives.join(" OR ")})`;
      return cheaper.length ? `(${group} NOT (${cheaper.join(" OR ")}))` : group;
    })
    .join(" AND ");
}

/**
 * Orders whose customer or ship-to name and city contain every query word (each exactly, as a
 * completion, or within its typo budget), ranked by total word cost, then newest first: the next
 * `limit` after `after`.
 */
export function wordCandidates(
  db: DB,
  query: ParsedQuery,
  opts: { after: After | null; limit: number; statuses: string | null },
): Candidate[] {
  const words = query.tokens.slice(0, 6);
  if (words.length === 0) return [];
  const last = words.length - 1;
  const expansions = words.map((w, i) => expandWord(db, w, query.prefixLast && i === last));
  if (expansions.some((e) => e.byCost.size === 0)) return [];
  const out: Candidate[] = [];
  const vectors = costVectors(expansions);
  for (let i = 0; i < vectors.length; ) {
    const level = vectors[i]!.total;
    const cost = COST.words + level;
    for (; i < vectors.length && vectors[i]!.total === level; i++) {
      if (opts.after && cost < opts.after.cost) continue;
      const below = opts.after && cost === opts.after.cost ? opts.after.id : Number.MAX_SAFE_INTEGER;
      const ids = ftsOrders(db, vectorExpression(expansions, vectors[i]!.costs), { below, limit: opts.limit, statuses: opts.statuses });
      for (const id of ids) out.push({ id, cost, field: "name" });
    }
    if (out.length >= opts.limit) break;
  }
  return out.filter((c) => isAfter(c, opts.after)).sort((a, b) => a.cost - b.cost || b.id - a.id).slice(0, opts.limit);
}
