import type Database from "better-sqlite3";
import type { DB } from "../../../db/client.ts";
import { connectionOf, prepared } from "../../../db/raw.ts";
import { editDistance, maxEdits } from "../fuzzy.ts";
import { compact, tokens } from "../normalize.ts";
import type { ParsedQuery } from "../query.ts";
import type { SearchField } from "../types.ts";
import { COST, WORD_COST, isAfter, type After, type Candidate } from "./candidates.ts";

/** Partial SKUs matching more than this many SKUs say too little to be worth answering. */
const MAX_SKUS = 150;
/** Up to this many SKUs are read one index range each; more, and recent order lines are scanned. */
const PER_SKU_LOOKUPS = 12;
const CATALOG_TTL_MS = 30_000;

type Product = { sku: string; id: string };
/** Products, and each distinct word of their names with the products that have it. */
export type Catalog = { version: string; loadedAt: number; products: Product[]; words: Map<string, number[]> };

const catalogs = new WeakMap<Database.Database, Catalog>();

/** The distinct SKUs and product names (a few hundred), cached per connection and reloaded when they change. */
export function catalog(db: DB): Catalog {
  const conn = connectionOf(db);
  const now = Date.now();
  const cached = catalogs.get(conn);
  if (cached && now - cached.loadedAt < CATALOG_TTL_MS) return cached;
  const v = prepared(db, "SELECT count(*) AS n, coalesce(max(id), 0) AS m FROM products").get() as { n: number; m: number };
  const version = `${v.n}:${v.m}`;
  if (cached && cached.version === version) {
    cached.loadedAt = now;
    return cached;
  }
  const rows = prepared(db, "SELECT sku, name FROM products ORDER BY sku").all() as { sku: string; name: string }[];
  const words = new Map<string, number[]>();
  rows.forEach((r, i) => {
    for (const w of new Set(tokens(r.name))) words.set(w, [...(words.get(w) ?? []), i]);
  });
  const fresh = { version, loadedAt: now, products: rows.map((r) => ({ sku: r.sku, id: compact(r.sku) })), words };
  catalogs.set(conn, fresh);
  return fresh;
}

/** What a query word costs against one word of a product name, or null when they do not match. */
function wordCost(token: string, word: string, prefix: boolean): number | null {
  if (word === token) return WORD_COST.exact;
  if (prefix && word.startsWith(token)) return WORD_COST.prefix;
  const edits = token.length >= 4 ? maxEdits(token.length) : 0;
  if (edits === 0) return null;
  const d = editDistance(token, word, edits);
  return d <= edits ? d * WORD_COST.perEdit : null;
}

/** Per product, the cheapest way `token` matches a word of its name (each distinct word compared once). */
function productsMatching(cat: Catalog, token: string, prefix: boolean): Map<number, number> {
  const out = new Map<number, number>();
  for (const [word, products] of cat.words) {
    const c = wordCost(token, word, prefix);
    if (c === null) continue;
    for (const p of products) if ((out.get(p) ?? Infinity) > c) out.set(p, c);
  }
  return out;
}

/** SKUs the query names, with their cost: exact SKU, part of a SKU, or a product name containing every word. */
function matchingSkus(db: DB, query: ParsedQuery): Map<string, { cost: number; field: SearchField }> {
  const out = new Map<string, { cost: number; field: SearchField }>();
  const cat = catalog(db);
  if (query.shapes.includes("sku") && query.compact.length >= 3) {
    const partial = cat.products.filter((p) => p.id.includes(query.compact));
    for (const p of partial.length <= MAX_SKUS ? partial : partial.filter((x) => x.id === query.compact)) {
      out.set(p.sku, { cost: p.id === query.compact ? COST.exactIdentifier : COST.weakPartialIdentifier, field: "sku" });
    }
  }
  const words = query.tokens.filter((t) => t.length >= 3 || /^\d+$/.test(t));
  if (query.shapes.includes("text") && words.length > 0 && words.length === query.tokens.length) {
    const last = words.length - 1;
    const perWord = words.map((t, i) => productsMatching(cat, t, query.prefixLast && i === last));
    const named: { sku: string; cost: number }[] = [];
    for (const [p, first] of perWord[0]!) {
      let total = first;
      for (const m of perWord.slice(1)) total += m.get(p) ?? Infinity;
      if (total < Infinity) named.push({ sku: cat.products[p]!.sku, cost: COST.words + total });
    }
    if (named.length <= MAX_SKUS) for (const n of named) if (!out.has(n.sku)) out.set(n.sku, { cost: n.cost, field: "product" });
  }
  return out;
}

/** Orders with any of the SKUs, by SKU cost then newest first: the next `limit` after `after`. */
export function productCandidates(
  db: DB,
  query: ParsedQuery,
  opts: { after: After | null; limit: number; statuses: string | null },
): Candidate[] {
  const skus = matchingSkus(db, query);
  if (skus.size === 0) return [];
  const levels = new Map<number, { skus: string[]; field: SearchField }>();
  for (const [sku, m] of skus) {
    const level = levels.get(m.cost) ?? { skus: [], field: m.field };
    level.skus.push(sku);
    levels.set(m.cost, level);
  }
  const out: Candidate[] = [];
  for (const [cost, level] of [...levels].sort((a, b) => a[0] - b[0])) {
    if (opts.after && cost < opts.after.cost) continue;
    const below = opts.after && cost === opts.after.cost ? opts.after.id : Number.MAX_SAFE_INTEGER;
    const ids = new Set<number>();
    if (level.skus.length <= PER_SKU_LOOKUPS) {
      for (const sku of level.skus) for (const id of ordersWithSku(db, sku, below, opts.limit, opts.statuses)) ids.add(id);
    } else {
      for (const id of ordersWithAnySku(db, level.skus, below, opts.limit, opts.statuses)) ids.add(id);
    }
    for (const id of [...ids].sort((a, b) => b - a).slice(0, opts.limit)) out.push({ id, cost, field: level.field });
    if (out.length >= opts.limit) break;
  }
  return out.filter((c) => isAfter(c, opts.after)).slice(0, opts.limit);
}

/** One SKU: its newest orders, read down order_lines_sku_idx (sku, order_id) in order, so LIMIT stops the walk. */
function ordersWithSku(db: DB, sku: string, below: number, limit: number, statuses: string | null): number[] {
  const rows = statuses
    ? prepared(
        db,
        `SELECT l.order_id AS id FROM order_lines l JOIN orders o ON o.id = l.order_id
         WHERE l.sku = ? AND l.order_id < ? AND o.status IN (SELECT value FROM json_each(?)) ORDER BY l.order_id DESC LIMIT ?`,
      ).all(sku, below, statuses, limit)
    : prepared(db, "SELECT order_id AS id FROM order_lines WHERE sku = ? AND order_id < ? ORDER BY order_id DESC LIMIT ?").all(sku, below, limit);
  return [...new Set((rows as { id: number }[]).map((r) => r.id))];
}

/** Many SKUs: walk recent order lines newest first (lines are written with their order, so ids follow orders). */
function ordersWithAnySku(db: DB, skus: string[], below: number, limit: number, statuses: string | null): number[] {
  const rows = statuses
    ? prepared(
        db,
        `SELECT l.order_id AS id FROM order_lines l JOIN orders o ON o.id = l.order_id
         WHERE +l.sku IN (SELECT value FROM json_each(?)) AND l.order_id < ? AND o.status IN (SELECT value FROM json_each(?))
         ORDER BY l.rowid DESC LIMIT ?`,
      ).all(JSON.stringify(skus), below, statuses, limit * 4)
    : prepared(
        db,
        "SELECT order_id AS id FROM order_lines WHERE +sku IN (SELECT value FROM json_each(?)) AND order_id < ? ORDER BY rowid DESC LIMIT ?",
      ).all(JSON.stringify(skus), below, limit * 4);
  return [...new Set((rows as { id: number }[]).map((r) => r.id))];
}
