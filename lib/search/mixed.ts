// Name + product ("garsia jacket"), name + city ("garcia sevilla"), name + SKU or order number
// ("garcia KIT-PAN-0512-2", "garcia 100004"): the rule both backends implement.
import { WORD_COST } from "./embedded/candidates.ts";
import { editDistance, maxEdits } from "./fuzzy.ts";
import { compact, orderNumberOf, tokens } from "./normalize.ts";
import type { ParsedQuery } from "./query.ts";

/** Names and cities: the first six words, as everywhere else in search. */
const MAX_WORDS = 6;

/**
 * One word of a mixed query. `token`: the folded word (an identifier's lower-case letters and digits);
 * `prefix`: it may end unfinished; `name`: it may match a name or city word; `product`: a product word
 * (three letters or a number); `sku`: the SKU it may be, whole or (unfinished) its start, as
 * lib/search/normalize.ts compact gives it in lower case; `number`: the order number it may be ("SY-100004").
 */
export type MixedWord = { token: string; prefix: boolean; name: boolean; product: boolean; sku: string | null; number: string | null };

/**
 * A word typed with a digit and four letters or digits or more ("KIT-PAN-0512-2", "100004", "SY-100004")
 * may be a SKU or an order number; one that is a single token ("100004") may still be a product word.
 */
function queryWord(term: string, prefix: boolean): MixedWord[] {
  const parts = tokens(term);
  const id = compact(term);
  if (/\d/.test(id) && id.length >= 4) {
    const only = parts.length === 1 ? parts[0]! : null;
    return [{ token: id.toLowerCase(), prefix, name: false, product: only !== null, sku: id.toLowerCase(), number: orderNumberOf(term) }];
  }
  return parts.map((token, i) => ({
    token,
    prefix: (prefix && i === parts.length - 1) || token.length === 1,
    name: true,
    product: token.length >= 3 || /^\d+$/.test(token),
    sku: null,
    number: null,
  }));
}

/**
 * A query of two words or more where each word may match a different field: every word must match
 * the customer's or ship-to name or the city, a word of one of the order's products, one of its SKUs
 * or its number; at least one word a name or city and at least one something else (all-name and
 * one-product matches are the plain word and product searches). Filler words ("from", "with") are not
 * words of the query (lib/search/query.ts FILLER_WORDS). The order costs COST.words + the sum of each
 * word's cheapest match, as a name search does; a SKU or order number typed whole costs nothing, the
 * start of a SKU being typed a completion. Null when the query is not such a query.
 */
export function mixedWords(q: ParsedQuery): MixedWord[] | null {
  if (!q.shapes.includes("text") || q.tokens.length < 2 || looksLikeEmail(q.raw)) return null;
  const last = q.terms.length - 1;
  const words = q.terms.flatMap((t, i) => queryWord(t, q.prefixLast && i === last)).slice(0, MAX_WORDS);
  if (words.length < 2 || !words.some((w) => w.name) || !words.some(isOther)) return null;
  return words;
}

/** Whether `w` may match something other than a name or city. */
const isOther = (w: MixedWord) => w.product || w.sku !== null;

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
  if (field === "name" && !w.name) return null;
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

/** The cost of `w` against one of an order's SKUs (lower-case letters and digits): whole 0, its start while typed 1. */
export function mixedSkuCost(w: MixedWord, sku: string): number | null {
  if (w.sku === null) return null;
  if (sku === w.sku) return WORD_COST.exact;
  return w.prefix && sku.startsWith(w.sku) ? WORD_COST.prefix : null;
}
