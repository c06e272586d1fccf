import type { DB } from "../../../db/client.ts";
import { prepared } from "../../../db/raw.ts";
import { mixedSkuCost, mixedWordCost, mixedWords, type MixedWord } from "../mixed.ts";
import { indexTokens } from "../normalize.ts";
import type { ParsedQuery } from "../query.ts";
import { COST, WORD_COST, isAfter, type After, type Candidate } from "./candidates.ts";
import type { SearchField } from "../types.ts";
import { catalog, type Catalog } from "./products.ts";
import { alternativesAt, expandWord } from "./words.ts";

/** Orders read and costed per query at most (newest first): a name and a product together are few. */
const MAX_CANDIDATES = 5000;

/** Per product of the catalogue, the cheapest way `w` matches a word of its name. */
function productCosts(cat: Catalog, w: MixedWord): Map<number, number> {
  const out = new Map<number, number>();
  if (!w.product) return out;
  for (const [word, products] of cat.words) {
    const c = mixedWordCost(w, word, "product");
    if (c === null) continue;
    for (const p of products) if ((out.get(p) ?? Infinity) > c) out.set(p, c);
  }
  return out;
}

/** Per product of the catalogue, what `w` costs as its SKU (typed whole, or its start). */
function skuCosts(cat: Catalog, w: MixedWord): Map<number, number> {
  const out = new Map<number, number>();
  if (w.sku === null) return out;
  cat.products.forEach((p, i) => {
    const c = mixedSkuCost(w, p.id.toLowerCase());
    if (c !== null) out.set(i, c);
  });
  return out;
}

// Orders holding one of the SKUs, or with one of the numbers; each alone when the other list is empty (one plan each).
// `+f.rowid`: the FTS index is walked once and each match checked against the SKUs' orders (read down the covering
// order_lines_sku_idx). Without the `+` SQLite hands every one of those orders to FTS5 as a rowid to look up,
// a MATCH per order: 5–8 s for "garcia kettle" at a million orders, 250 ms with it.
const BY_SKU = "+f.rowid IN (SELECT order_id FROM order_lines WHERE sku IN (SELECT value FROM json_each(?)))";
const BY_NUMBER = "o.number IN (SELECT value FROM json_each(?))";

type Row = { id: number; number: string; customerName: string; shipName: string; city: string; skus: string | null };

/**
 * Name + product and name + city + product queries (lib/search/mixed.ts): orders holding a name word
 * of the query (the FTS index) and a product one (order_lines), each costed word by word against the
 * order's own name, city and product words; the next `limit` after `after`, cheapest then newest.
 */
export function mixedCandidates(db: DB, query: ParsedQuery, opts: { after: After | null; limit: number; statuses: string | null }): Candidate[] {
  const words = mixedWords(query);
  if (!words) return [];
  const cat = catalog(db);
  const perWordProducts = words.map((w) => productCosts(cat, w));
  const perWordSkus = words.map((w) => skuCosts(cat, w));
  const skus = new Set<string>();
  for (const m of [...perWordProducts, ...perWordSkus]) for (const p of m.keys()) skus.add(cat.products[p]!.sku);
  const numbers = [...new Set(words.flatMap((w) => (w.number ? [w.number] : [])))];
  if (skus.size === 0 && numbers.length === 0) return [];
  const alternatives = words.flatMap((w) => {
    if (!w.name) return [];
    const e = expandWord(db, w.token, w.prefix);
    return [...e.byCost.keys()].flatMap((c) => alternativesAt({ ...e, joined: [] }, c));
  });
  if (alternatives.length === 0) return [];

  const ids = (
    prepared(
      db,
      `SELECT f.rowid AS id FROM search_fts f JOIN orders o ON o.id = f.rowid
       WHERE search_fts MATCH ?
         AND ${numbers.length === 0 ? BY_SKU : skus.size === 0 ? BY_NUMBER : `(${BY_SKU} OR ${BY_NUMBER})`}
         AND (? IS NULL OR o.status IN (SELECT value FROM json_each(?)))
       ORDER BY f.rowid DESC LIMIT ${MAX_CANDIDATES}`,
    ).all(alternatives.join(" OR "), ...(numbers.length === 0 ? [JSON.stringify([...skus])] : skus.size === 0 ? [JSON.stringify(numbers)] : [JSON.stringify([...skus]), JSON.stringify(numbers)]), opts.statuses, opts.statuses ?? "[]") as { id: number }[]
  ).map((r) => r.id);
  if (ids.length === 0) return [];

  const rows = prepared(
    db,
    `SELECT o.id, o.number, c.name AS customerName, a.name AS shipName, a.city,
            (SELECT group_concat(l.sku, char(30)) FROM order_lines l WHERE l.order_id = o.id) AS skus
     FROM orders o JOIN customers c ON c.id = o.customer_id JOIN addresses a ON a.id = o.ship_address_id
     WHERE o.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids)) as Row[];
  const productOf = new Map(cat.products.map((p, i) => [p.sku, i]));

  const out: Candidate[] = [];
  for (const r of rows) {
    const nameWords = [...new Set([...indexTokens(r.customerName), ...indexTokens(r.shipName), ...indexTokens(r.city)])];
    const products = [...new Set((r.skus ?? "").split("\u001e"))].flatMap((s) => (productOf.has(s) ? [productOf.get(s)!] : []));
    let total = 0;
    let byName = false;
    const fields = new Set<SearchField>(["name", "city"]);
    for (const [i, w] of words.entries()) {
      let name = Infinity;
      for (const t of nameWords) name = Math.min(name, mixedWordCost(w, t, "name") ?? Infinity);
      let product = Infinity;
      let sku = Infinity;
      for (const p of products) {
        product = Math.min(product, perWordProducts[i]!.get(p) ?? Infinity);
        sku = Math.min(sku, perWordSkus[i]!.get(p) ?? Infinity);
      }
      const number = w.number === r.number ? WORD_COST.exact : Infinity;
      if (name < Infinity) byName = true;
      if (product < Infinity) fields.add("product");
      if (sku < Infinity) fields.add("sku");
      if (number < Infinity) fields.add("number");
      total += Math.min(name, product, sku, number);
    }
    if (total === Infinity || !byName || fields.size === 2) continue;
    const c = { id: r.id, cost: COST.words + total, field: "name" as const, fields: [...fields] };
    if (isAfter(c, opts.after)) out.push(c);
  }
  return out.sort((a, b) => a.cost - b.cost || b.id - a.id).slice(0, opts.limit);
}
