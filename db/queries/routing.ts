import "server-only";
import { and, asc, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { database } from "../index.ts";
import { locations, orders, routingDecisions, type CUSTOMER_CHOICES } from "../schema/index.ts";
import { prepared } from "../raw.ts";

export const DECISION_FILTERS = ["split", "dropship", "backordered", "held"] as const;
export type DecisionFilter = (typeof DECISION_FILTERS)[number];

/** Newest decisions first, keyset on id; a filter selects decisions that split, dropshipped, backordered or held. */
export function listRoutingDecisions({ filter, before, limit = 50 }: { filter?: DecisionFilter; before?: number; limit?: number }) {
  const where: SQL[] = [];
  if (filter) where.push(eq(routingDecisions[filter], true));
  if (before) where.push(lt(routingDecisions.id, before));
  const rows = database()
    .select({
      id: routingDecisions.id,
      orderNumber: orders.number,
      outcome: routingDecisions.outcome,
      split: routingDecisions.split,
      dropship: routingDecisions.dropship,
      backordered: routingDecisions.backordered,
      held: routingDecisions.held,
      shipmentCount: routingDecisions.shipmentCount,
      createdAt: routingDecisions.createdAt,
    })
    .from(routingDecisions)
    .innerJoin(orders, eq(orders.id, routingDecisions.orderId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(routingDecisions.id))
    .limit(limit + 1)
    .all();
  return { rows: rows.slice(0, limit), nextBefore: rows.length > limit ? rows[limit - 1]!.id : null };
}

export function getRoutingDecision({ id }: { id: number }) {
  const row = database()
    .select({ decision: routingDecisions, orderNumber: orders.number, orderStatus: orders.status })
    .from(routingDecisions)
    .innerJoin(orders, eq(orders.id, routingDecisions.orderId))
    .where(eq(routingDecisions.id, id))
    .get();
  if (!row) return null;
  // The plan is stored as the planner wrote it (lib/routing/types.ts RoutingPlan); its reader gives it that type.
  return { ...row.decision, plan: row.decision.plan as unknown, orderNumber: row.orderNumber, orderStatus: row.orderStatus };
}

export type BackorderQueueRow = {
  id: number;
  sku: string;
  name: string;
  orderNumber: string;
  shipComplete: boolean;
  qty: number;
  customerChoice: (typeof CUSTOMER_CHOICES)[number];
  createdAt: number;
  position: number;
  queued: number;
};

/** Where a page of the backorder queue ends: the next page starts after this (SKU, FIFO position). */
export type BackorderCursor = { sku: string; createdAt: number; id: number };

/**
 * Pending backorders in FIFO order per SKU, one page at a time (keyset on SKU, then FIFO order), with each
 * one's position in its SKU's queue and the queue's length, both counted down backorders_fifo_idx.
 */
export function backorderQueue({ limit = 50, after = null }: { limit?: number; after?: BackorderCursor | null } = {}): { rows: BackorderQueueRow[]; next: BackorderCursor | null } {
  const rows = prepared(
    database(),
    // A SKU's rows on a page are next to each other in its queue, so each row's position is the count ahead of
    // the SKU's first row on the page plus its place among them: two counts per SKU, not two per row (a queue
    // of 1,000 counted for each of 50 rows took 1.3 ms; 0.25 ms so). MATERIALIZED keeps the counts per SKU.
    `WITH head AS (
       SELECT b.id, b.product_id, b.order_id, b.qty, b.customer_choice, b.created_at, p.sku, p.name
       FROM products p CROSS JOIN backorders b ON b.product_id = p.id AND b.status = 'pending'
       WHERE (p.sku, b.created_at, b.id) > (?, ?, ?)
       ORDER BY p.sku, b.created_at, b.id LIMIT ?
     ),
     ranked AS (SELECT h.*, row_number() OVER (PARTITION BY h.product_id ORDER BY h.created_at, h.id) AS nth FROM head h),
     queues AS MATERIALIZED (
       SELECT r.product_id,
              (SELECT count(*) FROM backorders q WHERE q.product_id = r.product_id AND q.status = 'pending' AND (q.created_at, q.id) < (r.created_at, r.id)) AS ahead,
              (SELECT count(*) FROM backorders q WHERE q.product_id = r.product_id AND q.status = 'pending') AS queued
       FROM ranked r WHERE r.nth = 1
     )
     SELECT r.id, r.sku, r.name, o.number AS orderNumber, o.ship_complete AS shipComplete, r.qty, r.customer_choice AS customerChoice,
            r.created_at AS createdAt, qu.ahead + r.nth AS position, qu.queued
     FROM ranked r CROSS JOIN queues qu ON qu.product_id = r.product_id
     CROSS JOIN orders o ON o.id = r.order_id -- CROSS JOIN keeps the page's rows outside (with LIMIT ? the planner would scan orders)
     ORDER BY r.sku, r.created_at, r.id`,
  ).all(after?.sku ?? "", after?.createdAt ?? 0, after?.id ?? 0, limit + 1) as (Omit<BackorderQueueRow, "shipComplete"> & { shipComplete: number })[];
  const page = rows.slice(0, limit).map((r) => ({ ...r, shipComplete: r.shipComplete === 1 }));
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? { sku: last.sku, createdAt: last.createdAt, id: last.id } : null };
}

export function stockLocations() {
  return database()
    .select({ id: locations.id, code: locations.code, name: locations.name, kind: locations.kind })
    .from(locations)
    .where(or(eq(locations.kind, "warehouse"), eq(locations.kind, "3pl")))
    .orderBy(asc(locations.id))
    .all();
}


