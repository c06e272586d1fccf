import type { Tx } from "../../../db/client.ts";
import { addRefunded, insertRefund } from "../../../db/queries/ledger.ts";
import { findOwnRefund, type OwnRefund } from "../../../db/queries/payouts.ts";
import type { Actor } from "../../audit.ts";
import { formatMoney } from "../../format.ts";
import { applyRefundAnswer, recordRefundSucceeded } from "../../orders/payout.ts";
import { IntakeRejection, type DomainEvent, type StepResult } from "../types.ts";
import { describeRef, findOrder, orderById, orderKey, refKey } from "./order-ref.ts";

type RefundSucceeded = Extract<DomainEvent, { kind: "refund_succeeded" }>;
type RefundFailed = Extract<DomainEvent, { kind: "refund_failed" }>;
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
  const own = findOwnRefund(tx, { orderId, providerRef: r.providerRefundId, refundId: r.ourRefundId ?? null });
  if (own) return concludeOwnRefund(tx, own, r, at);
  if (r.ourRefundId) throw new IntakeRejection(`Refund ${r.providerRefundId} names our refund ${r.ourRefundId}, which is not one of ${order.number}'s: check it at the provider.`, orderId);
  if (r.currency !== order.currency) throw new IntakeRejection(`Refund ${r.providerRefundId} is in ${r.currency}, but ${order.number} is in ${order.currency}.`, orderId);
  if (r.amount <= 0) throw new IntakeRejection(`Refund ${r.providerRefundId} is not a positive amount.`, orderId);
  if (order.refunded + r.amount > order.paid) {
    if (order.paid === 0) return "waiting";
    throw new IntakeRejection(`Refund ${r.providerRefundId} of ${formatMoney(r.amount, r.currency)} exceeds what ${order.number} has left to refund (${formatMoney(order.paid - order.refunded, order.currency)}).`, orderId);
  }
  const refundId = insertRefund(tx, { orderId, kind: "amount", status: "approved", amount: r.amount, currency: r.currency, reason: r.reason, requestedBy: null, at, items: [] });
  addRefunded(tx, orderId, r.amount, at);
  recordRefundSucceeded(tx, { id: refundId, orderId, amount: r.amount, currency: r.currency, customerMessage: null }, { reference: r.providerRefundId, how: `refunded at the provider (${r.providerRefundId}): ${r.reason}`, actor, at });
  return "recorded";
}

/**
 * A refund we paid out ourselves, reported back by the provider: never a second refund. Already concluded
 * under this reference: nothing to do. Still `approved` (the provider settled it later, or our worker had not
 * applied its answer yet): concluded here by the same success writer as the worker's. Anything else means
 * money left that we do not show as paid: refused, so it shows on the order's timeline for a person.
 */
function concludeOwnRefund(tx: Tx, own: OwnRefund, r: ProviderRefund, at: number): "recorded" | "already" {
  if (own.status === "succeeded" && own.providerRef === r.providerRefundId) return "already";
  if (own.status !== "approved") {
    throw new IntakeRejection(`The provider reports ${r.providerRefundId} as our refund ${own.id}, which is ${own.status.replaceAll("_", " ")}${own.providerRef ? ` (${own.providerRef})` : ""}: check it at the provider.`, own.orderId);
  }
  if (r.amount !== own.amount || r.currency !== own.currency) {
    throw new IntakeRejection(`The provider reports ${formatMoney(r.amount, r.currency)} as ${r.providerRefundId} for our refund ${own.id} of ${formatMoney(own.amount, own.currency)}: check it at the provider.`, own.orderId);
  }
  // The worker's own writer, as if the payout's answer had come back: succeeded once, held refunds released.
  applyRefundAnswer(tx, { refundId: own.id, answer: { status: "succeeded", reference: r.providerRefundId }, provider: "the provider's webhook", at });
  return "recorded";
}

/**
 * A refund that failed at the provider. Our payout still approved under that very reference (Stripe answered
 * `pending`, then failed it) becomes failed through the worker's own writer, for finance to see and retry.
 * Matched by reference only: a retry clears the old attempt's reference, so a late word about it cannot fail
 * the new one. Any other failed refund moved no money, and nothing changes.
 */
export function recordProviderRefundFailure(tx: Tx, e: RefundFailed, at: number): StepResult {
  const order = findOrder(tx, e.order);
  if (!order) return { outcome: "ignored", orderId: null, reason: `Refund ${e.providerRefundId} failed at the provider for ${describeRef(e.order)}, which is not ours: no money moved.` };
  const own = findOwnRefund(tx, { orderId: order.id, providerRef: e.providerRefundId, refundId: null });
  if (!own || own.status !== "approved") return { outcome: "ignored", orderId: order.id, reason: `Refund ${e.providerRefundId} failed at the provider; no payout of ours waits on it, and no money moved.` };
  applyRefundAnswer(tx, { refundId: own.id, answer: { status: "failed", reference: e.providerRefundId, message: e.message }, provider: "the provider's webhook", at });
  return { outcome: "applied", orderId: order.id };
}
