import "server-only";
import { and, asc, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import { database } from "../index.ts";
import { backorders, locations, orders, products, routingDecisions } from "../schema/index.ts";

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

/** Pending backorders in FIFO order per SKU, with each one's position in its SKU's queue. */
export function backorderQueue({ limit = 200 }: { limit?: number } = {}) {
  return database()
    .select({
      id: backorders.id,
      sku: products.sku,
      name: products.name,
      orderNumber: orders.number,
      shipComplete: orders.shipComplete,
      qty: backorders.qty,
      customerChoice: backorders.customerChoice,
      createdAt: backorders.createdAt,
      position: sql<number>`row_number() OVER (PARTITION BY ${backorders.productId} ORDER BY ${backorders.createdAt}, ${backorders.id})`,
      queued: sql<number>`count(*) OVER (PARTITION BY ${backorders.productId})`,
    })
    .from(backorders)
    .innerJoin(products, eq(products.id, backorders.productId))
    .innerJoin(orders, eq(orders.id, backorders.orderId))
    .where(eq(backorders.status, "pending"))
    .orderBy(asc(products.sku), asc(backorders.createdAt), asc(backorders.id))
    .limit(limit)
    .all();
}

export function stockLocations() {
  return database()
    .select({ id: locations.id, code: locations.code, name: locations.name, kind: locations.kind })
    .from(locations)
    .where(or(eq(locations.kind, "warehouse"), eq(locations.kind, "3pl")))
    .orderBy(asc(locations.id))
    .all();
}


