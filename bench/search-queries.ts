// The labelled query set of `npm run bench -- search`: realistic searches generated deterministically
// from the seeded data, each with the order it was made from and how many orders satisfy its intent.
// Exported for every backend's column (embedded, Elasticsearch), so all are measured on the same set.
import type Database from "better-sqlite3";
import { compact, digitsOf, fold } from "../lib/search/normalize.ts";
import { editDistance } from "../lib/search/fuzzy.ts";
import { rng } from "./lib.ts";

export const QUERY_KINDS = [
  "name_swapped",
  "name_dropped",
  "name_doubled",
  "name_substituted",
  "name_no_accents",
  "surname_initial",
  "city_surname",
  "sku_partial",
  "email_partial",
  "email_typo",
  "phone_ending",
  "order_number",
  "tracking",
  "tracking_typo",
] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export type LabelledQuery = {
  q: string;
  kind: QueryKind;
  /** The order the query was made from. */
  targetOrderId: number;
  /**
   * How many orders satisfy the query's intent exactly (the same customer name; surname and initial;
   * city and surname; a SKU containing the part; an email starting with the part; a phone ending in
   * the digits; the number or tracking number itself; for a mistyped email, every email at least as
   * close to what was typed as the intended one, since no matcher can tell those apart). A perfect
   * ranker puts the target in the top k with probability min(1, k / ambiguity).
   */
  ambiguity: number;
};

/** How many queries of each kind (1,220 in all). */
export const KIND_COUNTS: Record<QueryKind, number> = {
  name_swapped: 120,
  name_dropped: 120,
  name_doubled: 100,
  name_substituted: 100,
  name_no_accents: 80,
  surname_initial: 100,
  city_surname: 100,
  sku_partial: 80,
  email_partial: 100,
  email_typo: 100,
  phone_ending: 100,
  order_number: 40,
  tracking: 40,
  tracking_typo: 40,
};

/** Keys next to each other on a QWERTY keyboard: the substitutions people actually make. */
const NEIGHBOURS: Record<string, string> = {
  a: "qsz", b: "vgn", c: "xdv", d: "sfe", e: "wrd", f: "dgr", g: "fht", h: "gjy", i: "uok", j: "hku", k: "jli", l: "kop", m: "nj",
  n: "bmh", o: "ipl", p: "ol", q: "wa", r: "etf", s: "adw", t: "ryg", u: "yij", v: "cfb", w: "qes", x: "zsc", y: "tuh", z: "xa",
  "0": "9", "1": "2", "2": "13", "3": "24", "4": "35", "5": "46", "6": "57", "7": "68", "8": "79", "9": "80",
};

type World = {
  customers: Map<number, { name: string; email: string; phone: string | null }>;
  orders: { id: number; customer: number; city: string }[];
  byName: Map<string, number>;
  bySurnameInitial: Map<string, number>;
  byCitySurname: Map<string, number>;
  byPhoneEnding: Map<string, number>[];
  emails: { email: string; orders: number }[];
  emailsByLength: Map<number, { email: string; orders: number }[]>;
  emailPrefixOrders: Float64Array;
};

const splitName = (name: string) => {
  const [first = "", ...rest] = name.split(" ");
  return { first, surname: rest.join(" ") };
};
const key = (...parts: string[]) => parts.map((p) => fold(p).replace(/[^a-z0-9]/g, "")).join("|");

function loadWorld(sqlite: Database.Database): World {
  const customers = new Map<number, { name: string; email: string; phone: string | null }>();
  for (const c of sqlite.prepare("SELECT id, name, email, phone FROM customers").all() as { id: number; name: string; email: string; phone: string | null }[]) {
    customers.set(c.id, { name: c.name, email: c.email.toLowerCase(), phone: c.phone });
  }
  const orders = sqlite
    .prepare("SELECT o.id, o.customer_id AS customer, a.city FROM orders o JOIN addresses a ON a.id = o.ship_address_id ORDER BY o.id")
    .all() as World["orders"];
  const ordersOf = new Map<number, number>();
  const byName = new Map<string, number>();
  const bySurnameInitial = new Map<string, number>();
  const byCitySurname = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
  for (const o of orders) {
    const c = customers.get(o.customer)!;
    const { first, surname } = splitName(c.name);
    ordersOf.set(o.customer, (ordersOf.get(o.customer) ?? 0) + 1);
    bump(byName, key(c.name));
    bump(bySurnameInitial, key(surname, fold(first).slice(0, 1)));
    bump(byCitySurname, key(o.city, surname));
  }
  const byPhoneEnding = [0, 1, 2, 3, 4, 5, 6].map(() => new Map<string, number>());
  const emails: { email: string; orders: number }[] = [];
  for (const [id, c] of customers) {
    const n = ordersOf.get(id) ?? 0;
    if (n === 0) continue;
    emails.push({ email: c.email, orders: n });
    const digits = c.phone ? digitsOf(c.phone) : "";
    for (const k of [4, 5, 6]) if (digits.length >= k) bump(byPhoneEnding[k]!, digits.slice(-k), n);
  }
  emails.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  const emailPrefixOrders = new Float64Array(emails.length + 1);
  emails.forEach((e, i) => (emailPrefixOrders[i + 1] = emailPrefixOrders[i]! + e.orders));
  const emailsByLength = new Map<number, { email: string; orders: number }[]>();
  for (const e of emails) {
    const bucket = emailsByLength.get(e.email.length);
    if (bucket) bucket.push(e);
    else emailsByLength.set(e.email.length, [e]);
  }
  return { customers, orders, byName, bySurnameInitial, byCitySurname, byPhoneEnding, emails, emailsByLength, emailPrefixOrders };
}

/** Orders of customers whose email starts with `prefix` (binary search over the sorted emails). */
function emailPrefixAmbiguity(w: World, prefix: string): number {
  const lower = (p: string) => {
    let lo = 0;
    let hi = w.emails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (w.emails[mid]!.email < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return w.emailPrefixOrders[lower(prefix + "\uffff")]! - w.emailPrefixOrders[lower(prefix)]!;
}

/** Orders of every email within `d` edits of `typed` (the intended one among them). */
function equallyCloseEmails(w: World, typed: string, d: number): number {
  let orders = 0;
  for (let len = typed.length - d; len <= typed.length + d; len++) {
    for (const e of w.emailsByLength.get(len) ?? []) if (editDistance(e.email, typed, d) <= d) orders += e.orders;
  }
  return orders;
}

type Mistake = "swapped" | "dropped" | "doubled" | "substituted";

/** One realistic mistake at a random position of `word` (never the first letter, which people rarely get wrong). */
export function misspell(word: string, mistake: Mistake, random: () => number): string {
  const at = 1 + Math.floor(random() * Math.max(1, word.length - 2));
  const c = word[at] ?? "";
  switch (mistake) {
    case "swapped":
      return word[at + 1] && word[at + 1] !== c ? word.slice(0, at) + word[at + 1] + c + word.slice(at + 2) : word.slice(0, at - 1) + c + word[at - 1] + word.slice(at + 1);
    case "dropped":
      return word.slice(0, at) + word.slice(at + 1);
    case "doubled":
      return word.slice(0, at + 1) + c + word.slice(at + 1);
    case "substituted": {
      const near = NEIGHBOURS[c.toLowerCase()] ?? "e";
      const sub = near[Math.floor(random() * near.length)]!;
      return word.slice(0, at) + (c === c.toUpperCase() && c !== c.toLowerCase() ? sub.toUpperCase() : sub) + word.slice(at + 1);
    }
  }
}

/** Misspells one word of at least four letters in `text`; null when it has none. */
function misspellOneWord(text: string, mistake: Mistake, random: () => number): string | null {
  const words = text.split(" ");
  const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => /^[\p{L}]{4,}$/u.test(w));
  if (candidates.length === 0) return null;
  const [word, i] = candidates[Math.floor(random() * candidates.length)]!;
  const wrong = misspell(word, mistake, random);
  if (fold(wrong) === fold(word)) return null;
  words[i] = wrong;
  return words.join(" ");
}

/**
 * `count` labelled queries (in the proportions of KIND_COUNTS) made from random orders of the
 * seeded database, the same for the same data and seed.
 */
export function generateSearchQueries(sqlite: Database.Database, opts: { seed?: number; scale?: number } = {}): LabelledQuery[] {
  const w = loadWorld(sqlite);
  const random = rng(opts.seed ?? 20261101);
  const pickOrder = () => w.orders[Math.floor(random() * w.orders.length)]!;
  const trackingOf = sqlite.prepare("SELECT tracking_number AS t FROM shipments WHERE order_id = ? AND tracking_number IS NOT NULL ORDER BY id LIMIT 1").pluck();
  const ordersWithTracking = sqlite.prepare("SELECT count(DISTINCT order_id) FROM shipments WHERE tracking_number = ?").pluck();
  const skusOf = sqlite.prepare("SELECT sku FROM order_lines WHERE order_id = ? ORDER BY id").pluck();
  const numberOf = sqlite.prepare("SELECT number FROM orders WHERE id = ?").pluck();
  const allSkus = sqlite.prepare("SELECT DISTINCT sku FROM order_lines").pluck().all() as string[];
  const ordersWithSkus = sqlite.prepare("SELECT count(DISTINCT order_id) FROM order_lines WHERE sku IN (SELECT value FROM json_each(?))").pluck();

  const make: Record<QueryKind, (o: World["orders"][number]) => { q: string; ambiguity: number } | null> = {
    name_swapped: (o) => nameWith(o, "swapped"),
    name_dropped: (o) => nameWith(o, "dropped"),
    name_doubled: (o) => nameWith(o, "doubled"),
    name_substituted: (o) => nameWith(o, "substituted"),
    name_no_accents: (o) => {
      const name = w.customers.get(o.customer)!.name;
      const plain = name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/ł/g, "l").replace(/ø/g, "o").replace(/ß/g, "ss");
      return plain === name ? null : { q: plain, ambiguity: w.byName.get(key(name))! };
    },
    surname_initial: (o) => {
      const { first, surname } = splitName(w.customers.get(o.customer)!.name);
      if (!surname) return null;
      return { q: `${surname} ${first[0]}`, ambiguity: w.bySurnameInitial.get(key(surname, fold(first).slice(0, 1)))! };
    },
    city_surname: (o) => {
      const { surname } = splitName(w.customers.get(o.customer)!.name);
      if (!surname) return null;
      return { q: random() < 0.5 ? `${o.city} ${surname}` : `${surname} ${o.city}`, ambiguity: w.byCitySurname.get(key(o.city, surname))! };
    },
    sku_partial: (o) => {
      const skus = skusOf.all(o.id) as string[];
      const sku = skus[Math.floor(random() * skus.length)];
      if (!sku) return null;
      const parts = sku.split("-");
      const options = [parts.slice(0, 2).join("-"), parts.slice(1).join("-"), parts.find((p) => /^\d{4}$/.test(p)) ?? ""].filter((p) => p.length >= 4 && p !== sku);
      const part = options[Math.floor(random() * options.length)];
      if (!part) return null;
      const matching = allSkus.filter((s) => compact(s).includes(compact(part)));
      return { q: random() < 0.3 ? part.toLowerCase() : part, ambiguity: ordersWithSkus.get(JSON.stringify(matching)) as number };
    },
    email_partial: (o) => {
      const email = w.customers.get(o.customer)!.email;
      const local = email.slice(0, email.indexOf("@"));
      if (local.length < 6) return null;
      const cut = Math.max(5, Math.round(local.length * (0.6 + random() * 0.4)));
      const prefix = email.slice(0, cut);
      return { q: prefix, ambiguity: emailPrefixAmbiguity(w, prefix) };
    },
    email_typo: (o) => {
      const email = w.customers.get(o.customer)!.email;
      const at = email.indexOf("@");
      const mistakes: Mistake[] = ["swapped", "dropped", "doubled", "substituted"];
      const wrong = misspell(email.slice(0, at), mistakes[Math.floor(random() * 4)]!, random) + email.slice(at);
      return wrong === email ? null : { q: wrong, ambiguity: equallyCloseEmails(w, wrong, editDistance(email, wrong)) };
    },
    phone_ending: (o) => {
      const phone = w.customers.get(o.customer)!.phone;
      if (!phone) return null;
      const k = 4 + Math.floor(random() * 3);
      const ending = digitsOf(phone).slice(-k);
      return { q: ending, ambiguity: w.byPhoneEnding[k]!.get(ending)! };
    },
    order_number: (o) => {
      const number = numberOf.get(o.id) as string;
      return { q: random() < 0.5 ? number : digitsOf(number), ambiguity: 1 };
    },
    tracking: (o) => {
      const t = trackingOf.get(o.id) as string | undefined;
      return t ? { q: t, ambiguity: ordersWithTracking.get(t) as number } : null;
    },
    tracking_typo: (o) => {
      const t = trackingOf.get(o.id) as string | undefined;
      if (!t) return null;
      const mistakes: Mistake[] = ["swapped", "dropped", "doubled", "substituted"];
      const wrong = misspell(t, mistakes[Math.floor(random() * 4)]!, random);
      return wrong === t ? null : { q: wrong, ambiguity: ordersWithTracking.get(t) as number };
    },
  };

  function nameWith(o: World["orders"][number], mistake: Mistake) {
    const name = w.customers.get(o.customer)!.name;
    const q = misspellOneWord(name, mistake, random);
    return q ? { q, ambiguity: w.byName.get(key(name))! } : null;
  }

  const out: LabelledQuery[] = [];
  const scale = opts.scale ?? 1;
  for (const kind of QUERY_KINDS) {
    const wanted = Math.max(1, Math.round(KIND_COUNTS[kind] * scale));
    for (let made = 0, tries = 0; made < wanted && tries < wanted * 50; tries++) {
      const o = pickOrder();
      const m = make[kind](o);
      if (!m || m.ambiguity < 1) continue;
      out.push({ q: m.q, kind, targetOrderId: o.id, ambiguity: m.ambiguity });
      made++;
    }
  }
  return out;
}
