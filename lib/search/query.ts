import { cleanPastedQuery, compact, digitsOf, fold, phoneDigits, tokens } from "./normalize.ts";

/**
 * What a query could be, by its shape alone. A query may have several ("8812" is a phone ending,
 * an order-number ending, a partial SKU and a postcode prefix); backends try each and rank exact
 * identifier matches first.
 */
type QueryShape = "order_number" | "email" | "phone" | "tracking" | "sku" | "postcode" | "text";

/** A query, parsed once in lib/search/search.ts and handed to whichever backend answers. */
export type ParsedQuery = {
  /** As typed, made searchable (lib/search/normalize.ts cleanPastedQuery: "#100001", "Name <email>", "+31 (0)6…"), whitespace collapsed. */
  raw: string;
  /** fold(raw): lower-case, no diacritics, no apostrophes. */
  folded: string;
  /** Upper-case letters and digits only, for identifiers: "bl-m 0042" -> "BLM0042". */
  compact: string;
  /** Digits only. */
  digits: string;
  /** Phone digits for suffix matching; a whole number loses its leading zeros (international / trunk prefix). */
  phoneDigits: string;
  /**
   * The query's words as typed (split on spaces), without filler words (FILLER_WORDS) and lone
   * apostrophe fragments: what a combined query (lib/search/mixed.ts) matches word by word.
   */
  terms: string[];
  /** Folded word tokens of `terms`, for names, cities and product names. */
  tokens: string[];
  /** The last token may be unfinished (search-as-you-type): it also matches as a prefix. */
  prefixLast: boolean;
  /** Plausible interpretations, most specific first. */
  shapes: QueryShape[];
};

const ORDER_NUMBER = /^(?:sy)?[\s-]?\d{4,}$/i;
const PHONE = /^\+?[\d\s().\-/]{4,}$/;
const EMAIL_LOCAL = /^[a-z0-9][a-z0-9._%+-]*[._][a-z0-9._%+-]*$/i;

export const MAX_QUERY_LENGTH = 200;

/**
 * English connectives an agent types between the parts of a query ("José Garsia from Sevilla",
 * "garcia with the skillet"): ignored when the query holds any other word, so they never stop a match.
 * Only these: surname and place particles ("de", "del", "la", "van", "von", "der", "den", "da", "di",
 * "le", "y") are words of names and always searched. A query of filler words alone searches them.
 */
const FILLER_WORDS: ReadonlySet<string> = new Set(["from", "in", "at", "of", "the", "and", "for", "with", "to", "on", "by"]);

/** Classifies a query by its shape; pure, so backends and tests share one reading of it. */
export function parseQuery(input: string): ParsedQuery {
  const raw = cleanPastedQuery(input).slice(0, MAX_QUERY_LENGTH);
  const folded = fold(raw);
  const id = compact(raw);
  const digits = digitsOf(raw);
  // A one-letter fragment after an apostrophe ("van 't Hof") is not indexed, so it is not searched for.
  const typed = raw.split(" ").filter((w) => !/^['’‘`´]\p{L}$/u.test(w));
  const isFiller = (w: string) => FILLER_WORDS.has(fold(w));
  const terms = typed.every(isFiller) ? typed : typed.filter((w) => !isFiller(w));
  const words = terms.flatMap((w) => tokens(w));
  const shapes: QueryShape[] = [];
  const oneWord = !raw.includes(" ");
  const hasDigit = digits.length > 0;
  const hasLetter = /[a-z]/.test(folded);

  if (raw.includes("@") || (oneWord && EMAIL_LOCAL.test(folded) && !hasDigitOnlyParts(folded))) shapes.push("email");
  if (ORDER_NUMBER.test(raw)) shapes.push("order_number");
  if (PHONE.test(raw) && digits.length >= 4) shapes.push("phone");
  // Carriers' numbers are mostly digits and never hold "_", "." or "@": "jacksmith113" and "carmen_sanchez5" are someone's email.
  const mostlyDigits = digits.length * 2 >= id.length;
  if (id.length >= 8 && mostlyDigits && (oneWord || !hasLetter || /^[A-Z0-9 ]+$/i.test(raw)) && !/[@._]/.test(raw)) shapes.push("tracking");
  if (id.length >= 2 && (hasDigit || raw.includes("-")) && !raw.includes("@") && raw.split(" ").length <= 2) shapes.push("sku");
  if (id.length >= 3 && id.length <= 8 && hasDigit && raw.split(" ").length <= 2 && !raw.includes("@")) shapes.push("postcode");
  // One long word of mostly digits with a letter or two ("1Z999AA10123456784") is an identifier: no name, city or product word looks like it.
  const identifierWord = oneWord && id.length >= 8 && digits.length >= 6 && mostlyDigits;
  if (hasLetter && !raw.includes("@") && !identifierWord && words.some((w) => /[a-z]/.test(w))) shapes.push("text");
  // A single word could also be the start of an email ("josegarcia", "jgarcia").
  if (!shapes.includes("email") && oneWord && hasLetter && !identifierWord && folded.length >= 4 && /^[a-z0-9._-]+$/.test(folded)) shapes.push("email");

  return {
    raw,
    folded,
    compact: id,
    digits,
    // "+49 171…", "0049 171…" and "0171 2345678" are whole numbers; "08171" is the end of one and keeps its zero.
    phoneDigits: raw.startsWith("+") || digits.length >= 9 ? phoneDigits(raw) : digits,
    terms,
    tokens: words,
    // A dropped filler word at the end ends the word before it.
    prefixLast: raw.length > 0 && !/\s$/.test(input) && terms.at(-1) === typed.at(-1),
    shapes,
  };
}

function hasDigitOnlyParts(folded: string): boolean {
  return /^[\d._-]+$/.test(folded);
}
