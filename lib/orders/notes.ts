import { and, eq, ne } from "drizzle-orm";
import { backorders, notes, orders } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { appendAudit, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { cancelUnits } from "./cancel.ts";

export function addNote(tx: Tx, n: { orderId: number; body: string; actor: Actor; at: number }): { noteId: number } {
  const order = tx.select({ id: orders.id }).from(orders).where(eq(orders.id, n.orderId)).get();
  if (!order) throw new DomainError("not_found", `Order ${n.orderId} does not exist.`);
  const noteId = tx.insert(notes).values({ orderId: n.orderId, authorId: n.actor.id, body: n.body, createdAt: n.at }).returning({ id: notes.id }).get().id;
  appendAudit(tx, { entityType: "note", entityId: noteId, orderId: n.orderId, actor: n.actor, action: "note_added", at: n.at });
  return { noteId };
}

/** An agent records what the customer wants for a backorder: wait for it, or cancel those units (refunded). */
export function recordBackorderChoice(tx: Tx, c: { orderId: number; backorderId: number; choice: "wait" | "cancel"; actor: Actor; at: number }) {
  const b = tx.select().from(backorders).where(and(eq(backorders.id, c.backorderId), eq(backorders.orderId, c.orderId))).get();
  if (!b) throw new DomainError("not_found", `Backorder ${c.backorderId} is not on this order.`);
  if (b.status !== "pending") throw new DomainError("conflict", `That backorder is already ${b.status}; nothing to decide.`);
  const changed = tx
    .update(backorders)
    .set({ customerChoice: c.choice, updatedAt: c.at })
    .where(and(eq(backorders.id, b.id), eq(backorders.status, "pending"), ne(backorders.customerChoice, c.choice)))
    .run().changes;
  if (changed === 0) throw new DomainError("conflict", `The customer's choice is already recorded as ${c.choice}.`);
  appendAudit(tx, { entityType: "backorder", entityId: b.id, orderId: c.orderId, actor: c.actor, action: "backorder_choice", reason: `Customer chose to ${c.choice}`, data: { choice: c.choice }, at: c.at });
  if (c.choice === "cancel") return cancelUnits(tx, { orderId: c.orderId, lines: [{ orderLineId: b.orderLineId, qty: b.qty }], reason: "Customer chose to cancel the backordered units", actor: c.actor, at: c.at, fromBackorderId: b.id });
  return null;
}
