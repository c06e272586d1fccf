import { and, eq, sql } from "drizzle-orm";
import { notifications, orderLines, orders, refunds } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { formatMoney } from "../format.ts";
import { canTransition, transition, label } from "./state-machine.ts";
import { cancellableUnits, loadOrder, type OrderAggregate } from "./aggregate.ts";
import { afterCancellation, cancellationAmount } from "./money.ts";
import { takeUnitsOut } from "./units.ts";
import { PARTIAL_CANCEL_STATUSES } from "./shipment-flow.ts";
import { recordRefund } from "./refunds.ts";
import { derivedFulfilment, fulfilmentPath } from "./fulfilment.ts";
import { restockAfterCancel } from "../inventory/restock.ts";

export type CancelOutcome = { orderId: number; status: string; refunded: number; cancelledUnits: number };

/**
 * Cancels a whole order as the status machine allows: every open unit comes out of fulfilment
 * (pending shipments cancelled, reservations released, backorders cancelled), and what was paid is
 * refunded. Refused with a conflict if the warehouse has already started on a shipment.
 */
export function cancelOrder(tx: Tx, c: { orderId: number; reason: string; actor: Actor; at: number; expectedStatus?: string }): CancelOutcome {
  const agg = loadOrder(tx, c.orderId);
  const { order } = agg;
  if (c.expectedStatus && c.expectedStatus !== order.status) {
    throw new DomainError("conflict", `Order ${order.number} is now ${label(order.status)}, not ${label(c.expectedStatus as never)}: someone changed it. Reload and check.`);
  }
  if (!canTransition(order.status, "cancelled")) {
    throw new DomainError("invalid_transition", `A ${label(order.status)} order cannot be cancelled; cancel its unshipped lines instead, or refund it.`);
  }
  const started = agg.shipments.find((s) => s.status !== "pending" && s.status !== "cancelled");
  if (started) throw new DomainError("conflict", `Shipment #${started.id} is already ${started.status}: the order can no longer be cancelled whole. Cancel the lines still pending instead.`);
  let units = 0;
  for (const line of agg.lines) {
    const open = line.qtyOrdered - line.qtyCancelled;
    if (open > 0) takeUnitsOut(tx, agg, line.id, open, { actor: c.actor, at: c.at, reason: c.reason });
    tx.update(orderLines).set({ qtyCancelled: line.qtyOrdered }).where(eq(orderLines.id, line.id)).run();
    units += open;
  }
  transition(tx, { orderId: order.id, from: order.status, to: "cancelled", actor: c.actor, reason: c.reason, data: { units }, at: c.at });
  // A cancellation refunds everything still held, so refund requests waiting for finance are superseded.
  for (const r of tx.select().from(refunds).where(and(eq(refunds.orderId, order.id), eq(refunds.status, "pending_approval"))).all()) {
    tx.update(refunds).set({ status: "rejected", decisionNote: "Superseded: the order was cancelled and fully refunded", decidedAt: c.at }).where(eq(refunds.id, r.id)).run();
    appendAudit(tx, { entityType: "refund", entityId: r.id, orderId: order.id, actor: c.actor, action: "refund_superseded", fromStatus: "pending_approval", toStatus: "rejected", reason: "Order cancelled with a full refund", at: c.at });
  }
  const refund = order.paid - order.refunded;
  if (refund > 0) recordRefund(tx, { orderId: order.id, amount: refund, reason: `Order cancelled: ${c.reason}`, actor: c.actor, at: c.at });
  notify(tx, agg, c.at, "cancelled", `Order ${order.number} is cancelled`, `Your order was cancelled${refund > 0 ? ` and ${formatMoney(refund, order.currency)} refunded` : ""}.`);
  enqueueOutbox(tx, { topic: "order.cancelled", aggregateType: "order", aggregateId: order.id, payload: { orderId: order.id, refund }, at: c.at });
  restockAfterCancel(tx, agg, c);
  return { orderId: order.id, status: "cancelled", refunded: Math.max(0, refund), cancelledUnits: units };
}

/**
 * Cancels some units of some lines: only units not yet with the warehouse (pending shipments,
 * backorders, unrouted). Totals shrink by the units' price and tax share; a paid order gets that
 * refunded. Cancelling everything still open makes a partially fulfilled order fulfilled, and an
 * order with nothing shipped cancelled.
 */
export function cancelUnits(
  tx: Tx,
  c: { orderId: number; lines: { orderLineId: number; qty: number }[]; reason: string; actor: Actor; at: number; expectedStatus?: string; fromBackorderId?: number },
): CancelOutcome {
  const agg = loadOrder(tx, c.orderId);
  const { order } = agg;
  if (c.expectedStatus && c.expectedStatus !== order.status) {
    throw new DomainError("conflict", `Order ${order.number} is now ${label(order.status)}: someone changed it. Reload and check.`);
  }
  if (!PARTIAL_CANCEL_STATUSES.includes(order.status)) throw new DomainError("invalid_transition", `Lines of a ${label(order.status)} order cannot be cancelled.`);
  const wanted = c.lines.filter((l) => l.qty > 0);
  if (wanted.length === 0) throw new DomainError("invalid_input", "Choose at least one unit to cancel.");
  for (const w of wanted) {
    const line = agg.lines.find((l) => l.id === w.orderLineId);
    if (!line) throw new DomainError("invalid_input", `Line ${w.orderLineId} is not on order ${order.number}.`);
    const can = cancellableUnits(agg, line.id);
    if (w.qty > can) throw new DomainError(can === 0 ? "conflict" : "invalid_input", `Only ${can} unit(s) of ${line.sku} can still be cancelled (the rest is cancelled or with the warehouse).`);
  }
  const openAfter = agg.lines.reduce((n, l) => n + l.qtyOrdered - l.qtyCancelled, 0) - wanted.reduce((n, w) => n + w.qty, 0);
  const cut = cancellationAmount(
    order,
    wanted.map((w) => ({ unitPrice: agg.lines.find((l) => l.id === w.orderLineId)!.unitPrice, qty: w.qty })),
    openAfter === 0,
  );
  for (const w of wanted) {
    takeUnitsOut(tx, agg, w.orderLineId, w.qty, { actor: c.actor, at: c.at, reason: c.reason, fromBackorderId: c.fromBackorderId });
    tx.update(orderLines).set({ qtyCancelled: sql`${orderLines.qtyCancelled} + ${w.qty}` }).where(eq(orderLines.id, w.orderLineId)).run();
    agg.lines.find((l) => l.id === w.orderLineId)!.qtyCancelled += w.qty;
  }
  const { totals, refund } = afterCancellation(order, cut, agg.pendingRefunds);
  tx.update(orders).set({ ...totals, updatedAt: c.at }).where(eq(orders.id, order.id)).run();
  const items = wanted.map((w) => `${w.qty} × ${agg.lines.find((l) => l.id === w.orderLineId)!.sku}`).join(", ");
  appendAudit(tx, {
    entityType: "order",
    entityId: order.id,
    orderId: order.id,
    actor: c.actor,
    action: "lines_cancelled",
    reason: `${items} cancelled: ${c.reason}. New total ${formatMoney(totals.total, order.currency)}.`,
    data: { lines: wanted, cut, totals },
    at: c.at,
  });
  if (refund > 0) recordRefund(tx, { orderId: order.id, amount: refund, reason: `Cancelled ${items}`, actor: c.actor, at: c.at, lines: wanted });
  let status: string = order.status;
  const fulfilment = derivedFulfilment(agg.lines, agg.shipments);
  if (openAfter === 0 && fulfilment === null) {
    transition(tx, { orderId: order.id, from: order.status, to: "cancelled", actor: c.actor, reason: "Every unit cancelled", at: c.at });
    status = "cancelled";
  } else {
    for (const to of fulfilmentPath(order.status, fulfilment)) {
      transition(tx, { orderId: order.id, from: status as never, to, actor: c.actor, reason: "Remaining units cancelled; everything else has shipped", at: c.at });
      status = to;
    }
  }
  notify(tx, agg, c.at, "lines_cancelled", `Part of order ${order.number} is cancelled`, `${items} cancelled${refund > 0 ? `; ${formatMoney(refund, order.currency)} refunded` : ""}.`);
  enqueueOutbox(tx, { topic: "order.lines_cancelled", aggregateType: "order", aggregateId: order.id, payload: { orderId: order.id, lines: wanted, refund }, at: c.at });
  restockAfterCancel(tx, agg, c);
  return { orderId: order.id, status, refunded: refund, cancelledUnits: wanted.reduce((n, w) => n + w.qty, 0) };
}

export function notify(tx: Tx, agg: OrderAggregate, at: number, kind: string, subject: string, body: string): void {
  tx.insert(notifications).values({ orderId: agg.order.id, customerId: agg.order.customerId, kind, subject, body, createdAt: at }).run();
}
