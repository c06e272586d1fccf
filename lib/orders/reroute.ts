import type { Tx } from "../../db/client.ts";
import { DomainError } from "../errors.ts";
import { planRouting } from "../routing/plan.ts";
import { loadRoutingInput } from "../routing/snapshot.ts";
import type { RoutingPlan, RoutingSnapshot } from "../routing/types.ts";

export type Units = { orderLineId: number; qty: number }[];

/**
 * Plans where units of an order can come from now, with the same planner and explanation as
 * routing after payment: stock available at any active location first, then a dropship supplier,
 * else a backorder. Stock this transaction already released counts as available.
 * `withoutSupplier` leaves out a supplier that just said it cannot send them; `releasing` counts the
 * order's own reservations as available, for a plan that may move them.
 */
export function planUnits(
  tx: Tx,
  orderId: number,
  units: Units,
  o: {
    shipComplete: boolean;
    at: number;
    withoutSupplier?: number;
    stockOnly?: boolean;
    releasing?: { locationId: number; productId: number; qty: number }[];
    /** A lead's backorder stands even for a SKU not normally backordered: plan it as one, never hold it. */
    backorderable?: boolean;
  },
): RoutingPlan {
  const input = loadRoutingInput(tx, orderId);
  if (!input) throw new DomainError("not_found", `Order ${orderId} does not exist.`);
  const wanted = new Map<number, number>();
  for (const u of units) if (u.qty > 0) wanted.set(u.orderLineId, (wanted.get(u.orderLineId) ?? 0) + u.qty);
  const lines = input.order.lines
    .filter((l) => wanted.has(l.orderLineId))
    .map((l) => ({ ...l, qty: wanted.get(l.orderLineId)!, allowBackorder: l.allowBackorder || !!o.backorderable }));
  const available = input.snapshot.available.map((a) => ({ ...a }));
  for (const r of o.releasing ?? []) {
    const row = available.find((a) => a.locationId === r.locationId && a.productId === r.productId);
    if (row) row.available += r.qty;
    else available.push({ locationId: r.locationId, productId: r.productId, available: r.qty });
  }
  const snapshot: RoutingSnapshot = {
    ...input.snapshot,
    available,
    catalog: o.stockOnly ? [] : input.snapshot.catalog.filter((c) => c.locationId !== o.withoutSupplier),
  };
  return planRouting({ ...input.order, shipComplete: o.shipComplete, lines }, snapshot, { now: o.at });
}

/** Every unit of a plan that no location or supplier covers: its backorders (a held plan places nothing, so all its lines). */
export function uncovered(plan: RoutingPlan): { orderLineId: number; productId: number; sku: string; qty: number }[] {
  return [...plan.backorders, ...(plan.hold?.lines ?? [])];
}
