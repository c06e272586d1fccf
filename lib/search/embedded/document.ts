import { deletions, maxEdits } from "../fuzzy.ts";
import { compact, digitsOf, indexTokens, phoneDigits, reverse } from "../normalize.ts";

/** An order's identity fields: all the embedded index stores about it (status and dates are read live). */
export type IdentityRow = {
  id: number;
  number: string;
  customerName: string;
  email: string;
  phone: string | null;
  shipName: string;
  city: string;
  postcode: string;
  /** Tracking numbers joined with U+001E, or null. */
  tracking: string | null;
};

/** Tags of identifier tokens in search_fts (see migration 0003_search_index); words never contain "_". */
export const KEY = { number: "n_", email: "r_", phone: "p_", tracking: "t_", postcode: "z_" } as const;

export type IndexDocument = { body: string; terms: string[] };

/** Lower-case, and only the characters the index tokenizer keeps inside one token. */
export function keyText(text: string): string {
  return text.trim().toLowerCase().replace(/[^a-z0-9._@+-]/g, "");
}

/**
 * What one order contributes to the index: its name and city words, then its identifier keys.
 * `words` memoises the words of names and cities, which repeat across orders (bulk rebuilds).
 */
export function indexDocument(row: IdentityRow, words?: Map<string, string[]>): IndexDocument {
  const keys = new Set<string>();
  const number = digitsOf(row.number);
  if (number) keys.add(KEY.number + reverse(number));
  const email = keyText(row.email);
  if (email) keys.add(KEY.email + reverse(email));
  const phone = row.phone ? phoneDigits(row.phone) : "";
  if (phone.length >= 4) keys.add(KEY.phone + reverse(phone));
  for (const t of row.tracking?.split("\u001e") ?? []) {
    const c = compact(t).toLowerCase();
    if (c) keys.add(KEY.tracking + reverse(c));
  }
  const postcode = compact(row.postcode).toLowerCase();
  if (postcode) keys.add(KEY.postcode + postcode);
  const wordsOf = (text: string) => {
    if (!words) return indexTokens(text);
    let w = words.get(text);
    if (!w) words.set(text, (w = indexTokens(text)));
    return w;
  };
  const terms = new Set([...wordsOf(row.customerName), ...wordsOf(row.shipName), ...wordsOf(row.city)]);
  return { body: [...terms, ...keys].join(" "), terms: [...terms] };
}

/** The deletion variants a vocabulary term is filed under, as deep as its length allows typos. */
export function termVariants(term: string): string[] {
  return [...deletions(term, maxEdits(term.length))];
}
