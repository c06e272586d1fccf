import type { DB } from "../../../db/client.ts";
import { prepared } from "../../../db/raw.ts";
import type { SearchField, SearchFilters } from "../types.ts";

/**
 * Costs, lower ranks first: exact identifiers, then words (1 + per-word cost), then partial and
 * mistyped identifiers. The start of an email says more than any name does; a few digits are a
 * phone ending far more often than a postcode (a place, shared by many orders, not an identifier),
 * the end of an order number or part of a SKU. Within one cost, newer orders (higher ids) first.
 */
export const COST = {
  exactIdentifier: 0,
  words: 1,
  emailStart: 1.5,
  partialIdentifier: 2,
  postcode: 2.25,
  weakPartialIdentifier: 2.5,
  typoIdentifier: 3,
  /** An email that ends with the one typed: after one-typo neighbours, which are closer. */
  emailEnd: 3.5,
} as const;

/** Per word: exact 0, completion of an unfinished word or initial 1, two words run together ("denhaag") 1, each edit 2. */
export const WORD_COST = { exact: 0, prefix: 1, joined: 1, perEdit: 2 } as const;

/** `fields`: what matched when more than one field did (a name and a product). */
export type Candidate = { id: number; cost: number; field: SearchField; fields?: SearchField[] };

/** Position after which a page starts: (cost, order id), exclusive. */
export type After = { cost: number; id: number };

export function isAfter(c: { cost: number; id: number }, after: After | null): boolean {
  return !after || c.cost > after.cost || (c.cost === after.cost && c.id < after.id);
}

/** Keeps the lowest cost per order. */
export function addCandidate(into: Map<number, Candidate>, c: Candidate): void {
  const seen = into.get(c.id);
  if (!seen || c.cost < seen.cost) into.set(c.id, c);
}

/** The status filter as a JSON array for `status IN (SELECT value FROM json_each(?))`, or null for none. */
export function statusJson(filters: SearchFilters): string | null {
  return filters.status?.length ? JSON.stringify(filters.status) : null;
}

/** Drops orders outside the status filter, in one query. */
export function keepStatuses(db: DB, ids: number[], statuses: string | null): Set<number> {
  if (!statuses || ids.length === 0) return new Set(ids);
  const rows = prepared(
    db,
    "SELECT id FROM orders WHERE id IN (SELECT value FROM json_each(?)) AND status IN (SELECT value FROM json_each(?))",
  ).all(JSON.stringify(ids), statuses) as { id: number }[];
  return new Set(rows.map((r) => r.id));
}

/** An FTS5 string literal. */
export function ftsTerm(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/** Order ids whose index document matches `expr`, newest first, below `below`. */
export function ftsOrders(db: DB, expr: string, opts: { below: number; limit: number; statuses: string | null }): number[] {
  const rows = opts.statuses
    ? prepared(
        db,
        `SELECT f.rowid AS id FROM search_fts f JOIN orders o ON o.id = f.rowid
         WHERE search_fts MATCH ? AND f.rowid < ? AND o.status IN (SELECT value FROM json_each(?))
         ORDER BY f.rowid DESC LIMIT ?`,
      ).all(expr, opts.below, opts.statuses, opts.limit)
    : prepared(db, "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?").all(
        expr,
        opts.below,
        opts.limit,
      );
  return (rows as { id: number }[]).map((r) => r.id);
}

export const NO_UPPER_BOUND = Number.MAX_SAFE_INTEGER;
