import { and, eq } from "drizzle-orm";
import { backorders } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { releaseStock } from "../inventory/reserve.ts";
import type { OrderAggregate } from "./aggregate.ts";
import { takeFromShipment } from "./shipment-lines.ts";

/**
 * Takes `qty` units of a line out of fulfilment: from pending backorders first, then from pending
 * shipments (releasing their reservations), then from units not routed yet. A shipment left empty
 * is cancelled. Guarded updates turn a concurrent change (a shipment picked meanwhile) into a conflict.
 */
export function takeUnitsOut(
  tx: Tx,
  agg: OrderAggregate,
  orderLineId: number,
  qty: number,
  o: { actor: Actor; at: number; reason: string; fromBackorderId?: number },
): void {
  let need = qty;
  // A customer cancelling one backorder cancels that one, not an older one they chose to wait for.
  const queue = o.fromBackorderId === undefined ? agg.backorders : [...agg.backorders].sort((a, b) => Number(b.id === o.fromBackorderId) - Number(a.id === o.fromBackorderId));
  for (const b of queue) {
    if (need === 0) break;
    if (b.orderLineId !== orderLineId || b.status !== "pending") continue;
    const take = Math.min(need, b.qty);
    if (take === b.qty) {
      tx.update(backorders).set({ status: "cancelled", updatedAt: o.at }).where(and(eq(backorders.id, b.id), eq(backorders.status, "pending"))).run();
    } else {
      tx.update(backorders).set({ qty: b.qty - take, updatedAt: o.at }).where(eq(backorders.id, b.id)).run();
    }
    appendAudit(tx, { entityType: "backorder", entityId: b.id, orderId: agg.order.id, actor: o.actor, action: "backorder_cancelled", fromStatus: "pending", toStatus: take === b.qty ? "cancelled" : "pending", reason: o.reason, data: { qty: take }, at: o.at });
    b.qty -= take;
    if (b.qty === 0) b.status = "cancelled";
    need -= take;
  }
  for (const s of agg.shipments) {
    if (need === 0) break;
    if (s.status !== "pending") continue;
    const line = s.lines.find((l) => l.orderLineId === orderLineId);
    if (!line) continue;
    const take = Math.min(need, line.qty);
    if (take === 0) continue;
    if (!s.dropship) releaseStock(tx, { locationId: s.locationId, productId: lineProduct(agg, orderLineId), qty: take, at: o.at });
    const emptied = takeFromShipment(tx, s, line, take, "cancelled", o.at);
    appendAudit(tx, {
      entityType: "shipment",
      entityId: s.id,
      orderId: agg.order.id,
      actor: o.actor,
      action: emptied ? "shipment_cancelled" : "shipment_reduced",
      fromStatus: "pending",
      toStatus: emptied ? "cancelled" : "pending",
      reason: o.reason,
      data: { orderLineId, qty: take },
      at: o.at,
    });
    enqueueOutbox(tx, { topic: emptied ? "shipment.cancelled" : "shipment.changed", aggregateType: "order", aggregateId: agg.order.id, payload: { shipmentId: s.id }, at: o.at });
    need -= take;
  }
  // What is left was never routed (the order is not paid or not routed yet): nothing to release.
  const routed = agg.shipments.filter((s) => s.status !== "cancelled").reduce((n, s) => n + (s.lines.find((l) => l.orderLineId === orderLineId)?.qty ?? 0), 0);
  const backordered = agg.backorders.filter((b) => b.status === "pending" && b.orderLineId === orderLineId).reduce((n, b) => n + b.qty, 0);
  const line = agg.lines.find((l) => l.id === orderLineId)!;
  const unrouted = line.qtyOrdered - line.qtyCancelled - routed - backordered - (qty - need);
  if (need > Math.max(0, unrouted)) throw new DomainError("invalid_input", `Only ${qty - need + Math.max(0, unrouted)} unit(s) of ${line.sku} can still be cancelled.`);
}

function lineProduct(agg: OrderAggregate, orderLineId: number): number {
  return agg.lines.find((l) => l.id === orderLineId)!.productId;
}
