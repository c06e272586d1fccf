import { eq, sql } from "drizzle-orm";
import { orderLines, orders } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { formatMoney } from "../format.ts";
import { canTransition, transition, label } from "./state-machine.ts";
import { cancellableUnits, loadOrder } from "./aggregate.ts";
import { planCancellation, planOrderCancellation } from "./ledger.ts";
import { takeUnitsOut } from "./units.ts";
import { PARTIAL_CANCEL_STATUSES } from "./shipment-flow.ts";
import { loadLedger, recordCancellationRefund, releaseHeldRefunds, supersedeWaitingRequests } from "./refunds.ts";
import { derivedFulfilment, fulfilmentPath } from "./fulfilment.ts";
import { restockAfterCancel } from "../inventory/restock.ts";
import { notifyCustomer } from "../notify/notify.ts";

export type CancelOutcome = { orderId: number; status: string; refunded: number; held: number; cancelledUnits: number };

/**
 * Cancels a whole order as the status machine allows: every open unit comes out of fulfilment
 * (pending shipments cancelled, reservations released, backorders cancelled), requests waiting for finance
 * are closed and everything the customer is still owed is refunded (planOrderCancellation, which the
 * dialog shows). Refused with a conflict if the warehouse has already started on a shipment.
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
  const preview = planOrderCancellation(loadLedger(tx, order.id));
  supersedeWaitingRequests(tx, order.id, "the order was cancelled and everything paid is refunded", c.actor, c.at);
  releaseHeldRefunds(tx, order.id, c.actor, c.at);
  const open = agg.lines.map((l) => ({ orderLineId: l.id, qty: l.qtyOrdered - l.qtyCancelled })).filter((u) => u.qty > 0);
  const plan = planCancellation(loadLedger(tx, order.id), open);
  for (const u of open) takeUnitsOut(tx, agg, u.orderLineId, u.qty, { actor: c.actor, at: c.at, reason: c.reason });
  for (const line of agg.lines) tx.update(orderLines).set({ qtyCancelled: line.qtyOrdered }).where(eq(orderLines.id, line.id)).run();
  tx.update(orders).set({ ...plan.totals, updatedAt: c.at }).where(eq(orders.id, order.id)).run();
  const units = open.reduce((n, u) => n + u.qty, 0);
  transition(tx, { orderId: order.id, from: order.status, to: "cancelled", actor: c.actor, reason: c.reason, data: { units }, at: c.at });
  const refund = recordCancellationRefund(tx, { orderId: order.id, owed: plan.owed, items: plan.items, held: plan.held, reason: `Order cancelled: ${c.reason}`, actor: c.actor, at: c.at });
  const back = preview.released + (refund?.status === "approved" ? plan.owed : 0);
  const cancelledItems = open.map((u) => ({ qty: u.qty, name: agg.lines.find((l) => l.id === u.orderLineId)!.name }));
  const refunded = back > 0 ? { amount: back, currency: order.currency } : null;
  notifyCustomer(tx, { orderId: order.id, notice: { kind: "cancelled", items: cancelledItems, refunded, refundFollows: refund?.status === "on_hold" }, at: c.at });
  enqueueOutbox(tx, { topic: "order.cancelled", aggregateType: "order", aggregateId: order.id, payload: { orderId: order.id, refund: back }, at: c.at });
  restockAfterCancel(tx, agg, c);
  return { orderId: order.id, status: "cancelled", refunded: back, held: refund?.status === "on_hold" ? plan.owed : 0, cancelledUnits: units };
}

/**
 * Cancels some units of some lines: only units not yet with the warehouse (pending shipments,
 * backorders, unrouted). Totals shrink by the units' price and tax share; the customer is owed the value
 * of units no refund covers yet (planCancellation, which the dialog shows), paid now or held behind
 * requests waiting for finance. Cancelling everything still open makes a partially fulfilled order
 * fulfilled, and an order with nothing shipped cancelled.
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
  const plan = planCancellation(loadLedger(tx, order.id), wanted);
  for (const w of wanted) {
    takeUnitsOut(tx, agg, w.orderLineId, w.qty, { actor: c.actor, at: c.at, reason: c.reason, fromBackorderId: c.fromBackorderId });
    tx.update(orderLines).set({ qtyCancelled: sql`${orderLines.qtyCancelled} + ${w.qty}` }).where(eq(orderLines.id, w.orderLineId)).run();
    agg.lines.find((l) => l.id === w.orderLineId)!.qtyCancelled += w.qty;
  }
  const openAfter = agg.lines.reduce((n, l) => n + l.qtyOrdered - l.qtyCancelled, 0);
  tx.update(orders).set({ ...plan.totals, updatedAt: c.at }).where(eq(orders.id, order.id)).run();
  const items = wanted.map((w) => `${w.qty} × ${agg.lines.find((l) => l.id === w.orderLineId)!.sku}`).join(", ");
  appendAudit(tx, {
    entityType: "order",
    entityId: order.id,
    orderId: order.id,
    actor: c.actor,
    action: "lines_cancelled",
    reason: `${items} cancelled: ${c.reason}. New total ${formatMoney(plan.totals.total, order.currency)}.`,
    data: { lines: wanted, totals: plan.totals, owed: plan.owed, held: plan.held },
    at: c.at,
  });
  const refund = recordCancellationRefund(tx, { orderId: order.id, owed: plan.owed, items: plan.items, held: plan.held, reason: `Cancelled ${items}`, actor: c.actor, at: c.at });
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
  const paidNow = refund?.status === "approved" ? plan.owed : 0;
  const cancelledItems = wanted.map((w) => ({ qty: w.qty, name: agg.lines.find((l) => l.id === w.orderLineId)!.name }));
  const refunded = paidNow > 0 ? { amount: paidNow, currency: order.currency } : null;
  notifyCustomer(tx, { orderId: order.id, notice: { kind: "lines_cancelled", items: cancelledItems, refunded, refundFollows: !refunded && plan.held }, at: c.at });
  enqueueOutbox(tx, { topic: "order.lines_cancelled", aggregateType: "order", aggregateId: order.id, payload: { orderId: order.id, lines: wanted, refund: paidNow }, at: c.at });
  restockAfterCancel(tx, agg, c);
  return { orderId: order.id, status, refunded: paidNow, held: refund?.status === "on_hold" ? plan.owed : 0, cancelledUnits: wanted.reduce((n, w) => n + w.qty, 0) };
}
