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

type Product = { sku: string; id: string; words: string[] };
type Catalog = { version: string; loadedAt: number; products: Product[] };

const catalogs = new WeakMap<Database.Database, Catalog>();

/** The distinct SKUs and product names (a few hundred), cached per connection and reloaded when they change. */
function catalog(db: DB): Product[] {
  const conn = connectionOf(db);
  const now = Date.now();
  const cached = catalogs.get(conn);
  if (cached && now - cached.loadedAt < CATALOG_TTL_MS) return cached.products;
  const v = prepared(db, "SELECT count(*) AS n, coalesce(max(id), 0) AS m FROM products").get() as { n: number; m: number };
  const version = `${v.n}:${v.m}`;
  if (cached && cached.version === version) {
    cached.loadedAt = now;
    return cached.products;
  }
  const rows = prepared(db, "SELECT sku, name FROM products ORDER BY sku").all() as { sku: string; name: string }[];
  const products = rows.map((r) => ({ sku: r.sku, id: compact(r.sku), words: tokens(r.name) }));
  catalogs.set(conn, { version, loadedAt: now, products });
  return products;
}

/** What a word costs against a product name's words, or null when it matches none of them. */
function wordCost(token: string, words: readonly string[], prefix: boolean): number | null {
  let best: number | null = null;
  const edits = token.length >= 4 ? maxEdits(token.length) : 0;
  for (const w of words) {
    let c: number | null = null;
    if (w === token) c = WORD_COST.exact;
    else if (prefix && w.startsWith(token)) c = WORD_COST.prefix;
    else if (edits > 0) {
      const d = editDistance(token, w, edits);
      if (d <= edits) c = d * WORD_COST.perEdit;
    }
    if (c !== null && (best === null || c < best)) best = c;
  }
  return best;
}

/** SKUs the query names, with their cost: exact SKU, part of a SKU, or a product name containing every word. */
export function matchingSkus(db: DB, query: ParsedQuery): Map<string, { cost: number; field: SearchField }> {
  const out = new Map<string, { cost: number; field: SearchField }>();
  const products = catalog(db);
  if (query.shapes.includes("sku") && query.compact.length >= 3) {
    const partial = products.filter((p) => p.id.includes(query.compact));
    for (const p of partial.length <= MAX_SKUS ? partial : partial.filter((x) => x.id === query.compact)) {
      out.set(p.sku, { cost: p.id === query.compact ? COST.exactIdentifier : COST.partialIdentifier, field: "sku" });
    }
  }
  const words = query.tokens.filter((t) => t.length >= 3 || /^\d+$/.test(t));
  if (query.shapes.includes("text") && words.length > 0 && words.length === query.tokens.length) {
    const last = words.length - 1;
    const named: { sku: string; cost: number }[] = [];
    for (const p of products) {
      let total = 0;
      for (const [i, t] of words.entries()) {
        const c = wordCost(t, p.words, query.prefixLast && i === last);
        if (c === null) {
          total = -1;
          break;
        }
        total += c;
      }
      if (total >= 0) named.push({ sku: p.sku, cost: COST.words + total });
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

function ordersWithSku(db: DB, sku: string, below: number, limit: number, statuses: string | null): number[] {
  const rows = statuses
    ? prepared(
        db,
        `SELECT l.order_id AS id FROM order_lines l JOIN orders o ON o.id = l.order_id
         WHERE l.sku = ? AND l.order_id < ? AND o.status IN (SELECT value FROM json_each(?)) ORDER BY l.rowid DESC LIMIT ?`,
      ).all(sku, below, statuses, limit)
    : prepared(db, "SELECT order_id AS id FROM order_lines WHERE sku = ? AND order_id < ? ORDER BY rowid DESC LIMIT ?").all(sku, below, limit);
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
