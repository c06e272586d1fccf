import type { DB } from "../../../db/client.ts";
import { prepared } from "../../../db/raw.ts";
import { editDistance } from "../fuzzy.ts";
import { prefixEnd, reverse } from "../normalize.ts";
import type { ParsedQuery } from "../query.ts";
import type { SearchField } from "../types.ts";
import { COST, addCandidate, ftsOrders, ftsTerm, NO_UPPER_BOUND, type Candidate } from "./candidates.ts";
import { KEY, keyText } from "./document.ts";

/** Identifier matches are few; this many per lookup, newest first, is every one a person would page through. */
const PER_LOOKUP = 500;
/** Rows a typo search reads on one half's range at most. */
const TYPO_SCAN = 5000;

type Found = Map<number, Candidate>;

/**
 * Orders matched by an identifier-shaped query: order number, phone, email, tracking number or
 * postcode, exactly (cost 0), in part (2) or with a typo (3). Contact fields only when allowed.
 */
export function identifierCandidates(db: DB, query: ParsedQuery, allowContact: boolean, limit: number): Found {
  const found: Found = new Map();
  const shapes = new Set(query.shapes);
  if ((shapes.has("order_number") || shapes.has("phone")) && query.digits.length >= 4) numberMatches(db, query.digits, found);
  if (allowContact && shapes.has("phone") && query.phoneDigits.length >= 4) phoneMatches(db, query.phoneDigits, found);
  if (allowContact && shapes.has("email")) emailMatches(db, keyText(query.folded.replaceAll(" ", "")), found, limit);
  if (shapes.has("tracking")) trackingMatches(db, query.compact, found);
  if (shapes.has("postcode")) postcodeMatches(db, query.compact.toLowerCase(), found);
  return found;
}

/**
 * The distinct `candidates` (other than `typed` itself) within one edit of it, or when none is, within two: a stranger two
 * typos away is noise beside an address one typo away, or beside the very one typed when it exists (`typedExists`), as the
 * Elasticsearch backend widens to two edits only when nothing, the exact value included, lies within one.
 */
function closest(candidates: Iterable<string>, typed: string, o: { normal?: (s: string) => string; typedExists?: boolean } = {}): string[] {
  const normal = o.normal ?? ((s: string) => s);
  const byEdits: [string[], string[]] = [[], []];
  for (const c of new Set(candidates)) {
    const d = editDistance(normal(c), typed, 2);
    if (d >= 1 && d <= 2) byEdits[d - 1]!.push(c);
  }
  if (byEdits[0].length || o.typedExists) return byEdits[0];
  return byEdits[1];
}

/**
 * One edit costs 3, two 4; a different first character a quarter more, since people rarely get
 * the first one wrong (so "hfischer2" is nearer "hfischer12" than "lfischer2").
 */
function typoCost(found: string, typed: string): number {
  return COST.typoIdentifier + editDistance(found, typed, 2) - 1 + (found[0] === typed[0] ? 0 : 0.25);
}

function fts(db: DB, expr: string): number[] {
  return ftsOrders(db, expr, { below: NO_UPPER_BOUND, limit: PER_LOOKUP, statuses: null });
}

/** Exact token, then every token it starts (a reversed key: "ends with"). */
function exactThenPrefix(db: DB, token: string, field: SearchField, found: Found, partialCost: number, exactCost: number = COST.exactIdentifier): void {
  for (const id of fts(db, ftsTerm(token))) addCandidate(found, { id, cost: exactCost, field });
  for (const id of fts(db, `${ftsTerm(token)} *`)) addCandidate(found, { id, cost: partialCost, field });
}

function numberMatches(db: DB, digits: string, found: Found): void {
  exactThenPrefix(db, KEY.number + reverse(digits), "number", found, COST.weakPartialIdentifier);
}

function phoneMatches(db: DB, digits: string, found: Found): void {
  exactThenPrefix(db, KEY.phone + reverse(digits), "phone", found, COST.partialIdentifier);
}

function postcodeMatches(db: DB, postcode: string, found: Found): void {
  if (postcode.length < 3) return;
  exactThenPrefix(db, KEY.postcode + postcode, "postcode", found, COST.weakPartialIdentifier, COST.postcode);
}

/** Customers' orders, newest first. */
function ordersOfCustomers(db: DB, customerIds: number[]): { id: number; customerId: number }[] {
  if (customerIds.length === 0) return [];
  return prepared(
    db,
    `SELECT id, customer_id AS customerId FROM orders WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT ${PER_LOOKUP}`,
  ).all(JSON.stringify(customerIds)) as { id: number; customerId: number }[];
}

/**
 * Exact email, emails that start with the query, emails that end with it (reversed keys), and a
 * full email within two edits, found through what a typo leaves intact and verified.
 */
function emailMatches(db: DB, email: string, found: Found, limit: number): void {
  if (email.length < 3) return;
  const customers = prepared(db, `SELECT id, lower(email) AS email FROM customers WHERE email >= ? AND email < ? LIMIT ${PER_LOOKUP}`).all(
    email,
    prefixEnd(email),
  ) as { id: number; email: string }[];
  const costOf = new Map(customers.map((c) => [c.id, c.email === email ? COST.exactIdentifier : COST.emailStart]));
  let exact = 0;
  for (const o of ordersOfCustomers(db, [...costOf.keys()])) {
    const cost = costOf.get(o.customerId)!;
    if (cost === COST.exactIdentifier) exact++;
    addCandidate(found, { id: o.id, cost, field: "email" });
  }
  const full = email.includes("@") && email.indexOf("@") > 0;
  if (full) for (const id of fts(db, `${ftsTerm(KEY.email + reverse(email))} *`)) addCandidate(found, { id, cost: COST.emailEnd, field: "email" });
  // Near misses fill the page when the email as typed has fewer orders than it holds: a typo can land on someone else's address.
  if (!full || email.length < 8 || exact > limit) return;

  // One typo leaves the first half of the local part intact or the second (the domain is shared by
  // too many to narrow anything down), or the whole local part when it is in the domain. Each is a
  // range on an index; all three are read, so every address equally close ranks, not only those one
  // of them finds. (Emails are stored lower-case, as the forward ranges above already assume.)
  const at = email.indexOf("@");
  const half = Math.floor(at / 2);
  const domain = email.slice(at);
  // Second half intact: the distinct emails ending with it, a range on the index's own reversed keys.
  const back = KEY.email + reverse(email.slice(half + 1));
  const endingLikeIt = (prepared(db, `SELECT term FROM search_fts_vocab WHERE term >= ? AND term < ? LIMIT ${TYPO_SCAN}`).pluck().all(back, prefixEnd(back)) as string[]).map(
    (term) => reverse(term.slice(KEY.email.length)),
  );
  // First half intact: emails starting with it, at the same domain and about the length typed.
  const front = email.slice(0, Math.max(half - 1, 1));
  const startingLikeIt = prepared(
    db,
    `SELECT email FROM customers WHERE email >= ? AND email < ? AND length(email) BETWEEN ? AND ? AND substr(email, -?) = ? LIMIT ${TYPO_SCAN}`,
  ).pluck().all(front, prefixEnd(front), email.length - 1, email.length + 1, domain.length, domain) as string[];
  // The local part and its "@" intact: a typo in the domain.
  const local = email.slice(0, at + 1);
  const sameLocal = prepared(db, "SELECT email FROM customers WHERE email >= ? AND email < ? LIMIT 200").pluck().all(local, prefixEnd(local)) as string[];

  let candidates = [...endingLikeIt, ...startingLikeIt, ...sameLocal];
  let near = closest(candidates, email, { typedExists: exact > 0 });
  if (exact === 0 && !near.some((c) => editDistance(c, email, 1) <= 1)) {
    // Nothing one typo away: two typos, one in the local part's second half and one in the domain, leave only its first half intact.
    const firstHalf = email.slice(0, Math.max(half, 1));
    const anyDomain = prepared(db, `SELECT email FROM customers WHERE email >= ? AND email < ? AND length(email) BETWEEN ? AND ? LIMIT ${TYPO_SCAN}`)
      .pluck()
      .all(firstHalf, prefixEnd(firstHalf), email.length - 2, email.length + 2) as string[];
    candidates = [...candidates, ...anyDomain];
    near = closest(candidates, email);
  }
  if (near.length === 0) return;
  const customersNear = prepared(db, "SELECT id, email FROM customers WHERE email IN (SELECT value FROM json_each(?))").all(JSON.stringify(near)) as { id: number; email: string }[];
  const typoCostOf = new Map(customersNear.map((c) => [c.id, typoCost(c.email, email)]));
  for (const o of ordersOfCustomers(db, [...typoCostOf.keys()])) addCandidate(found, { id: o.id, cost: typoCostOf.get(o.customerId)!, field: "email" });
}

/** Exact and leading part on the shipments index, trailing part on reversed keys, one or two typos by halves. */
function trackingMatches(db: DB, tracking: string, found: Found): void {
  if (tracking.length < 6) return;
  const forward = prepared(
    db,
    `SELECT order_id AS id, upper(replace(tracking_number, '-', '')) AS tracking FROM shipments
     WHERE tracking_number >= ? AND tracking_number < ? LIMIT ${PER_LOOKUP}`,
  ).all(tracking, prefixEnd(tracking)) as { id: number; tracking: string }[];
  let exact = false;
  for (const r of forward) {
    exact ||= r.tracking === tracking;
    addCandidate(found, { id: r.id, cost: r.tracking === tracking ? COST.exactIdentifier : COST.partialIdentifier, field: "tracking" });
  }
  const reversed = KEY.tracking + reverse(tracking.toLowerCase());
  for (const id of fts(db, `${ftsTerm(reversed)} *`)) addCandidate(found, { id, cost: COST.partialIdentifier, field: "tracking" });
  if (exact || tracking.length < 10) return;

  // By halves: the second on the reversed keys, the first as a range; both, so every equally close number ranks.
  const half = Math.floor(tracking.length / 2);
  const byBack = fts(db, `${ftsTerm(KEY.tracking + reverse(tracking.slice(half + 1).toLowerCase()))} *`);
  const endingLikeIt = byBack.length
    ? (prepared(db, "SELECT tracking_number FROM shipments WHERE order_id IN (SELECT value FROM json_each(?)) AND tracking_number IS NOT NULL")
        .pluck()
        .all(JSON.stringify(byBack)) as string[])
    : [];
  const front = tracking.slice(0, half - 1);
  const startingLikeIt = prepared(
    db,
    `SELECT tracking_number FROM shipments WHERE tracking_number >= ? AND tracking_number < ? AND length(tracking_number) BETWEEN ? AND ? LIMIT ${TYPO_SCAN}`,
  ).pluck().all(front, prefixEnd(front), tracking.length - 1, tracking.length + 1) as string[];
  // As stored (upper-case, lib/orders/shipments.ts), compared without dashes.
  const compact = (t: string) => (t.includes("-") ? t.replaceAll("-", "") : t);
  const near = closest([...endingLikeIt, ...startingLikeIt], tracking, { normal: compact });
  if (near.length === 0) return;
  const rows = prepared(db, "SELECT order_id AS id, tracking_number AS t FROM shipments WHERE tracking_number IN (SELECT value FROM json_each(?))").all(
    JSON.stringify(near),
  ) as { id: number; t: string }[];
  for (const r of rows) addCandidate(found, { id: r.id, cost: typoCost(compact(r.t), tracking), field: "tracking" });
}
