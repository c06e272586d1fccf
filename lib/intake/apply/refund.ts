import type { Tx } from "../../../db/client.ts";
import { prepared } from "../../../db/raw.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../../audit.ts";
import { formatMoney } from "../../format.ts";
import { transition } from "../../orders/state-machine.ts";
import { IntakeRejection, type DomainEvent, type StepResult } from "../types.ts";
import { describeRef, findOrder, orderById, orderKey, refKey } from "./order-ref.ts";

type RefundSucceeded = Extract<DomainEvent, { kind: "refund_succeeded" }>;
type ProviderRefund = RefundSucceeded["refunds"][number];

/**
 * Refunds the provider reports as done. Each is recorded once (by provider refund id, whichever event
 * carried it first, or a refund we paid out ourselves that came back); one not yet coverable by what
 * was paid waits for the payment.
 */
export function recordProviderRefunds(tx: Tx, e: RefundSucceeded, actor: Actor, at: number): StepResult {
  const order = findOrder(tx, e.order);
  if (!order) return { outcome: "parked", orderId: null, reason: `Waiting for ${describeRef(e.order)}: its payment has not been recorded yet.`, waitingFor: refKey(e.order) };
  let recorded = 0;
  for (const r of e.refunds) {
    const outcome = recordProviderRefund(tx, order.id, r, actor, at);
    if (outcome === "waiting") return { outcome: "parked", orderId: order.id, reason: `Refund ${r.providerRefundId} is more than ${order.number} has paid so far; waiting for its payment.`, waitingFor: orderKey(order.id) };
    if (outcome === "recorded") recorded += 1;
  }
  if (recorded === 0) return { outcome: "ignored", orderId: order.id, reason: `Refund${e.refunds.length > 1 ? "s" : ""} ${e.refunds.map((r) => r.providerRefundId).join(", ")} already recorded.` };
  return { outcome: "applied", orderId: order.id };
}

/**
 * The one writer of a provider-reported refund: kind "amount", status succeeded, the provider's reference,
 * idempotent by that reference. It never calls the payment provider: the money has already left.
 */
function recordProviderRefund(tx: Tx, orderId: number, r: ProviderRefund, actor: Actor, at: number): "recorded" | "already" | "waiting" {
  const order = orderById(tx, orderId)!;
  if (prepared(tx, "SELECT 1 FROM refunds WHERE order_id = ? AND provider_ref = ?").get(orderId, r.providerRefundId)) return "already";
  if (r.currency !== order.currency) throw new IntakeRejection(`Refund ${r.providerRefundId} is in ${r.currency}, but ${order.number} is in ${order.currency}.`, orderId);
  if (r.amount <= 0) throw new IntakeRejection(`Refund ${r.providerRefundId} is not a positive amount.`, orderId);
  if (order.refunded + r.amount > order.paid) {
    if (order.paid === 0) return "waiting";
    throw new IntakeRejection(`Refund ${r.providerRefundId} of ${formatMoney(r.amount, r.currency)} exceeds what ${order.number} has left to refund (${formatMoney(order.paid - order.refunded, order.currency)}).`, orderId);
  }
  const refundId = (
    prepared(
      tx,
      `INSERT INTO refunds (order_id, amount, currency, reason, status, kind, provider_ref, created_at, completed_at) VALUES (?, ?, ?, ?, 'succeeded', 'amount', ?, ?, ?) RETURNING id`,
    ).get(orderId, r.amount, r.currency, r.reason, r.providerRefundId, at, at) as { id: number }
  ).id;
  prepared(tx, "UPDATE orders SET refunded = refunded + ?, updated_at = ? WHERE id = ?").run(r.amount, at, orderId);
  const money = formatMoney(r.amount, r.currency);
  appendAudit(tx, { entityType: "refund", entityId: refundId, orderId, actor, action: "refund_succeeded", toStatus: "succeeded", reason: `${money} refunded at the provider (${r.providerRefundId}): ${r.reason}`, at });
  prepared(tx, "INSERT INTO notifications (order_id, customer_id, kind, subject, body, created_at) SELECT id, customer_id, 'refunded', ?, ?, ? FROM orders WHERE id = ?").run(
    `Refund of ${money} for order ${order.number}`,
    `We refunded ${money} to your original payment method.`,
    at,
    orderId,
  );
  enqueueOutbox(tx, { topic: "refund.succeeded", aggregateType: "order", aggregateId: orderId, payload: { refundId, amount: r.amount, providerRef: r.providerRefundId }, at });
  const after = order.refunded + r.amount;
  if (after === order.paid && (order.status === "fulfilled" || order.status === "delivered")) {
    transition(tx, { orderId, from: order.status, to: "refunded", actor, reason: "Fully refunded", data: { refundId }, at });
  }
  return "recorded";
}
