import { and, eq, sql } from "drizzle-orm";
import { inventory, locations } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { offerFreedStock } from "../inventory/restock.ts";
import { reserveStock } from "../inventory/reserve.ts";
import { recordDecision } from "../routing/decision.ts";
import type { RoutingPlan } from "../routing/types.ts";
import { loadOrder, type OrderAggregate } from "./aggregate.ts";
import { notifyCustomer } from "../notify/notify.ts";
import { planUnits, uncovered } from "./reroute.ts";
import { backorderOrderWhole, createBackorder, moveOrderWhole, type Freed } from "./ship-complete.ts";
import { liveLines, placeUnits, takeFromShipment } from "./shipment-lines.ts";

type Shipment = OrderAggregate["shipments"][number];
type Line = Shipment["lines"][number];
type Ask = { orderId: number; shipmentId: number; orderLineId: number; qty: number; reason: string; actor: Actor; at: number };
export type BackorderOutcome = { backorderId: number | null; backorderIds: number[]; backordered: number; rerouted: number; decisionId: number };

/**
 * A lead marks pending units unavailable (damaged, miscounted). They are written off where they were,
 * then routed again like any unit (lib/DOMAIN.md "Backorder means no stock anywhere"): other stock, the
 * same shelf's spare units or a dropship supplier first, explained and stored as a routing decision;
 * only what nothing covers becomes a backorder, at the back of the FIFO queue, and the customer is asked.
 */
export function backorderUnits(tx: Tx, b: Ask): BackorderOutcome {
  const agg = loadOrder(tx, b.orderId);
  const s = agg.shipments.find((x) => x.id === b.shipmentId);
  if (!s) throw new DomainError("not_found", `Shipment #${b.shipmentId} is not on order ${agg.order.number}.`);
  if (s.status !== "pending") throw new DomainError("conflict", `Shipment #${s.id} is ${s.status}; only pending units can be backordered.`);
  const line = s.lines.find((l) => l.orderLineId === b.orderLineId && l.qty > 0);
  if (!line || line.qty < b.qty) throw new DomainError("invalid_input", `Shipment #${s.id} has only ${line?.qty ?? 0} unit(s) of that line.`);
  const orderLine = agg.lines.find((l) => l.id === b.orderLineId)!;
  if (!s.dropship) writeOff(tx, agg, s, orderLine.productId, b);
  // Ship-complete: the customer asked for one parcel, so the whole order is planned again (one location, else backordered whole) rather than refused: the units are gone either way.
  const outcome = agg.order.shipComplete ? replanWhole(tx, agg, s, line, b) : replanUnits(tx, agg, s, line, b);
  const backordered = outcome.backorderIds.reduce((n, id) => n + agg.backorders.find((x) => x.id === id)!.qty, 0);
  if (backordered > 0) {
    // Ship-complete: the whole order waits for these units, and the customer is told so.
    const items = [{ qty: agg.order.shipComplete ? b.qty : backordered, name: orderLine.name }];
    notifyCustomer(tx, { orderId: agg.order.id, notice: { kind: "backordered", items, shipComplete: agg.order.shipComplete }, at: b.at });
  }
  offerFreedStock(tx, outcome.freed, { actor: b.actor, at: b.at, cause: `Stock freed when ${agg.order.number} was re-planned` });
  return { backorderId: outcome.backorderIds[0] ?? null, backorderIds: outcome.backorderIds, backordered, rerouted: b.qty - Math.min(b.qty, backordered), decisionId: outcome.decisionId };
}

/** The units are not on the shelf: on hand and their reservation drop together, so nothing routes to them again. */
function writeOff(tx: Tx, agg: OrderAggregate, s: Shipment, productId: number, b: Ask): void {
  const ok = tx
    .update(inventory)
    .set({ onHand: sql`${inventory.onHand} - ${b.qty}`, reserved: sql`${inventory.reserved} - ${b.qty}`, updatedAt: b.at })
    .where(and(eq(inventory.locationId, s.locationId), eq(inventory.productId, productId), sql`${inventory.reserved} >= ${b.qty}`, sql`${inventory.onHand} >= ${b.qty}`))
    .run().changes;
  if (ok === 0) throw new DomainError("conflict", `Stock records at shipment #${s.id}'s location do not hold its reservation; nothing was changed.`);
  appendAudit(tx, { entityType: "inventory", entityId: productId, orderId: agg.order.id, actor: b.actor, action: "stock_written_off", reason: b.reason, data: { locationId: s.locationId, qty: b.qty, shipmentId: s.id }, at: b.at });
}

type Replanned = { backorderIds: number[]; decisionId: number; freed: Freed[] };

/** An ordinary order: only the unavailable units are planned again, wherever stock or a supplier has them. */
function replanUnits(tx: Tx, agg: OrderAggregate, s: Shipment, line: Line, b: Ask): Replanned {
  const plan = planUnits(tx, agg.order.id, [{ orderLineId: b.orderLineId, qty: b.qty }], { shipComplete: false, at: b.at, withoutSupplier: s.dropship ? s.locationId : undefined, backorderable: true });
  const sku = agg.lines.find((l) => l.id === b.orderLineId)!.sku;
  const said: string[] = [];
  const moves = plan.shipments.filter((p) => p.dropship || p.locationId !== s.locationId || s.dropship);
  for (const p of plan.shipments.filter((x) => !moves.includes(x))) {
    const qty = p.lines.reduce((n, l) => n + l.qty, 0);
    // Spare units on the same shelf: the shipment keeps its line, reserved again from them.
    reserveStock(tx, { locationId: s.locationId, productId: p.lines[0]!.productId, qty, at: b.at });
    said.push(`${qty} stay in shipment #${s.id} from spare stock at ${p.locationCode}`);
  }
  for (const p of moves) {
    for (const l of p.lines) {
      if (!p.dropship) reserveStock(tx, { locationId: p.locationId, productId: l.productId, qty: l.qty, at: b.at });
      takeFromShipment(tx, s, line, l.qty, "moved", b.at);
    }
    const into = placeUnits(tx, agg, { locationId: p.locationId, dropship: p.dropship, shipBy: p.shipBy, lines: p.lines, except: s.id, actor: b.actor, at: b.at, reason: `Re-routed from shipment #${s.id}: ${b.reason}` });
    said.push(`${p.lines.reduce((n, l) => n + l.qty, 0)} re-routed to ${p.locationCode} (shipment #${into.id})`);
  }
  const backorderIds: number[] = [];
  for (const u of uncovered(plan)) {
    takeFromShipment(tx, s, line, u.qty, "backordered", b.at);
    backorderIds.push(createBackorder(tx, agg, { orderLineId: u.orderLineId, qty: u.qty, actor: b.actor, at: b.at, reason: b.reason }));
    said.push(`${u.qty} backordered`);
  }
  const decisionId = record(tx, plan, `${b.qty} × ${sku} of shipment #${s.id} marked unavailable (${b.reason}); routed again:`, b.at);
  auditShipment(tx, agg, s, b, `${b.qty} × ${sku} unavailable (${b.reason}): ${said.join("; ")}.`, decisionId);
  return { backorderIds, decisionId, freed: [] };
}

/** A ship-complete order: the whole order is planned again as one parcel, or backordered whole. */
function replanWhole(tx: Tx, agg: OrderAggregate, s: Shipment, line: Line, b: Ask): Replanned {
  const units = agg.shipments.filter((x) => x.status === "pending").flatMap((x) => liveLines(x.lines).map((l) => ({ orderLineId: l.orderLineId, qty: l.qty })));
  for (const w of agg.backorders) if (w.status === "pending") units.push({ orderLineId: w.orderLineId, qty: w.qty });
  const productOf = (orderLineId: number) => agg.lines.find((l) => l.id === orderLineId)!.productId;
  const releasing = agg.shipments
    .filter((x) => x.status === "pending" && !x.dropship)
    .flatMap((x) => liveLines(x.lines).map((l) => ({ locationId: x.locationId, productId: productOf(l.orderLineId), qty: l.qty - (l.id === line.id ? b.qty : 0) })));
  const plan = planUnits(tx, agg.order.id, units, { shipComplete: true, at: b.at, releasing, withoutSupplier: s.dropship ? s.locationId : undefined, backorderable: true });
  const sku = agg.lines.find((l) => l.id === b.orderLineId)!.sku;
  const head = `${b.qty} × ${sku} of shipment #${s.id} marked unavailable (${b.reason}); the order ships complete, so all of it was planned again:`;
  const target = plan.shipments.length === 1 ? plan.shipments[0]! : null;
  if (target && !target.dropship && !s.dropship && target.locationId === s.locationId) {
    reserveStock(tx, { locationId: s.locationId, productId: productOf(b.orderLineId), qty: b.qty, at: b.at });
    const decisionId = record(tx, plan, head, b.at);
    const moved = agg.backorders.some((w) => w.status === "pending") || agg.shipments.some((x) => x.status === "pending" && x.id !== s.id)
      ? moveOrderWhole(tx, agg, { to: locationOf(tx, s.locationId), dropship: false, shipBy: target.shipBy, actor: b.actor, at: b.at, reason: head, cause: "Re-planned" })
      : null;
    auditShipment(tx, agg, s, b, `${b.qty} × ${sku} unavailable (${b.reason}): spare stock at ${target.locationCode} takes their place.`, decisionId);
    return { backorderIds: [], decisionId, freed: moved?.freed ?? [] };
  }
  if (target) {
    takeFromShipment(tx, s, line, b.qty, "moved", b.at);
    const decisionId = record(tx, plan, head, b.at);
    auditShipment(tx, agg, s, b, `${b.qty} × ${sku} unavailable (${b.reason}): the whole order moves to ${target.locationCode}.`, decisionId);
    const moved = moveOrderWhole(tx, agg, { to: locationOf(tx, target.locationId), dropship: target.dropship, shipBy: target.shipBy, extra: [{ orderLineId: b.orderLineId, qty: b.qty }], actor: b.actor, at: b.at, reason: head, cause: "Re-planned" });
    return { backorderIds: [], decisionId, freed: moved.freed };
  }
  // Planned as backorderable (a lead's backorder stands, the order is paid), so this is a whole-order backorder, never a hold.
  takeFromShipment(tx, s, line, b.qty, "backordered", b.at);
  const decisionId = record(tx, plan, head, b.at);
  auditShipment(tx, agg, s, b, `${b.qty} × ${sku} unavailable (${b.reason}): no single location or supplier can ship the whole order, so all of it is backordered.`, decisionId);
  const whole = backorderOrderWhole(tx, agg, { extra: [{ orderLineId: b.orderLineId, qty: b.qty }], actor: b.actor, at: b.at, reason: `${b.reason} (ship complete: the whole order waits)` });
  return { backorderIds: whole.backorderIds, decisionId, freed: whole.freed };
}

function record(tx: Tx, plan: RoutingPlan, head: string, at: number): number {
  return recordDecision(tx, { ...plan, explanation: [head, ...plan.explanation] }, at);
}

function locationOf(tx: Tx, id: number) {
  return tx.select({ id: locations.id, code: locations.code, name: locations.name }).from(locations).where(eq(locations.id, id)).get()!;
}

function auditShipment(tx: Tx, agg: OrderAggregate, s: Shipment, b: Ask, reason: string, decisionId: number): void {
  appendAudit(tx, {
    entityType: "shipment",
    entityId: s.id,
    orderId: agg.order.id,
    actor: b.actor,
    action: "units_unavailable",
    fromStatus: "pending",
    toStatus: s.status,
    reason,
    data: { orderLineId: b.orderLineId, qty: b.qty, decisionId },
    at: b.at,
  });
  enqueueOutbox(tx, { topic: s.status === "cancelled" ? "shipment.cancelled" : "shipment.changed", aggregateType: "order", aggregateId: agg.order.id, payload: { shipmentId: s.id }, at: b.at });
}
