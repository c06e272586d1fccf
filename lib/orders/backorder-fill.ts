import { and, eq } from "drizzle-orm";
import { backorders } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../audit.ts";
import { carryAlert } from "../alerts/carry.ts";
import { DomainError } from "../errors.ts";
import { notifyCustomer } from "../notify/notify.ts";

export type Fill = { backorderId: number; orderId: number; orderNumber: string; qty: number; shipmentId: number; remaining: number };

type Backorder = typeof backorders.$inferSelect;

/**
 * Records that `qty` units of a pending backorder now ship in `shipmentId` (the caller reserved and
 * placed them). A partial fill keeps its place: the unfilled rest stays pending as a new row with the
 * original creation time, and the backorder's live alert follows it with its owner and note. The
 * customer is told, the timeline and the outbox hear of it.
 */
export function allocateBackorder(
  tx: Tx,
  a: { backorder: Backorder; qty: number; shipmentId: number; from: { id: number; code: string; name: string }; order: { number: string }; item: { sku: string; name: string }; actor: Actor; at: number; cause: string },
): Fill {
  const b = a.backorder;
  const remaining = b.qty - a.qty;
  const changed = tx
    .update(backorders)
    .set({ qty: a.qty, status: "allocated", updatedAt: a.at })
    .where(and(eq(backorders.id, b.id), eq(backorders.status, "pending"), eq(backorders.qty, b.qty)))
    .run().changes;
  if (changed === 0) throw new DomainError("conflict", `Backorder ${b.id} changed meanwhile; reload.`);
  if (remaining > 0) {
    const rest = tx
      .insert(backorders)
      .values({ orderId: b.orderId, orderLineId: b.orderLineId, productId: b.productId, qty: remaining, status: "pending", customerChoice: b.customerChoice, reason: b.reason, createdAt: b.createdAt, updatedAt: a.at })
      .returning({ id: backorders.id })
      .get().id;
    appendAudit(tx, { entityType: "backorder", entityId: rest, orderId: b.orderId, actor: a.actor, action: "backorder_remainder", toStatus: "pending", reason: `${remaining} × ${a.item.sku} still backordered after a partial fill of backorder ${b.id}`, data: { from: b.id, qty: remaining }, at: a.at });
    carryAlert(tx, { rule: "backorder_aged", from: `backorder:${b.id}`, to: `backorder:${rest}`, orderId: b.orderId, actor: a.actor, at: a.at, reason: `${a.qty} of ${b.qty} × ${a.item.sku} filled; the alert follows the ${remaining} still waiting.` });
  }
  notifyCustomer(tx, { orderId: b.orderId, notice: { kind: "backorder_allocated", items: [{ qty: a.qty, name: a.item.name }], from: a.from.name, stillBackordered: remaining }, at: a.at });
  appendAudit(tx, {
    entityType: "backorder",
    entityId: b.id,
    orderId: b.orderId,
    actor: a.actor,
    action: "backorder_allocated",
    fromStatus: "pending",
    toStatus: "allocated",
    reason: `${a.cause} at ${a.from.code}: ${a.qty} of ${b.qty} × ${a.item.sku}${remaining ? `, ${remaining} still backordered` : ""}`,
    data: { shipmentId: a.shipmentId, qty: a.qty, remaining, locationId: a.from.id },
    at: a.at,
  });
  enqueueOutbox(tx, { topic: "backorder.allocated", aggregateType: "order", aggregateId: b.orderId, payload: { backorderId: b.id, shipmentId: a.shipmentId, qty: a.qty }, at: a.at });
  return { backorderId: b.id, orderId: b.orderId, orderNumber: a.order.number, qty: a.qty, shipmentId: a.shipmentId, remaining };
}
