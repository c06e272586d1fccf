import { and, eq, sql } from "drizzle-orm";
import { inventory, locations, shipments, type ShipmentStatus } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { releaseStock, reserveStock } from "../inventory/reserve.ts";
import { transition, label } from "./state-machine.ts";
import { loadOrder, type OrderAggregate } from "./aggregate.ts";
import { derivedFulfilment, fulfilmentPath } from "./fulfilment.ts";
import { notifyCustomer } from "../notify/notify.ts";
import type { CustomerNotice } from "../notify/messages.ts";
import { SHIPMENT_NEXT, SHIPMENTS_MAY_MOVE } from "./shipment-flow.ts";
import { indexOrder } from "../search/embedded/indexer.ts";
import { offerFreedStock } from "../inventory/restock.ts";
import { openUnits } from "./ship-complete.ts";
import { isLive, liveLines, placeUnits, takeFromShipment } from "./shipment-lines.ts";
import { carryAlert, liveAlertOn } from "../alerts/carry.ts";


function findShipment(agg: OrderAggregate, shipmentId: number) {
  const s = agg.shipments.find((x) => x.id === shipmentId);
  if (!s) throw new DomainError("not_found", `Shipment #${shipmentId} is not on order ${agg.order.number}.`);
  return s;
}

/**
 * Moves a shipment one step. Shipping consumes its reservation (on hand and reserved both drop),
 * needs a carrier and tracking number, and notifies the customer of what shipped and what follows.
 * The order's status then follows from its shipments, through transition().
 */
export function advanceShipment(
  tx: Tx,
  a: { orderId: number; shipmentId: number; to: ShipmentStatus; carrier?: string; trackingNumber?: string; actor: Actor; at: number },
): { shipmentStatus: ShipmentStatus; orderStatus: string } {
  const agg = loadOrder(tx, a.orderId);
  const s = findShipment(agg, a.shipmentId);
  if (!SHIPMENTS_MAY_MOVE.includes(agg.order.status)) {
    throw new DomainError("invalid_transition", `Order ${agg.order.number} is ${label(agg.order.status)}; its shipments cannot move.`);
  }
  if (SHIPMENT_NEXT[s.status] !== a.to) {
    throw new DomainError(
      s.status === "cancelled" ? "conflict" : "invalid_transition",
      s.status === "cancelled" ? `Shipment #${s.id} was cancelled meanwhile.` : `Shipment #${s.id} is ${s.status}; it can go to ${SHIPMENT_NEXT[s.status] ?? "nothing further"}, not ${a.to}.`,
    );
  }
  const waitingBeside = openUnits(agg) - liveLines(s.lines).reduce((n, l) => n + l.qty, 0);
  if (a.to === "picking" && agg.order.shipComplete && waitingBeside > 0) {
    throw new DomainError("invalid_transition", `Order ${agg.order.number} ships complete and ${waitingBeside} other unit(s) are not in shipment #${s.id} yet; it waits until they can go together.`);
  }
  if (a.to === "shipped" && (!a.carrier?.trim() || !a.trackingNumber?.trim())) throw new DomainError("invalid_input", "Shipping needs a carrier and a tracking number.");
  const changed = tx
    .update(shipments)
    .set({
      status: a.to,
      updatedAt: a.at,
      ...(a.to === "shipped" ? { carrier: a.carrier!.trim(), trackingNumber: a.trackingNumber!.trim().toUpperCase(), shippedAt: a.at } : {}),
      ...(a.to === "delivered" ? { deliveredAt: a.at } : {}),
    })
    .where(and(eq(shipments.id, s.id), eq(shipments.status, s.status)))
    .run().changes;
  if (changed === 0) throw new DomainError("conflict", `Shipment #${s.id} changed meanwhile; reload.`);
  // The tracking number is searchable from the moment the shipment commits.
  if (a.to === "shipped") indexOrder(tx, agg.order.id);
  const from = s.status;
  s.status = a.to;
  if (a.to === "shipped" && !s.dropship) {
    for (const l of liveLines(s.lines)) {
      const productId = agg.lines.find((x) => x.id === l.orderLineId)!.productId;
      const ok = tx
        .update(inventory)
        .set({ onHand: sql`${inventory.onHand} - ${l.qty}`, reserved: sql`${inventory.reserved} - ${l.qty}`, updatedAt: a.at })
        .where(and(eq(inventory.locationId, s.locationId), eq(inventory.productId, productId), sql`${inventory.reserved} >= ${l.qty}`, sql`${inventory.onHand} >= ${l.qty}`))
        .run().changes;
      if (ok === 0) throw new DomainError("conflict", `Stock records for shipment #${s.id} do not hold its reservation; nothing was shipped.`);
    }
  }
  appendAudit(tx, {
    entityType: "shipment",
    entityId: s.id,
    orderId: agg.order.id,
    actor: a.actor,
    action: "shipment_status_changed",
    fromStatus: from,
    toStatus: a.to,
    reason: a.to === "shipped" ? `${a.carrier} ${a.trackingNumber}` : null,
    at: a.at,
  });
  enqueueOutbox(tx, { topic: `shipment.${a.to}`, aggregateType: "order", aggregateId: agg.order.id, payload: { shipmentId: s.id, from, to: a.to }, at: a.at });
  if (a.to === "shipped") notifyCustomer(tx, { orderId: agg.order.id, notice: shippedNotice(agg, s, a.carrier!.trim(), a.trackingNumber!.trim().toUpperCase()), at: a.at });
  let status: string = agg.order.status;
  for (const to of fulfilmentPath(agg.order.status, derivedFulfilment(agg.lines, agg.shipments))) {
    transition(tx, { orderId: agg.order.id, from: status as never, to, actor: a.actor, reason: `Shipment #${s.id} ${a.to}`, data: { shipmentId: s.id }, at: a.at });
    status = to;
  }
  return { shipmentStatus: a.to, orderStatus: status };
}

/** What the customer hears when a shipment leaves: its items, and what of the order still follows (other open shipments, backorders). */
function shippedNotice(agg: OrderAggregate, s: OrderAggregate["shipments"][number], carrier: string, trackingNumber: string): CustomerNotice {
  const nameOf = (lineId: number) => agg.lines.find((l) => l.id === lineId)!.name;
  const items = (lines: { orderLineId: number; qty: number }[]) => lines.map((l) => ({ qty: l.qty, name: nameOf(l.orderLineId) }));
  return {
    kind: "shipped",
    items: items(liveLines(s.lines)),
    carrier,
    trackingNumber,
    stillToCome: agg.shipments.filter((x) => x.id !== s.id && isLive(x)).flatMap((x) => items(liveLines(x.lines))),
    backordered: items(agg.backorders.filter((b) => b.status === "pending")),
  };
}

/**
 * Splits or moves: `qty` units of a line leave a pending shipment for another stock location that
 * has them available, reserving there and releasing here in the same transaction; the units freed
 * here go to waiting backorders. A ship-complete order moves only whole (lib/DOMAIN.md rule 5).
 */
export function moveUnits(tx: Tx, m: { orderId: number; shipmentId: number; orderLineId: number; qty: number; toLocationId: number; reason: string; actor: Actor; at: number }) {
  if (m.reason.trim().length < 3) throw new DomainError("invalid_input", "Say why the units move (at least 3 characters).");
  const agg = loadOrder(tx, m.orderId);
  const s = findShipment(agg, m.shipmentId);
  if (s.status !== "pending") throw new DomainError("conflict", `Shipment #${s.id} is ${s.status}; only pending shipments can be split or moved.`);
  if (s.dropship) throw new DomainError("invalid_input", "Dropship shipments are the supplier's; they cannot be moved to our stock here.");
  if (m.toLocationId === s.locationId) throw new DomainError("invalid_input", "Choose a different location.");
  const target = tx.select().from(locations).where(eq(locations.id, m.toLocationId)).get();
  if (!target || target.kind === "dropship" || !target.active) throw new DomainError("invalid_input", "Move only to an active warehouse or 3PL.");
  const line = s.lines.find((l) => l.orderLineId === m.orderLineId && l.qty > 0);
  if (!line || line.qty < m.qty) throw new DomainError("invalid_input", `Shipment #${s.id} has only ${line?.qty ?? 0} unit(s) of that line.`);
  const open = openUnits(agg);
  if (agg.order.shipComplete && m.qty < open) {
    throw new DomainError("invalid_transition", `Order ${agg.order.number} ships complete, so it moves whole: moving ${m.qty} of its ${open} open unit(s) to ${target.name} would split it.`);
  }
  const orderLine = agg.lines.find((l) => l.id === m.orderLineId)!;
  reserveStock(tx, { locationId: target.id, productId: orderLine.productId, qty: m.qty, at: m.at });
  releaseStock(tx, { locationId: s.locationId, productId: orderLine.productId, qty: m.qty, at: m.at });
  const why = m.reason.trim();
  const reason = `${m.qty} × ${orderLine.sku} moved to ${target.name} from shipment #${s.id}: ${why}`;
  // The customer's promise travels with the units: the new ship-by is the target's plan, the promise stays visible.
  const promisedShipBy = s.promisedShipBy ?? s.shipBy;
  const into = placeUnits(tx, agg, { locationId: target.id, dropship: false, shipBy: m.at + target.slaHours * 3_600_000, promisedShipBy, lines: [{ orderLineId: m.orderLineId, qty: m.qty }], except: s.id, actor: m.actor, at: m.at, reason });
  const emptied = takeFromShipment(tx, s, line, m.qty, "moved", m.at);
  // A live past-SLA alert on an emptied shipment follows its units (owner, note, age kept); the evaluator alone resolves alerts.
  if (emptied && !liveAlertOn(tx, `shipment:${into.id}`)) {
    carryAlert(tx, { rule: "shipment_past_sla", from: `shipment:${s.id}`, to: `shipment:${into.id}`, orderId: agg.order.id, actor: m.actor, at: m.at, reason: `Shipment #${s.id} moved to #${into.id}: ${why}` });
  }
  appendAudit(tx, {
    entityType: "shipment",
    entityId: s.id,
    orderId: agg.order.id,
    actor: m.actor,
    action: emptied ? "shipment_moved" : "shipment_split",
    fromStatus: "pending",
    toStatus: emptied ? "cancelled" : "pending",
    reason: `${m.qty} × ${orderLine.sku} moved to ${target.name} (shipment #${into.id}): ${why}`,
    data: { toShipmentId: into.id, toLocationId: target.id, qty: m.qty, why, promisedShipBy, shipBy: into.shipBy },
    at: m.at,
  });
  enqueueOutbox(tx, { topic: "shipment.split", aggregateType: "order", aggregateId: agg.order.id, payload: { from: s.id, to: into.id, qty: m.qty }, at: m.at });
  offerFreedStock(tx, [{ locationId: s.locationId, productId: orderLine.productId }], { actor: m.actor, at: m.at, cause: `Stock freed by a move on ${agg.order.number}` });
  return { fromShipmentId: s.id, toShipmentId: into.id, fromCancelled: emptied };
}
