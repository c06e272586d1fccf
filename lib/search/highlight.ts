import { editDistance, maxEdits, prefixDistance } from "./fuzzy.ts";
import { compact, fold, joinedWordSplits } from "./normalize.ts";
import { mixedSkuCost, mixedWords } from "./mixed.ts";
import type { ParsedQuery } from "./query.ts";
import type { SearchField, SearchHit } from "./types.ts";

/** What of an order a hit can show and highlight; email and phone are null when masked. */
export type HitDocument = {
  number: string;
  customerName: string;
  shipName: string;
  email: string | null;
  phone: string | null;
  city: string;
  postcode: string;
  lines: { sku: string; name: string }[];
  tracking: string[];
};

type Match = SearchHit["matched"][number];
type Range = [number, number];

const WORD = /[\p{L}\p{N}'’]+/gu;

/** Where the query matches each field, as [start, end) ranges into the field's own text. */
export function highlight(query: ParsedQuery, doc: HitDocument): Match[] {
  const out: Match[] = [];
  const add = (field: SearchField, value: string | null, ranges: Range[]) => {
    if (value && ranges.length) out.push({ field, value, ranges });
  };
  const idNeedle = query.compact;
  const identifiers = idNeedle.length >= 2 && query.shapes.some((s) => s !== "text" && s !== "email");

  // A combined query's SKU or order number word ("garcia KIT-PAN-0512-2", lib/search/mixed.ts) marks the whole identifier.
  const idWords = (mixedWords(query) ?? []).filter((w) => w.sku !== null);
  const whole = (value: string, hit: boolean): Range[] => (hit ? [[0, value.length]] : []);
  const numberRanges = identifiers ? compactRanges(doc.number, idNeedle, query.digits) : [];
  add("number", doc.number, numberRanges.length ? numberRanges : whole(doc.number, idWords.some((w) => w.number === doc.number)));
  if (doc.email) add("email", doc.email, emailRanges(doc.email, query));
  if (doc.phone && query.phoneDigits.length >= 4 && query.shapes.includes("phone")) add("phone", doc.phone, phoneRanges(doc.phone, query.phoneDigits));
  for (const t of doc.tracking) add("tracking", t, identifiers ? identifierOrTypo(t, idNeedle) : []);
  const words = query.shapes.includes("text");
  add("name", doc.customerName, words ? wordRanges(doc.customerName, query) : []);
  if (doc.shipName !== doc.customerName) add("name", doc.shipName, words ? wordRanges(doc.shipName, query) : []);
  add("city", doc.city, words ? wordRanges(doc.city, query) : []);
  add("postcode", doc.postcode, identifiers ? compactRanges(doc.postcode, idNeedle, null) : []);
  for (const l of doc.lines) {
    const skuRanges = identifiers ? compactRanges(l.sku, idNeedle, null) : [];
    add("sku", l.sku, skuRanges.length ? skuRanges : whole(l.sku, idWords.some((w) => mixedSkuCost(w, compact(l.sku).toLowerCase()) !== null)));
    add("product", l.name, words ? wordRanges(l.name, query, true) : []);
  }
  return out;
}

/** How a folded word matches a query token, or null: exact, prefix (unfinished last word, initial) or within the token's edits. */
export function tokenMatches(token: string, word: string, prefix: boolean): boolean {
  if (word === token) return true;
  if ((prefix || token.length === 1) && word.startsWith(token)) return true;
  const edits = maxEdits(token.length);
  if (edits === 0) return false;
  if (editDistance(token, word, edits) <= edits) return true;
  return prefix && token.length >= 3 && prefixDistance(token, word, 1) <= 1;
}

function wordRanges(value: string, query: ParsedQuery, strict = false): Range[] {
  const ranges: Range[] = [];
  const last = query.tokens.length - 1;
  const words = [...value.matchAll(WORD)].map((m) => ({ at: m.index, text: m[0], folded: fold(m[0]) }));
  // Names and cities also match two words run together ("denhaag" marks "Den" and "Haag").
  const joined = strict ? [] : query.tokens.flatMap(joinedWordSplits).filter(([a, b]) => words.some((w) => w.folded === a) && words.some((w) => w.folded === b));
  for (const { at, text, folded } of words) {
    const hit =
      query.tokens.some((t, i) => (strict ? t.length >= 3 : true) && tokenMatches(t, folded, query.prefixLast && i === last)) ||
      joined.some(([a, b]) => folded === a || folded === b);
    if (hit) ranges.push([at, at + text.length]);
  }
  return ranges;
}

/** Positions of `needle` inside the letters and digits of `value`, mapped back to `value`. */
function compactRanges(value: string, needle: string, digits: string | null): Range[] {
  const map: number[] = [];
  let flat = "";
  for (let i = 0; i < value.length; i++) {
    const c = fold(value[i]!).replace(/[^a-z0-9]/g, "").toUpperCase();
    for (const ch of c) {
      flat += ch;
      map.push(i);
    }
  }
  let at = flat.indexOf(needle);
  let len = needle.length;
  // "SY-100042" searched as "100042": the digits alone.
  if (at < 0 && digits && digits.length >= 4) {
    at = flat.indexOf(digits);
    len = digits.length;
  }
  if (at < 0 || len === 0) return [];
  return [[map[at]!, map[at + len - 1]! + 1]];
}

function identifierOrTypo(value: string, needle: string): Range[] {
  const exact = compactRanges(value, needle, null);
  if (exact.length) return exact;
  const flat = value.replace(/[^A-Za-z0-9]/g, "").toUpperCase();
  return needle.length >= 8 && editDistance(flat, needle, 2) <= 2 ? [[0, value.length]] : [];
}

function emailRanges(email: string, query: ParsedQuery): Range[] {
  if (!query.shapes.includes("email")) return [];
  const needle = query.folded.replace(/\s/g, "");
  const lower = email.toLowerCase();
  const at = lower.indexOf(needle);
  if (at >= 0 && needle.length >= 3) return [[at, at + needle.length]];
  return needle.includes("@") && editDistance(lower, needle, 2) <= 2 ? [[0, email.length]] : [];
}

/** The trailing digits of a phone number that the query's digits match. */
function phoneRanges(phone: string, digits: string): Range[] {
  const positions: number[] = [];
  for (let i = 0; i < phone.length; i++) if (/\d/.test(phone[i]!)) positions.push(i);
  const all = positions.map((i) => phone[i]).join("");
  const at = all.lastIndexOf(digits);
  if (at < 0) return [];
  return [[positions[at]!, positions[at + digits.length - 1]! + 1]];
}
