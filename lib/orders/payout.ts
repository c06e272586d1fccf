import type { Tx } from "../../db/client.ts";
import { addRefunded, setRefundStatus } from "../../db/queries/ledger.ts";
import { clearAttemptReference, notePendingRefund } from "../../db/queries/payouts.ts";
import { prepared } from "../../db/raw.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { formatMoney } from "../format.ts";
import { notifyCustomer } from "../notify/notify.ts";
import type { RefundAnswer } from "../payments/provider.ts";
import { coveredUnits, refundableNow } from "./ledger.ts";
import { loadLedger, queuePayout, releaseHeldRefunds } from "./refunds.ts";
import { transition } from "./state-machine.ts";

/** Who writes the provider's answers: the worker, on the provider's word. */
const PAYMENT_PROVIDER_ACTOR: Actor = { id: null, label: "payment provider" };

type PaidRefund = { id: number; orderId: number; status: string; amount: number; currency: string; customerMessage: string | null };

/**
 * The provider's answer to a payout, applied once in its own transaction: only a refund still `approved`
 * changes (a redelivered answer is a no-op). Succeeded: the order's refunded total grows under the guard,
 * the customer is told, `refund.succeeded` goes out, a fully refunded order becomes `refunded`. Failed:
 * the refund shows as failed for finance to retry, and its money and units are free again. Either way
 * refunds held behind it are released if they now fit. Pending: the provider's reference is kept and the
 * refund stays approved (still counted as waiting) until the provider's webhook concludes it.
 */
export function applyRefundAnswer(tx: Tx, a: { refundId: number; answer: RefundAnswer; provider: string; at: number }): "applied" | "already" {
  const refund = prepared(tx, "SELECT id, order_id AS orderId, status, amount, currency, customer_message AS customerMessage FROM refunds WHERE id = ?").get(a.refundId) as PaidRefund | undefined;
  if (!refund || refund.status !== "approved") return "already";
  const actor = PAYMENT_PROVIDER_ACTOR;
  if (a.answer.status === "pending") {
    if (!notePendingRefund(tx, refund.id, a.answer.reference)) return "already";
    appendAudit(tx, { entityType: "refund", entityId: refund.id, orderId: refund.orderId, actor, action: "refund_pending", reason: `${a.provider} accepted it as ${a.answer.reference}; it settles later`, at: a.at });
    return "applied";
  }
  if (a.answer.status === "failed") {
    prepared(tx, "UPDATE refunds SET status = 'failed', provider_ref = ?, failure_reason = ? WHERE id = ? AND status = 'approved'").run(a.answer.reference, a.answer.message ?? "refused by the provider", a.refundId);
    appendAudit(tx, { entityType: "refund", entityId: a.refundId, orderId: refund.orderId, actor, action: "refund_failed", fromStatus: "approved", toStatus: "failed", reason: `${a.provider}: ${a.answer.message ?? "refused"}`, at: a.at });
  } else {
    // Cannot fail while the ledger holds (approved counts as waiting); if it does, the delivery fails and is dead-lettered with an alert.
    if (!addRefunded(tx, refund.orderId, refund.amount, a.at)) throw new Error(`Refund ${refund.id} would exceed what order ${refund.orderId} paid; left approved for an admin.`);
    recordRefundSucceeded(tx, refund, { reference: a.answer.reference, how: `via ${a.provider} (${a.answer.reference})`, actor, at: a.at });
  }
  releaseHeldRefunds(tx, refund.orderId, actor, a.at);
  return "applied";
}

/**
 * What follows once a refund's money has left (orders.refunded already grown by the caller under its guard):
 * the refund succeeds, the customer is told, `refund.succeeded` goes out, a fully refunded order becomes
 * `refunded`. One writer for our own payouts and for refunds the provider reports.
 */
export function recordRefundSucceeded(
  tx: Tx,
  refund: Pick<PaidRefund, "id" | "orderId" | "amount" | "currency" | "customerMessage">,
  o: { reference: string; how: string; actor: Actor; at: number },
): void {
  const { actor } = o;
  const a = { at: o.at };
  prepared(tx, "UPDATE refunds SET status = 'succeeded', provider_ref = ?, completed_at = ? WHERE id = ?").run(o.reference, o.at, refund.id);
  const order = prepared(tx, "SELECT id, status, paid, refunded FROM orders WHERE id = ?").get(refund.orderId) as {
    id: number;
    status: string;
    paid: number;
    refunded: number;
  };
  const money = formatMoney(refund.amount, refund.currency);
  // The customer hears the amount, and the agent's own words only when they wrote some for them: internal reasons stay internal.
  notifyCustomer(tx, { orderId: order.id, notice: { kind: "refunded", refund: { amount: refund.amount, currency: refund.currency }, customerMessage: refund.customerMessage }, at: a.at });
  appendAudit(tx, { entityType: "refund", entityId: refund.id, orderId: order.id, actor, action: "refund_succeeded", fromStatus: "approved", toStatus: "succeeded", reason: `${money} ${o.how}`, at: a.at });
  enqueueOutbox(tx, { topic: "refund.succeeded", aggregateType: "order", aggregateId: order.id, payload: { refundId: refund.id, orderId: order.id, amount: refund.amount, currency: refund.currency }, at: a.at });
  if (order.refunded === order.paid && order.paid > 0 && (order.status === "fulfilled" || order.status === "delivered")) {
    transition(tx, { orderId: order.id, from: order.status, to: "refunded", actor, reason: "Fully refunded", data: { refundId: refund.id }, at: a.at });
  }
}

/**
 * Finance retries a payout the provider refused: back to `approved` and queued again with a new
 * idempotency key, if the money and its units are still free (the order may have changed since).
 */
export function retryFailedRefund(tx: Tx, r: { refundId: number; note: string; actor: Actor; at: number }): "approved" {
  const refund = prepared(tx, "SELECT id, order_id AS orderId, status, amount, currency FROM refunds WHERE id = ?").get(r.refundId) as PaidRefund | undefined;
  if (!refund) throw new DomainError("not_found", `Refund ${r.refundId} does not exist.`);
  if (refund.status !== "failed") throw new DomainError("conflict", `Refund ${r.refundId} is ${refund.status.replaceAll("_", " ")}, not failed; nothing to retry.`);
  const l = loadLedger(tx, refund.orderId);
  const free = refundableNow(l);
  if (refund.amount > free) throw new DomainError("conflict", `Only ${formatMoney(Math.max(0, free), refund.currency)} of this order can still be refunded (it changed since the refusal): ask for a new refund instead.`);
  const mine = l.refunds.find((x) => x.id === refund.id)!;
  for (const item of mine.items) {
    const line = item.orderLineId === null ? undefined : l.lines.find((x) => x.id === item.orderLineId);
    if (line && coveredUnits(l, line.id) + item.qty > line.qtyOrdered) throw new DomainError("conflict", `Units of ${line.sku} in this refund were refunded another way since: ask for a new refund instead.`);
  }
  if (!setRefundStatus(tx, { refundId: refund.id, from: "failed", to: "approved", at: r.at })) throw new DomainError("conflict", `Refund ${r.refundId} changed meanwhile.`);
  const previousReference = clearAttemptReference(tx, refund.id);
  const retries = (prepared(tx, "SELECT count(*) AS n FROM audit_events WHERE entity_type = 'refund' AND entity_id = ? AND action = 'refund_retried'").get(refund.id) as { n: number }).n;
  appendAudit(tx, { entityType: "refund", entityId: refund.id, orderId: refund.orderId, actor: r.actor, action: "refund_retried", fromStatus: "failed", toStatus: "approved", reason: r.note, data: { previousReference }, at: r.at });
  return queuePayout(tx, refund.id, r.at, retries + 1) as "approved";
}
