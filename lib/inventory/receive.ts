import { and, asc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { alerts, backorders, inventory, locations, notifications, orderLines, orders, products, shipmentLines, shipments } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { reserveStock } from "./reserve.ts";
import { enqueueJob } from "../jobs.ts";

export type Fill = { backorderId: number; orderId: number; orderNumber: string; qty: number; shipmentId: number; remaining: number };
export type ReceiveResult = { locationId: number; productId: number; sku: string; received: number; onHand: number; fills: Fill[]; availableAfter: number };

/** Orders whose backorders may take stock: still being fulfilled, and the customer did not ask to cancel. */
const FILLABLE_STATUSES = ["awaiting_fulfillment", "partially_fulfilled"] as const;

/**
 * Receives stock at a location, then hands what is available to the oldest pending backorders of
 * that SKU first (FIFO), partial fills allowed. Each fill becomes a pending shipment with its units
 * reserved, a customer notification and a timeline entry. A partly filled backorder keeps its place:
 * the unfilled rest stays pending with the original creation time. A ship-complete order is filled
 * only whole (every line it waits for, one shipment) or not at all.
 */
export function receiveStock(tx: Tx, o: { locationId: number; sku: string; qty: number; actor: Actor; at: number; reference?: string }): ReceiveResult {
  const { at, actor } = o;
  const location = tx.select().from(locations).where(eq(locations.id, o.locationId)).get();
  if (!location) throw new DomainError("not_found", `Location ${o.locationId} does not exist.`);
  if (location.kind === "dropship") throw new DomainError("invalid_input", `${location.name} is a dropship supplier; it holds no stock of ours.`);
  const product = tx.select().from(products).where(eq(products.sku, o.sku.trim().toUpperCase())).get();
  if (!product) throw new DomainError("not_found", `No product has SKU ${o.sku}.`);

  tx.insert(inventory)
    .values({ locationId: location.id, productId: product.id, onHand: o.qty, reserved: 0, safetyStock: 0, updatedAt: at })
    .onConflictDoUpdate({ target: [inventory.locationId, inventory.productId], set: { onHand: sql`${inventory.onHand} + ${o.qty}`, updatedAt: at } })
    .run();
  appendAudit(tx, {
    entityType: "inventory",
    entityId: product.id,
    actor,
    action: "stock_received",
    reason: o.reference ?? null,
    data: { locationId: location.id, sku: product.sku, qty: o.qty },
    at,
  });

  const availableNow = () =>
    tx
      .select({ a: sql<number>`${inventory.onHand} - ${inventory.reserved} - ${inventory.safetyStock}` })
      .from(inventory)
      .where(and(eq(inventory.locationId, location.id), eq(inventory.productId, product.id)))
      .get()!.a;

  // An inactive location takes the delivery onto its books but ships nothing from it.
  let available = location.active ? Math.max(0, availableNow()) : 0;
  const fillable = and(eq(backorders.status, "pending"), ne(backorders.customerChoice, "cancel"), inArray(orders.status, [...FILLABLE_STATUSES]));
  const queue = tx
    .select({ backorder: backorders, orderNumber: orders.number, customerId: orders.customerId, shipComplete: orders.shipComplete })
    .from(backorders)
    .innerJoin(orders, eq(orders.id, backorders.orderId))
    .where(and(eq(backorders.productId, product.id), fillable))
    .orderBy(asc(backorders.createdAt), asc(backorders.id))
    .all();

  const fills: Fill[] = [];
  const done = new Set<number>();
  const newShipment = (orderId: number) =>
    tx
      .insert(shipments)
      .values({ orderId, locationId: location.id, status: "pending", shipBy: at + location.slaHours * 3_600_000, createdAt: at, updatedAt: at })
      .returning({ id: shipments.id })
      .get().id;
  /** Allocates qty of one backorder to a shipment from here: reservation, line, remainder, notification, timeline, outbox. */
  const fill = (b: typeof backorders.$inferSelect, qty: number, shipmentId: number, order: { orderNumber: string; customerId: number }, item: { sku: string; name: string }) => {
    const remaining = b.qty - qty;
    reserveStock(tx, { locationId: location.id, productId: b.productId, qty, at });
    tx.insert(shipmentLines).values({ shipmentId, orderLineId: b.orderLineId, qty }).run();
    tx.update(backorders).set({ qty, status: "allocated", updatedAt: at }).where(eq(backorders.id, b.id)).run();
    if (remaining > 0) {
      tx.insert(backorders)
        .values({ orderId: b.orderId, orderLineId: b.orderLineId, productId: b.productId, qty: remaining, status: "pending", customerChoice: b.customerChoice, reason: b.reason, createdAt: b.createdAt, updatedAt: at })
        .run();
    }
    tx.insert(notifications)
      .values({
        orderId: b.orderId,
        customerId: order.customerId,
        kind: "backorder_allocated",
        subject: `Good news: ${qty} × ${item.sku} for order ${order.orderNumber} is back in stock`,
        body: `${qty} × ${item.name} will ship from ${location.name}.${remaining ? ` ${remaining} more remain on backorder.` : ""}`,
        createdAt: at,
      })
      .run();
    appendAudit(tx, {
      entityType: "backorder",
      entityId: b.id,
      orderId: b.orderId,
      actor,
      action: "backorder_allocated",
      fromStatus: "pending",
      toStatus: "allocated",
      reason: `Restock at ${location.code}: ${qty} of ${b.qty} × ${item.sku}${remaining ? `, ${remaining} still backordered` : ""}`,
      data: { shipmentId, qty, remaining, locationId: location.id },
      at,
    });
    enqueueOutbox(tx, { topic: "backorder.allocated", aggregateType: "order", aggregateId: b.orderId, payload: { backorderId: b.id, shipmentId, qty }, at });
    fills.push({ backorderId: b.id, orderId: b.orderId, orderNumber: order.orderNumber, qty, shipmentId, remaining });
    done.add(b.id);
  };

  for (const { backorder: b, shipComplete, ...order } of queue) {
    if (available <= 0) break;
    if (done.has(b.id)) continue;
    if (shipComplete) {
      // DOMAIN.md rule 5: a ship-complete order is never split, so it is filled only whole, from one location, in one shipment.
      const whole = shipCompleteFill(tx, b.orderId, location.id, product.id, available, fillable);
      if (!whole) continue;
      const shipmentId = newShipment(b.orderId);
      for (const part of whole) {
        fill(part.backorder, part.backorder.qty, shipmentId, order, part);
        if (part.backorder.productId === product.id) available -= part.backorder.qty;
      }
      continue;
    }
    const qty = Math.min(available, b.qty);
    fill(b, qty, newShipment(b.orderId), order, product);
    available -= qty;
  }
  const onHand = tx.select({ onHand: inventory.onHand }).from(inventory).where(and(eq(inventory.locationId, location.id), eq(inventory.productId, product.id))).get()!.onHand;
  if (location.active && availableNow() > 0) requeueHeldOrders(tx, product.id, at);
  return { locationId: location.id, productId: product.id, sku: product.sku, received: o.qty, onHand, fills, availableAfter: Math.max(0, availableNow()) };
}

/**
 * Every fillable backorder of a ship-complete order, when this location can ship all of them now
 * (the received SKU from `available`, others from stock here) and the order has no live shipment
 * elsewhere; otherwise null: the order keeps waiting until one location can fill it.
 */
function shipCompleteFill(tx: Tx, orderId: number, locationId: number, receivedProductId: number, available: number, fillable: SQL | undefined) {
  const live = tx
    .select({ n: sql<number>`count(*)` })
    .from(shipments)
    .where(and(eq(shipments.orderId, orderId), ne(shipments.status, "cancelled")))
    .get()!.n;
  if (live > 0) return null;
  const whole = tx
    .select({ backorder: backorders, sku: orderLines.sku, name: orderLines.name })
    .from(backorders)
    .innerJoin(orders, eq(orders.id, backorders.orderId))
    .innerJoin(orderLines, eq(orderLines.id, backorders.orderLineId))
    .where(and(eq(backorders.orderId, orderId), fillable))
    .orderBy(asc(backorders.id))
    .all();
  const need = new Map<number, number>();
  for (const w of whole) need.set(w.backorder.productId, (need.get(w.backorder.productId) ?? 0) + w.backorder.qty);
  for (const [productId, qty] of need) {
    const have =
      productId === receivedProductId
        ? available
        : (tx
            .select({ a: sql<number>`max(0, ${inventory.onHand} - ${inventory.reserved} - ${inventory.safetyStock})` })
            .from(inventory)
            .where(and(eq(inventory.locationId, locationId), eq(inventory.productId, productId)))
            .get()?.a ?? 0);
    if (have < qty) return null;
  }
  return whole;
}

/** Orders held at routing for want of this SKU get another routing attempt now that it is in stock. */
function requeueHeldOrders(tx: Tx, productId: number, at: number): void {
  const held = tx
    .select({ orderId: alerts.orderId })
    .from(alerts)
    .innerJoin(orders, eq(orders.id, alerts.orderId))
    .where(
      and(
        eq(alerts.rule, "routing_held"),
        ne(alerts.status, "resolved"),
        eq(orders.status, "paid"),
        sql`EXISTS (SELECT 1 FROM ${orderLines} WHERE ${orderLines.orderId} = ${orders.id} AND ${orderLines.productId} = ${productId})`,
      ),
    )
    .all();
  for (const h of held) if (h.orderId) enqueueJob(tx, { kind: "route_order", key: `route:${h.orderId}`, payload: { orderId: h.orderId }, at });
}
