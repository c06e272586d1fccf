import type { DB } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";
import type { OrderStatus } from "../../db/schema/index.ts";
import type { BackendHit } from "./backend.ts";
import { highlight } from "./highlight.ts";
import type { ParsedQuery } from "./query.ts";
import type { SearchFilters, SearchHit } from "./types.ts";

const SEP_FIELD = "\u001f";
const SEP_ROW = "\u001e";

// Masked viewers' rows never carry email or phone out of SQLite.
const hydrateSql = (contact: boolean) => `
  SELECT o.id, o.number, o.status, o.placed_at AS placedAt, o.customer_id AS customerId, o.total, o.currency, c.name AS customerName, a.name AS shipName,
         ${contact ? "c.email, c.phone" : "NULL AS email, NULL AS phone"}, a.city, a.country, a.postcode,
         (SELECT group_concat(l.sku || char(31) || l.name || char(31) || (l.qty_ordered - l.qty_cancelled), char(30)) FROM order_lines l WHERE l.order_id = o.id) AS lines,
         (SELECT group_concat(s.tracking_number, char(30)) FROM shipments s WHERE s.order_id = o.id AND s.tracking_number IS NOT NULL) AS tracking
  FROM orders o
  JOIN customers c ON c.id = o.customer_id
  JOIN addresses a ON a.id = o.ship_address_id
  WHERE o.id IN (SELECT value FROM json_each(?))`;

type Row = {
  id: number;
  number: string;
  status: OrderStatus;
  placedAt: number;
  customerId: number;
  total: number;
  currency: string;
  customerName: string;
  shipName: string;
  email: string | null;
  phone: string | null;
  city: string;
  country: string;
  postcode: string;
  lines: string | null;
  tracking: string | null;
};

/**
 * Turns backend hits into SearchHits in one query: number, status and placement read live from
 * orders, contact fields only for viewers allowed them, highlights computed here so every backend
 * highlights alike. Hits whose order no longer matches the status filter (a stale external index)
 * are dropped.
 */
export function hydrateHits(
  db: DB,
  query: ParsedQuery,
  hits: readonly BackendHit[],
  opts: { allowContact: boolean; allowPayment: boolean; filters: SearchFilters },
): SearchHit[] {
  if (hits.length === 0) return [];
  const rows = prepared(db, hydrateSql(opts.allowContact)).all(JSON.stringify(hits.map((h) => h.orderId))) as Row[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const statuses = opts.filters.status?.length ? new Set(opts.filters.status) : null;
  const out: SearchHit[] = [];
  for (const hit of hits) {
    const r = byId.get(hit.orderId);
    if (!r || (statuses && !statuses.has(r.status))) continue;
    const lines = r.lines
      ? r.lines.split(SEP_ROW).map((x) => {
          const [sku = "", name = "", qty = "0"] = x.split(SEP_FIELD);
          return { sku, name, qty: Number(qty) };
        })
      : [];
    const tracking = r.tracking ? r.tracking.split(SEP_ROW) : [];
    const email = opts.allowContact ? r.email : null;
    const phone = opts.allowContact ? r.phone : null;
    const matched = highlight(query, {
      number: r.number,
      customerName: r.customerName,
      shipName: r.shipName,
      email,
      phone,
      city: r.city,
      postcode: r.postcode,
      lines,
      tracking,
    });
    out.push({
      orderId: r.id,
      number: r.number,
      status: r.status,
      customerId: r.customerId,
      customerName: r.customerName,
      email,
      phone,
      city: r.city,
      country: r.country,
      placedAt: r.placedAt,
      total: opts.allowPayment ? r.total : null,
      currency: r.currency,
      items: itemsSummary(lines),
      matched: sortMatches(matched, hit.matched),
      score: hit.score,
    });
  }
  return out;
}

const SHOWN_LINES = 2;

/** "2 × Merino Crew Sweater — Blue, M, 1 × Mug + 1 more": open units per line, the first lines by name. */
function itemsSummary(lines: { name: string; qty: number }[]): string {
  const open = lines.filter((l) => l.qty > 0);
  const shown = (open.length ? open : lines).slice(0, SHOWN_LINES).map((l) => `${l.qty} × ${l.name}`);
  const more = (open.length ? open : lines).length - shown.length;
  return shown.join(", ") + (more > 0 ? ` + ${more} more` : "");
}

/**
 * The backend's matched fields first, in its order; then anything else that highlights, except
 * product names the backend did not match on (a fuzzy "smiht" would otherwise mark "Shirt").
 */
function sortMatches(matched: SearchHit["matched"], order: readonly string[]): SearchHit["matched"] {
  const rank = (f: string) => {
    const i = order.indexOf(f);
    return i < 0 ? order.length : i;
  };
  const kept = order.length && !order.includes("product") ? matched.filter((m) => m.field !== "product") : matched;
  return [...kept].sort((a, b) => rank(a.field) - rank(b.field));
}
