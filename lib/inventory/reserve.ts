import { and, eq, sql } from "drizzle-orm";
import { inventory } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";
import { DomainError } from "../errors.ts";

/**
 * Reserves units only while available (on_hand − reserved − safety stock) stays ≥ 0: the guard is
 * in the UPDATE itself, so two routers can never take the same unit. Throws insufficient_stock.
 */
export function reserveStock(tx: Tx, o: { locationId: number; productId: number; qty: number; at: number }): void {
  const changed = prepared(
    tx,
    "UPDATE inventory SET reserved = reserved + ?, updated_at = ? WHERE location_id = ? AND product_id = ? AND on_hand - reserved - safety_stock >= ?",
  ).run(o.qty, o.at, o.locationId, o.productId, o.qty).changes;
  if (changed === 0) {
    throw new DomainError("insufficient_stock", `Location ${o.locationId} no longer has ${o.qty} unit(s) of product ${o.productId} available.`, o);
  }
}

/** Gives reserved units back (cancel, move, split); never below zero. */
export function releaseStock(tx: Tx, o: { locationId: number; productId: number; qty: number; at: number }): void {
  const changed = tx
    .update(inventory)
    .set({ reserved: sql`${inventory.reserved} - ${o.qty}`, updatedAt: o.at })
    .where(and(eq(inventory.locationId, o.locationId), eq(inventory.productId, o.productId), sql`${inventory.reserved} >= ${o.qty}`))
    .run().changes;
  if (changed === 0) throw new DomainError("conflict", `Reservation of product ${o.productId} at location ${o.locationId} is smaller than ${o.qty}.`, o);
}
