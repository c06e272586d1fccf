// Text folding shared by indexing and querying, so "José García", "JOSE GARCIA" and "jose garcia" meet.

/** Letters that do not decompose into a base letter plus a combining mark. */
const FOLD: Record<string, string> = {
  ł: "l", Ł: "l", ø: "o", Ø: "o", ß: "ss", æ: "ae", Æ: "ae", œ: "oe", Œ: "oe", đ: "d", Đ: "d", ı: "i", þ: "th", Þ: "th", ð: "d", Ð: "d",
};
const SPECIAL = /[łŁøØßæÆœŒđĐıþÞðÐ]/g;
const MARKS = /[\u0300-\u036f]/g;
const APOSTROPHES = /['’‘`´]/g;

const ASCII = /^[ -~]*$/;

/** Lower-case, diacritics removed, apostrophes dropped: "Zoë O'Brien" -> "zoe obrien". */
export function fold(text: string): string {
  // Most identifiers and many names are plain ASCII: no decomposition needed.
  if (ASCII.test(text)) return text.replace(APOSTROPHES, "").toLowerCase();
  return text.normalize("NFKD").replace(MARKS, "").replace(SPECIAL, (c) => FOLD[c] ?? c).replace(APOSTROPHES, "").toLowerCase();
}

/** Folded word tokens: "Anne-Marie D'Arcy" -> ["anne", "marie", "darcy"]. */
export function tokens(text: string): string[] {
  return fold(text).split(/[^a-z0-9]+/).filter(Boolean);
}

/**
 * The tokens a name or place is indexed under: the folded words, a hyphenated word also whole
 * ("annemarie"), and the part after an apostrophe on its own ("O'Brien" -> "obrien", "brien").
 * One-letter fragments are dropped; a query's one-letter token is treated as an initial (a prefix).
 */
export function indexTokens(text: string): string[] {
  const out = new Set<string>();
  for (const word of text.normalize("NFC").split(/\s+/)) {
    if (!word) continue;
    const folded = tokens(word);
    for (const t of folded) if (t.length > 1) out.add(t);
    if (folded.length > 1) out.add(folded.join(""));
    const afterApostrophe = word.split(APOSTROPHES).at(-1);
    if (afterApostrophe && afterApostrophe !== word) for (const t of tokens(afterApostrophe)) if (t.length > 2) out.add(t);
  }
  return [...out];
}

/** Identifier form: upper-case letters and digits only ("bLu-m 0042" -> "BLUM0042"). */
export function compact(text: string): string {
  return fold(text).replace(/[^a-z0-9]/g, "").toUpperCase();
}

export function digitsOf(text: string): string {
  return text.replace(/\D/g, "");
}

export function reverse(text: string): string {
  let out = "";
  for (let i = text.length - 1; i >= 0; i--) out += text[i];
  return out;
}

/**
 * A phone number's digits without international or trunk prefixes' leading zeros, so "0049 171…",
 * "+49 171…" and a local "0171…" all end the same way; matching is by suffix.
 */
export function phoneDigits(text: string): string {
  return digitsOf(text).replace(/^0+/, "");
}

/** The string one past every string that starts with `prefix`, for B-tree range scans. */
export function prefixEnd(prefix: string): string {
  return prefix + "\uffff";
}
