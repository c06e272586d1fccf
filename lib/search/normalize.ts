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

/** Dashes of every kind (hyphens, en and em dash, minus sign, small and full-width forms), read as "-". */
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
/** Words agents type or paste before an order number: "order SY-100001", "Order no. 100001", "order #100001". */
const ORDER_WORD = /^(?:order|ord|bestelling)(?:\s*(?:number|nummer|nr|no|num)\b\.?)?\s*[:#]?\s*(?=(?:sy)?[\s_.-]*\d{4,}$)/i;
const ORDER_NUMBER = /^(?:sy)?[\s_.-]*(\d{4,})$/i;

/**
 * What agents paste, made searchable; the one reading of a query both backends share (parseQuery calls
 * it first). Dashes of any kind become "-"; a leading "#", bracket or quote and trailing punctuation go;
 * "order"/"order no." before an order number goes, and "SY_100001" / "sy 100001" read "SY-100001";
 * "mailto:x@y?subject=…" and "Name <x@y>" are the address; a "(0)" trunk prefix after a country code
 * goes ("+31 (0)6 …" is "+31 6 …").
 */
export function cleanPastedQuery(input: string): string {
  let q = input.normalize("NFC").replace(DASHES, "-").replace(/\s+/g, " ").trim();
  const angled = /<\s*(?:mailto:)?([^<>\s]+@[^<>\s]+?)\s*>/i.exec(q);
  if (angled) q = angled[1]!;
  q = q.replace(/^mailto:\s*/i, "").replace(/^([^\s?]+@[^\s?]+)\?.*$/, "$1");
  q = trimPunctuation(q);
  q = q.replace(ORDER_WORD, "");
  const number = ORDER_NUMBER.exec(q);
  if (number && /^sy/i.test(q)) q = `SY-${number[1]}`;
  if (/^(?:\+|00)\d/.test(q)) q = q.replace(/\s*\(0\)\s*/, " ").replace(/\s+/g, " ");
  return q;
}

/** The order number a pasted text names ("#100001", "sy_100001", "order SY–100001."), or null: "SY-100001". */
export function orderNumberOf(text: string): string | null {
  const m = ORDER_NUMBER.exec(cleanPastedQuery(text));
  return m ? `SY-${m[1]}` : null;
}

/**
 * The two words a run-together word may stand for ("denhaag": "den" + "haag", "sanmartin": "san" +
 * "martin"), each of at least three letters. Both backends also match a name or city word this way,
 * at the cost of a completed word; only splits into two words are tried.
 */
export function joinedWordSplits(token: string): [string, string][] {
  if (token.length < 6 || !/^[a-z]+$/.test(token)) return [];
  const out: [string, string][] = [];
  for (let i = 3; i <= token.length - 3; i++) out.push([token.slice(0, i), token.slice(i)]);
  return out;
}

const CLOSER: Record<string, string> = { "(": ")", "[": "]", "{": "}", "<": ">", '"': '"', "“": "”", "«": "»" };
const OPENER: Record<string, string> = Object.fromEntries(Object.entries(CLOSER).map(([o, c]) => [c, o]));

/**
 * Drops a leading "#", brackets and quotes around the whole query or left unpaired ("(0)6…" keeps its
 * pair), and trailing sentence punctuation. A trailing "." only where it cannot be part of what is
 * being typed: after a whole email, a number, or in a sentence ("jose." may be the start of an email).
 */
function trimPunctuation(text: string): string {
  let q = text;
  for (let changed = true; changed && q; ) {
    changed = true;
    const first = q[0]!;
    const last = q.at(-1)!;
    const close = CLOSER[first];
    if (first === "#") q = q.slice(1);
    else if (close && q.length > 1 && last === close) q = q.slice(1, -1);
    else if (close && !q.includes(close, 1)) q = q.slice(1);
    else if (",;:!?".includes(last)) q = q.slice(0, -1);
    else if (last === "." && (q.includes(" ") || /@.+\..+\.$/.test(q) || /\d\.$/.test(q))) q = q.slice(0, -1);
    else if (OPENER[last] && !q.slice(0, -1).includes(OPENER[last])) q = q.slice(0, -1);
    else changed = false;
    q = q.trim();
  }
  return q;
}
