import { and, eq, sql } from "drizzle-orm";
import { customers, notifications, orders, refunds, settings, type RefundStatus } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { paymentProvider } from "../payments/provider.ts";
import { formatMoney } from "../format.ts";
import { transition } from "./state-machine.ts";
import { loadOrder } from "./aggregate.ts";
import { refundable } from "./money.ts";

export const DEFAULT_AGENT_REFUND_LIMIT = 10_000;

/** The most an agent may refund without finance (settings.agent_refund_limit, minor units). */
export function agentRefundLimit(tx: Tx): number {
  const row = tx.select({ value: settings.value }).from(settings).where(eq(settings.key, "agent_refund_limit")).get();
  const amount = (row?.value as { amount?: unknown } | undefined)?.amount;
  return typeof amount === "number" && amount >= 0 ? amount : DEFAULT_AGENT_REFUND_LIMIT;
}

type NewRefund = {
  orderId: number;
  amount: number;
  reason: string;
  actor: Actor;
  at: number;
  lines?: { orderLineId: number; qty: number }[];
  /** Over the agent limit and not approvable by the requester: wait for finance. */
  needsApproval?: boolean;
};

/**
 * Records a refund in the caller's transaction. Either it waits for finance (pending_approval) or it
 * is paid out at once through the payment provider, adding to orders.refunded under a guard that
 * never lets refunded exceed paid. A full refund of a fulfilled or delivered order makes it refunded.
 */
export function recordRefund(tx: Tx, r: NewRefund): { refundId: number; status: RefundStatus } {
  const agg = loadOrder(tx, r.orderId);
  const { order } = agg;
  const max = refundable(order, agg.pendingRefunds);
  if (r.amount <= 0) throw new DomainError("invalid_input", "A refund must be more than zero.");
  if (r.amount > max) {
    throw new DomainError("invalid_input", `At most ${formatMoney(max, order.currency)} of ${order.number} can still be refunded.`, { refundable: max });
  }
  const status: RefundStatus = r.needsApproval ? "pending_approval" : "approved";
  const refundId = tx
    .insert(refunds)
    .values({ orderId: r.orderId, amount: r.amount, currency: order.currency, reason: r.reason, status, lines: r.lines ?? null, requestedBy: r.actor.id, createdAt: r.at })
    .returning({ id: refunds.id })
    .get().id;
  appendAudit(tx, {
    entityType: "refund",
    entityId: refundId,
    orderId: r.orderId,
    actor: r.actor,
    action: r.needsApproval ? "refund_requested" : "refund_created",
    toStatus: status,
    reason: `${formatMoney(r.amount, order.currency)}: ${r.reason}`,
    data: { amount: r.amount, lines: r.lines ?? null },
    at: r.at,
  });
  if (r.needsApproval) return { refundId, status };
  return { refundId, status: payOut(tx, refundId, r.actor, r.at) };
}

/** Finance decides on a waiting refund. Approving pays it out; rejecting keeps the money where it is. */
export function decideRefund(tx: Tx, d: { refundId: number; orderId?: number; approve: boolean; note: string; actor: Actor; at: number }): RefundStatus {
  const refund = tx.select().from(refunds).where(eq(refunds.id, d.refundId)).get();
  if (!refund) throw new DomainError("not_found", `Refund ${d.refundId} does not exist.`);
  // Decided from an order's page: the refund must be that order's, or finance would be deciding on another one.
  if (d.orderId !== undefined && refund.orderId !== d.orderId) throw new DomainError("not_found", `Refund ${d.refundId} is not on this order.`);
  const to: RefundStatus = d.approve ? "approved" : "rejected";
  const changed = tx
    .update(refunds)
    .set({ status: to, decidedBy: d.actor.id, decisionNote: d.note, decidedAt: d.at })
    .where(and(eq(refunds.id, d.refundId), eq(refunds.status, "pending_approval")))
    .run().changes;
  if (changed === 0) throw new DomainError("conflict", `Refund ${d.refundId} is already ${refund.status.replaceAll("_", " ")}; nothing to decide.`);
  appendAudit(tx, {
    entityType: "refund",
    entityId: d.refundId,
    orderId: refund.orderId,
    actor: d.actor,
    action: d.approve ? "refund_approved" : "refund_rejected",
    fromStatus: "pending_approval",
    toStatus: to,
    reason: d.note,
    at: d.at,
  });
  return d.approve ? payOut(tx, d.refundId, d.actor, d.at) : "rejected";
}

function payOut(tx: Tx, refundId: number, actor: Actor, at: number): RefundStatus {
  const refund = tx.select().from(refunds).where(eq(refunds.id, refundId)).get()!;
  const answer = paymentProvider().refund({ orderId: refund.orderId, refundId, amount: refund.amount, currency: refund.currency, idempotencyKey: `refund-${refundId}` });
  if (answer.status === "failed") {
    tx.update(refunds).set({ status: "failed", providerRef: answer.reference }).where(eq(refunds.id, refundId)).run();
    appendAudit(tx, { entityType: "refund", entityId: refundId, orderId: refund.orderId, actor, action: "refund_failed", toStatus: "failed", reason: answer.message ?? null, at });
    return "failed";
  }
  const paid = tx
    .update(orders)
    .set({ refunded: sql`${orders.refunded} + ${refund.amount}`, updatedAt: at })
    .where(and(eq(orders.id, refund.orderId), sql`${orders.refunded} + ${refund.amount} <= ${orders.paid}`))
    .run().changes;
  if (paid === 0) throw new DomainError("conflict", "This refund would exceed what was paid; another refund went through first.");
  tx.update(refunds).set({ status: "succeeded", providerRef: answer.reference, completedAt: at }).where(eq(refunds.id, refundId)).run();
  const order = tx.select().from(orders).where(eq(orders.id, refund.orderId)).get()!;
  const customer = tx.select({ id: customers.id }).from(customers).where(eq(customers.id, order.customerId)).get()!;
  tx.insert(notifications)
    .values({
      orderId: order.id,
      customerId: customer.id,
      kind: "refunded",
      subject: `Refund of ${formatMoney(refund.amount, refund.currency)} for order ${order.number}`,
      body: `We refunded ${formatMoney(refund.amount, refund.currency)} to your original payment method (${refund.reason}).`,
      createdAt: at,
    })
    .run();
  appendAudit(tx, { entityType: "refund", entityId: refundId, orderId: order.id, actor, action: "refund_succeeded", toStatus: "succeeded", reason: `${formatMoney(refund.amount, refund.currency)} via ${paymentProvider().name} (${answer.reference})`, at });
  enqueueOutbox(tx, { topic: "refund.succeeded", aggregateType: "order", aggregateId: order.id, payload: { refundId, amount: refund.amount }, at });
  if (order.refunded === order.paid && order.paid > 0 && (order.status === "fulfilled" || order.status === "delivered")) {
    transition(tx, { orderId: order.id, from: order.status, to: "refunded", actor, reason: "Fully refunded", data: { refundId }, at });
  }
  return "succeeded";
}
