import type { Tx } from "../../../db/client.ts";
import { prepared } from "../../../db/raw.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../../audit.ts";
import { formatMoney } from "../../format.ts";
import { transition, label } from "../../orders/state-machine.ts";
import { IntakeRejection, type DomainEvent, type StepResult } from "../types.ts";
import { describeRef, findOrder, onOrder, refKey } from "./order-ref.ts";

type Captured = Extract<DomainEvent, { kind: "payment_captured" }>;
type Failed = Extract<DomainEvent, { kind: "payment_failed" }>;

/**
 * Payment captured: the order records what was paid and its payment intent, then walks pending →
 * payment_processing → paid through transition(), which queues routing in this same transaction.
 */
export function capturePayment(tx: Tx, e: Captured, actor: Actor, at: number): StepResult {
  const order = findOrder(tx, e.order) ?? findOrder(tx, { by: "payment_intent", value: e.paymentIntentId });
  if (!order) return { outcome: "parked", orderId: null, reason: `Waiting for ${describeRef(e.order)} to be placed.`, waitingFor: refKey(e.order) };
  if (order.paymentIntentId === e.paymentIntentId && order.paid > 0) return { outcome: "ignored", orderId: order.id, reason: `${order.number} is already paid by ${e.paymentIntentId}.` };
  if (order.paymentIntentId && order.paymentIntentId !== e.paymentIntentId && order.paid > 0) {
    throw new IntakeRejection(`${order.number} was already paid by ${order.paymentIntentId}; a second capture (${e.paymentIntentId}) must be refunded at the provider.`, order.id);
  }
  if (order.status !== "pending" && order.status !== "payment_processing") {
    throw new IntakeRejection(`${order.number} is ${label(order.status)}: a payment captured now must be refunded at the provider.`, order.id);
  }
  if (e.currency !== order.currency) {
    const message = `Paid in ${e.currency}, but ${order.number} is in ${order.currency}.`;
    throw new IntakeRejection(message, order.id, [{ pointer: "/currency", message }]);
  }
  if (e.amount !== order.total) {
    const message = `Paid ${formatMoney(e.amount, e.currency)}, but ${order.number} totals ${formatMoney(order.total, order.currency)}.`;
    throw new IntakeRejection(message, order.id, [{ pointer: "/amount", message }]);
  }
  prepared(tx, "UPDATE orders SET paid = ?, payment_intent_id = ?, updated_at = ? WHERE id = ?").run(e.amount, e.paymentIntentId, at, order.id);
  const reason = `Payment ${e.paymentIntentId} captured: ${formatMoney(e.amount, e.currency)}`;
  onOrder(order.id, () => {
    if (order.status === "pending") transition(tx, { orderId: order.id, from: "pending", to: "payment_processing", actor, reason, at });
    transition(tx, { orderId: order.id, from: "payment_processing", to: "paid", actor, reason, data: { paymentIntentId: e.paymentIntentId, amount: e.amount }, at });
  });
  return { outcome: "applied", orderId: order.id };
}

/**
 * A failed attempt keeps the order payable: the state machine has no way back from cancelled, and the
 * customer may retry with the same payment intent, so the failure is recorded (timeline, outbox) and the
 * status stays; an order that is never paid is caught by the payment-processing alert or cancelled by an agent.
 */
export function recordPaymentFailure(tx: Tx, e: Failed, actor: Actor, at: number): StepResult {
  const order = findOrder(tx, e.order) ?? findOrder(tx, { by: "payment_intent", value: e.paymentIntentId });
  if (!order) return { outcome: "parked", orderId: null, reason: `Waiting for ${describeRef(e.order)} to be placed.`, waitingFor: refKey(e.order) };
  if (order.paid > 0) return { outcome: "ignored", orderId: order.id, reason: `${order.number} is already paid; this failed attempt came before the one that succeeded.` };
  appendAudit(tx, { entityType: "order", entityId: order.id, orderId: order.id, actor, action: "payment_failed", reason: `Payment ${e.paymentIntentId} failed: ${e.message}`, data: { paymentIntentId: e.paymentIntentId }, at });
  enqueueOutbox(tx, { topic: "order.payment_failed", aggregateType: "order", aggregateId: order.id, payload: { orderId: order.id, paymentIntentId: e.paymentIntentId, message: e.message }, at });
  return { outcome: "applied", orderId: order.id };
}
