// Name + product ("garsia jacket") and name + city ("garcia sevilla"): the rule both backends implement.
import { WORD_COST } from "./embedded/candidates.ts";
import { editDistance, maxEdits } from "./fuzzy.ts";
import type { ParsedQuery } from "./query.ts";

/** Names and cities: the first six words, as everywhere else in search. */
const MAX_WORDS = 6;

/** One word of a mixed query: may it end unfinished, may it match a product word (three letters or a number). */
export type MixedWord = { token: string; prefix: boolean; product: boolean };

/**
 * A query of two words or more where each word may match a different field: every word must match
 * the customer's or ship-to name or the city, or a word of one of the order's products; at least one
 * word a name or city and at least one a product (all-name and one-product matches are the plain word
 * and product searches). The order costs COST.words + the sum of each word's cheapest match, as a
 * name search does. Null when the query is not such a query.
 */
export function mixedWords(q: ParsedQuery): MixedWord[] | null {
  if (!q.shapes.includes("text") || q.tokens.length < 2 || looksLikeEmail(q.raw)) return null;
  const words = q.tokens.slice(0, MAX_WORDS);
  const last = words.length - 1;
  const out = words.map((token, i) => ({
    token,
    prefix: (q.prefixLast && i === last) || token.length === 1,
    product: token.length >= 3 || /^\d+$/.test(token),
  }));
  return out.some((w) => w.product) ? out : null;
}

/** One word joined with "." "_" or "@" ("jose.garc") is an email being typed, not a name. */
export function looksLikeEmail(raw: string): boolean {
  return !raw.includes(" ") && /[a-z0-9][._@]/i.test(raw);
}

/** Edits a word may carry against a name or city word (any length), or a product word (four letters or more). */
export function mixedEdits(w: MixedWord, field: "name" | "product"): number {
  return field === "product" && w.token.length < 4 ? 0 : maxEdits(w.token.length);
}

/** The cost of `w` against one indexed word: exact 0, a completion 1, 2 per edit; null when they do not match. */
export function mixedWordCost(w: MixedWord, word: string, field: "name" | "product"): number | null {
  if (word === w.token) return WORD_COST.exact;
  let best: number | null = null;
  if (w.prefix && word.startsWith(w.token)) best = WORD_COST.prefix;
  const edits = mixedEdits(w, field);
  if (edits > 0) {
    const d = editDistance(w.token, word, edits);
    if (d <= edits && (best === null || d * WORD_COST.perEdit < best)) best = d * WORD_COST.perEdit;
  }
  return best;
}
