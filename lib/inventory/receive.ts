import { and, desc, eq, ne, sql } from "drizzle-orm";
import { alerts, inventory, locations, orderLines, orders, products, stockReceipts } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { appendAudit, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { enqueueJob } from "../jobs.ts";
import type { Fill } from "../orders/backorder-fill.ts";
import { fillBackorders, offerFreedStock } from "./restock.ts";

export type ReceiveResult = { locationId: number; productId: number; sku: string; received: number; onHand: number; fills: Fill[]; availableAfter: number; receiptId: number | null };

/** "po-1 " and "PO-1" are one delivery reference. */
function receiptReference(reference: string | undefined): string | null {
  const r = reference?.trim().toUpperCase();
  return r ? r : null;
}

/**
 * Receives stock at a location, then hands what is available to the oldest pending backorders of
 * that SKU first (FIFO), partial fills allowed (lib/inventory/restock.ts). A reference already booked
 * here for this SKU is refused as a conflict naming when and by whom, unless `override` says the
 * second delivery is real; the receipt row makes the refusal checkable.
 */
export function receiveStock(
  tx: Tx,
  o: { locationId: number; sku: string; qty: number; actor: Actor; at: number; reference?: string; override?: boolean },
): ReceiveResult {
  const { at, actor } = o;
  const location = tx.select().from(locations).where(eq(locations.id, o.locationId)).get();
  if (!location) throw new DomainError("not_found", `Location ${o.locationId} does not exist.`);
  if (location.kind === "dropship") throw new DomainError("invalid_input", `${location.name} is a dropship supplier; it holds no stock of ours.`);
  const product = tx.select().from(products).where(eq(products.sku, o.sku.trim().toUpperCase())).get();
  if (!product) throw new DomainError("not_found", `No product has SKU ${o.sku}.`);
  const reference = receiptReference(o.reference);
  // Keyed by SKU too: one delivery note covers several SKUs, each booked on its own.
  const earlier = reference
    ? tx
        .select()
        .from(stockReceipts)
        .where(and(eq(stockReceipts.locationId, location.id), eq(stockReceipts.reference, reference), eq(stockReceipts.productId, product.id)))
        .orderBy(desc(stockReceipts.createdAt), desc(stockReceipts.id))
        .get()
    : undefined;
  if (earlier && !o.override) {
    throw new DomainError(
      "conflict",
      `Reference ${reference} was already booked at ${location.name} for ${product.sku}: ${earlier.qty} unit(s) on ${new Date(earlier.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC by ${earlier.actorLabel}. Book it again only if this is a second delivery.`,
      { duplicateOf: earlier.id },
    );
  }

  tx.insert(inventory)
    .values({ locationId: location.id, productId: product.id, onHand: o.qty, reserved: 0, safetyStock: 0, updatedAt: at })
    .onConflictDoUpdate({ target: [inventory.locationId, inventory.productId], set: { onHand: sql`${inventory.onHand} + ${o.qty}`, updatedAt: at } })
    .run();
  const receiptId = reference
    ? tx
        .insert(stockReceipts)
        .values({ locationId: location.id, reference, productId: product.id, sku: product.sku, qty: o.qty, actorId: actor.id, actorLabel: actor.label, override: !!earlier, createdAt: at })
        .returning({ id: stockReceipts.id })
        .get().id
    : null;
  appendAudit(tx, {
    entityType: "inventory",
    entityId: product.id,
    actor,
    action: "stock_received",
    reason: reference,
    data: { locationId: location.id, sku: product.sku, qty: o.qty, receiptId, ...(earlier ? { bookedAgainDespite: earlier.id } : {}) },
    at,
  });

  // An inactive location takes the delivery onto its books but ships nothing from it (fillBackorders skips it).
  const cause = `Restock${reference ? ` ${reference}` : ""}`;
  const filled = fillBackorders(tx, { locationId: location.id, productId: product.id, actor, at, cause });
  const fills = [...filled.fills, ...offerFreedStock(tx, filled.freed, { actor, at, cause: `Stock freed by ${cause}` })];
  const row = tx.select().from(inventory).where(and(eq(inventory.locationId, location.id), eq(inventory.productId, product.id))).get()!;
  const availableAfter = Math.max(0, row.onHand - row.reserved - row.safetyStock);
  if (location.active && availableAfter > 0) requeueHeldOrders(tx, product.id, at);
  return { locationId: location.id, productId: product.id, sku: product.sku, received: o.qty, onHand: row.onHand, fills, availableAfter, receiptId };
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
