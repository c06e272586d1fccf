import type { DB, Tx } from "../../../db/client.ts";
import { prepared } from "../../../db/raw.ts";
import { indexDocument, termVariants, type IdentityRow } from "./document.ts";

const IDENTITY_SELECT = `
  SELECT o.id, o.number, c.name AS customerName, c.email, c.phone, a.name AS shipName, a.city, a.postcode,
         (SELECT group_concat(s.tracking_number, char(30)) FROM shipments s WHERE s.order_id = o.id AND s.tracking_number IS NOT NULL) AS tracking
  FROM orders o
  JOIN customers c ON c.id = o.customer_id
  JOIN addresses a ON a.id = o.ship_address_id`;

/**
 * (Re)indexes one order in the embedded search index, inside the caller's transaction: deletes the
 * order's rows and writes them again from its current identity fields. Idempotent. Call it wherever
 * those fields change: an order created, a tracking number set, a customer's contact or an address
 * edited. Status changes need nothing (status is read live).
 */
export function indexOrder(tx: DB | Tx, orderId: number): void {
  prepared(tx, "DELETE FROM search_fts WHERE rowid = ?").run(orderId);
  const row = prepared(tx, `${IDENTITY_SELECT} WHERE o.id = ?`).get(orderId) as IdentityRow | undefined;
  if (!row) return;
  const doc = indexDocument(row);
  prepared(tx, "INSERT INTO search_fts (rowid, body) VALUES (?, ?)").run(orderId, doc.body);
  const insertTerm = prepared(tx, "INSERT OR IGNORE INTO search_terms (term) VALUES (?)");
  const insertVariant = prepared(tx, "INSERT OR IGNORE INTO search_term_variants (variant, term) VALUES (?, ?)");
  for (const term of doc.terms) {
    // A new word (a first customer called "Eleanor") also files its typo variants.
    if (insertTerm.run(term).changes > 0) for (const v of termVariants(term)) insertVariant.run(v, term);
  }
}

const REBUILD_CHUNK = 20_000;

/**
 * Empties and refills the whole embedded index from the data, in one transaction: after the seed,
 * or to repair. Documents go in in rowid order and the index is merged into one segment at the end.
 */
export function rebuildEmbeddedIndex(db: DB): { orders: number; terms: number; ms: number } {
  const started = performance.now();
  const sqlite = db.$client;
  let orders = 0;
  const terms = new Set<string>();
  sqlite.transaction(() => {
    sqlite.exec(`
      INSERT INTO search_fts (search_fts) VALUES ('delete-all');
      DELETE FROM search_terms;
      DELETE FROM search_term_variants;`);
    const page = sqlite.prepare(`${IDENTITY_SELECT} WHERE o.id > ? ORDER BY o.id LIMIT ${REBUILD_CHUNK}`);
    const insert = sqlite.prepare("INSERT INTO search_fts (rowid, body) VALUES (?, ?)");
    const words = new Map<string, string[]>();
    let last = 0;
    for (;;) {
      const rows = page.all(last) as IdentityRow[];
      if (rows.length === 0) break;
      for (const row of rows) {
        const doc = indexDocument(row, words);
        insert.run(row.id, doc.body);
        for (const t of doc.terms) terms.add(t);
      }
      orders += rows.length;
      last = rows[rows.length - 1]!.id;
    }
    sqlite.exec("INSERT INTO search_fts (search_fts) VALUES ('optimize')");
    const insertTerm = sqlite.prepare("INSERT INTO search_terms (term) VALUES (?)");
    const insertVariant = sqlite.prepare("INSERT OR IGNORE INTO search_term_variants (variant, term) VALUES (?, ?)");
    for (const term of [...terms].sort()) {
      insertTerm.run(term);
      for (const v of termVariants(term)) insertVariant.run(v, term);
    }
  })();
  return { orders, terms: terms.size, ms: performance.now() - started };
}
