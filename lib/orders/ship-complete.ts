import { backorders } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { releaseStock, reserveStock } from "../inventory/reserve.ts";
import type { OrderAggregate } from "./aggregate.ts";
import { allocateBackorder, type Fill } from "./backorder-fill.ts";
import type { Units } from "./reroute.ts";
import { isLive, liveLines, placeUnits, takeFromShipment } from "./shipment-lines.ts";

export type Freed = { locationId: number; productId: number };

/** Every unit of an order still to leave: in live shipments and on pending backorders. */
export function openUnits(agg: OrderAggregate): number {
  const shipped = agg.shipments.filter(isLive).reduce((n, s) => n + s.lines.reduce((m, l) => m + l.qty, 0), 0);
  return shipped + agg.backorders.filter((b) => b.status === "pending").reduce((n, b) => n + b.qty, 0);
}

/** A ship-complete order moves only while none of its shipments is with the warehouse yet. */
export function assertNotStarted(agg: OrderAggregate): void {
  const started = agg.shipments.find((s) => isLive(s) && s.status !== "pending");
  if (started) throw new DomainError("conflict", `Order ${agg.order.number} ships complete and shipment #${started.id} is already ${started.status}: it cannot move in part.`);
}

const productOf = (agg: OrderAggregate, orderLineId: number) => agg.lines.find((l) => l.id === orderLineId)!;

/**
 * Moves a whole ship-complete order to one location or supplier: every unit of its pending shipments,
 * its pending backorders and `extra` (units that left a shipment and hold no reservation) go into one
 * pending shipment there, reserved now. The old shipments keep their lines as moved history and are
 * cancelled, their reservations released. Returns the shipment, the backorders filled and what stock it freed.
 */
export function moveOrderWhole(
  tx: Tx,
  agg: OrderAggregate,
  o: { to: { id: number; code: string; name: string }; dropship: boolean; shipBy: number; extra?: Units; actor: Actor; at: number; reason: string; cause: string },
): { shipmentId: number; fills: Fill[]; freed: Freed[] } {
  assertNotStarted(agg);
  const freed: Freed[] = [];
  const moving: Units = [...(o.extra ?? [])];
  const stays = (s: OrderAggregate["shipments"][number]) => s.locationId === o.to.id && s.dropship === o.dropship;
  for (const s of agg.shipments) {
    if (s.status !== "pending" || stays(s)) continue;
    const lines = liveLines(s.lines).map((l) => ({ line: l, qty: l.qty }));
    for (const { line, qty } of lines) {
      const productId = productOf(agg, line.orderLineId).productId;
      if (!s.dropship) {
        releaseStock(tx, { locationId: s.locationId, productId, qty, at: o.at });
        freed.push({ locationId: s.locationId, productId });
      }
      takeFromShipment(tx, s, line, qty, "moved", o.at);
      moving.push({ orderLineId: line.orderLineId, qty });
    }
    if (lines.length) {
      appendAudit(tx, { entityType: "shipment", entityId: s.id, orderId: agg.order.id, actor: o.actor, action: "shipment_moved", fromStatus: "pending", toStatus: "cancelled", reason: o.reason, data: { toLocationId: o.to.id }, at: o.at });
      enqueueOutbox(tx, { topic: "shipment.cancelled", aggregateType: "order", aggregateId: agg.order.id, payload: { shipmentId: s.id }, at: o.at });
    }
  }
  const waiting = agg.backorders.filter((b) => b.status === "pending");
  const incoming = [...moving, ...waiting.map((b) => ({ orderLineId: b.orderLineId, qty: b.qty }))];
  if (incoming.length === 0) {
    const kept = agg.shipments.find((s) => s.status === "pending" && stays(s));
    if (!kept) throw new DomainError("invalid_input", `Order ${agg.order.number} has nothing left to move.`);
    return { shipmentId: kept.id, fills: [], freed };
  }
  if (!o.dropship) for (const u of incoming) reserveStock(tx, { locationId: o.to.id, productId: productOf(agg, u.orderLineId).productId, qty: u.qty, at: o.at });
  const target = placeUnits(tx, agg, { locationId: o.to.id, dropship: o.dropship, shipBy: o.shipBy, lines: incoming, actor: o.actor, at: o.at, reason: o.reason });
  const fills = waiting.map((b) => {
    const line = productOf(agg, b.orderLineId);
    const fill = allocateBackorder(tx, { backorder: b, qty: b.qty, shipmentId: target.id, from: o.to, order: { number: agg.order.number }, item: line, actor: o.actor, at: o.at, cause: o.cause });
    b.status = "allocated";
    return fill;
  });
  return { shipmentId: target.id, fills, freed };
}

/**
 * Backorders a whole ship-complete order: every unit of its pending shipments (and `extra`) becomes a
 * backorder, the shipments keep their lines as backordered history and are cancelled, reservations released.
 */
export function backorderOrderWhole(tx: Tx, agg: OrderAggregate, o: { extra?: Units; actor: Actor; at: number; reason: string }): { backorderIds: number[]; freed: Freed[] } {
  assertNotStarted(agg);
  const freed: Freed[] = [];
  const waiting = new Map<number, number>();
  for (const u of o.extra ?? []) waiting.set(u.orderLineId, (waiting.get(u.orderLineId) ?? 0) + u.qty);
  for (const s of agg.shipments) {
    if (s.status !== "pending") continue;
    const lines = liveLines(s.lines).map((l) => ({ line: l, qty: l.qty }));
    for (const { line, qty } of lines) {
      const productId = productOf(agg, line.orderLineId).productId;
      if (!s.dropship) {
        releaseStock(tx, { locationId: s.locationId, productId, qty, at: o.at });
        freed.push({ locationId: s.locationId, productId });
      }
      takeFromShipment(tx, s, line, qty, "backordered", o.at);
      waiting.set(line.orderLineId, (waiting.get(line.orderLineId) ?? 0) + qty);
    }
    if (lines.length) {
      appendAudit(tx, { entityType: "shipment", entityId: s.id, orderId: agg.order.id, actor: o.actor, action: "shipment_cancelled", fromStatus: "pending", toStatus: "cancelled", reason: `Backordered whole (ship complete): ${o.reason}`, at: o.at });
      enqueueOutbox(tx, { topic: "shipment.cancelled", aggregateType: "order", aggregateId: agg.order.id, payload: { shipmentId: s.id }, at: o.at });
    }
  }
  const backorderIds = [...waiting].map(([orderLineId, qty]) => createBackorder(tx, agg, { orderLineId, qty, actor: o.actor, at: o.at, reason: o.reason }));
  return { backorderIds, freed };
}

/** A new pending backorder (the customer is asked whether to wait), audited and announced. */
export function createBackorder(tx: Tx, agg: OrderAggregate, b: { orderLineId: number; qty: number; actor: Actor; at: number; reason: string }): number {
  const line = productOf(agg, b.orderLineId);
  const row = tx
    .insert(backorders)
    .values({ orderId: agg.order.id, orderLineId: b.orderLineId, productId: line.productId, qty: b.qty, status: "pending", customerChoice: "asked", reason: b.reason, createdAt: b.at, updatedAt: b.at })
    .returning()
    .get();
  agg.backorders.push(row);
  appendAudit(tx, { entityType: "backorder", entityId: row.id, orderId: agg.order.id, actor: b.actor, action: "backorder_created", toStatus: "pending", reason: `${b.qty} × ${line.sku}: ${b.reason}`, data: { orderLineId: b.orderLineId, qty: b.qty }, at: b.at });
  enqueueOutbox(tx, { topic: "backorder.created", aggregateType: "order", aggregateId: agg.order.id, payload: { backorderId: row.id, qty: b.qty }, at: b.at });
  return row.id;
}
