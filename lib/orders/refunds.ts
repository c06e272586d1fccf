import type { Tx } from "../../db/client.ts";
import { insertRefund, readLedger, readRefundLimits, setRefundStatus, shrinkRefundItems, type LedgerRows } from "../../db/queries/ledger.ts";
import { prepared } from "../../db/raw.ts";
import type { RefundKind, RefundStatus } from "../../db/schema/index.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { formatMoney } from "../format.ts";
import { needsFinance, planHeldReleases, planOwedAfterRejection, planUnitsRefund, refundableNow, waitingTotal, type Ledger, type LedgerItem, type Units } from "./ledger.ts";

/** The order's refund account, read inside the caller's transaction. */
export function loadLedger(tx: Tx, orderId: number): Ledger & { rows: LedgerRows } {
  const rows = readLedger(tx, orderId);
  if (!rows) throw new DomainError("not_found", `Order ${orderId} does not exist.`);
  return { order: rows.order, lines: rows.lines, refunds: rows.refunds, rows };
}

export type RefundRequest = {
  orderId: number;
  reason: string;
  /** Sent to the customer with the refund; the reason above stays internal. */
  customerMessage?: string | null;
  actor: Actor;
  at: number;
  /** Finance and admins refund without waiting for approval. */
  mayApprove: boolean;
} & ({ amount: number; lines?: undefined } | { lines: Units; amount?: undefined });

/**
 * A refund by amount or by units, as an agent or finance asks for it: checked against what is still
 * refundable and, for units, against the one account per line (a unit is refunded at most once). Over the
 * agent limit (cumulative per order and currency) it waits for finance; otherwise it is queued for payout.
 */
export function requestRefund(tx: Tx, r: RefundRequest): { refundId: number; status: RefundStatus; amount: number } {
  const l = loadLedger(tx, r.orderId);
  let kind: RefundKind = "amount";
  let items: LedgerItem[] = [];
  let amount: number;
  if (r.lines) {
    const plan = planUnitsRefund(l, r.lines);
    if (plan.problems.length) throw new DomainError(plan.problems.some((p) => p.includes("already")) ? "conflict" : "invalid_input", plan.problems.join(" "));
    ({ amount, items } = plan);
    kind = "units";
  } else {
    amount = r.amount;
  }
  if (amount <= 0) throw new DomainError("invalid_input", "A refund must be more than zero.");
  const max = refundableNow(l);
  if (amount > max) {
    throw new DomainError("invalid_input", `At most ${formatMoney(max, l.order.currency)} of ${l.rows.order.number} can still be refunded.`, { refundable: max });
  }
  const waits = needsFinance(l, amount, readRefundLimits(tx), r.mayApprove);
  const status: RefundStatus = waits ? "pending_approval" : "approved";
  const refundId = insertRefund(tx, { orderId: r.orderId, kind, status, amount, currency: l.order.currency, reason: r.reason, requestedBy: r.actor.id, at: r.at, items });
  if (r.customerMessage) prepared(tx, "UPDATE refunds SET customer_message = ? WHERE id = ?").run(r.customerMessage, refundId);
  appendAudit(tx, {
    entityType: "refund",
    entityId: refundId,
    orderId: r.orderId,
    actor: r.actor,
    action: waits ? "refund_requested" : "refund_created",
    toStatus: status,
    reason: `${formatMoney(amount, l.order.currency)}: ${r.reason}`,
    data: { amount, kind, items },
    at: r.at,
  });
  return { refundId, status: waits ? status : queuePayout(tx, refundId, r.at), amount };
}

/**
 * The refund a cancellation owes (planned by planCancellation): never subject to the agent limit. Paid
 * now, or held when requests waiting for finance hold the money; a held refund is released when they are
 * decided. Returns the refund's id, or null when nothing is owed.
 */
export function recordCancellationRefund(
  tx: Tx,
  c: { orderId: number; owed: number; items: LedgerItem[]; held: boolean; reason: string; actor: Actor; at: number },
): { refundId: number; status: RefundStatus } | null {
  if (c.owed <= 0) return null;
  const currency = (prepared(tx, "SELECT currency FROM orders WHERE id = ?").get(c.orderId) as { currency: string }).currency;
  const status: RefundStatus = c.held ? "on_hold" : "approved";
  const refundId = insertRefund(tx, { orderId: c.orderId, kind: "cancellation", status, amount: c.owed, currency, reason: c.reason, requestedBy: c.actor.id, at: c.at, items: c.items });
  appendAudit(tx, {
    entityType: "refund",
    entityId: refundId,
    orderId: c.orderId,
    actor: c.actor,
    action: c.held ? "refund_held" : "refund_created",
    toStatus: status,
    reason: c.held
      ? `${formatMoney(c.owed, currency)} owed for cancelled units, held: requests waiting for finance hold the money. Paid when they are decided.`
      : `${formatMoney(c.owed, currency)}: ${c.reason}`,
    data: { amount: c.owed, kind: "cancellation", items: c.items },
    at: c.at,
  });
  return { refundId, status: c.held ? status : queuePayout(tx, refundId, c.at) };
}

/**
 * Finance decides on a waiting refund, checked against the order as it is now: approving pays it out if
 * the money is still there. Either way, refunds held behind it are then released.
 */
export function decideRefund(tx: Tx, d: { refundId: number; orderId?: number; approve: boolean; note: string; actor: Actor; at: number }): RefundStatus {
  const refund = prepared(tx, "SELECT id, order_id AS orderId, status, amount, currency FROM refunds WHERE id = ?").get(d.refundId) as
    | { id: number; orderId: number; status: RefundStatus; amount: number; currency: string }
    | undefined;
  if (!refund) throw new DomainError("not_found", `Refund ${d.refundId} does not exist.`);
  // Decided from an order's page: the refund must be that order's, or finance would be deciding on another one.
  if (d.orderId !== undefined && refund.orderId !== d.orderId) throw new DomainError("not_found", `Refund ${d.refundId} is not on this order.`);
  if (refund.status !== "pending_approval") throw new DomainError("conflict", `Refund ${d.refundId} is already ${refund.status.replaceAll("_", " ")}; nothing to decide.`);
  if (d.approve) {
    const l = loadLedger(tx, refund.orderId);
    const free = l.order.paid - l.order.refunded - (waitingTotal(l) - refund.amount);
    if (refund.amount > free) {
      throw new DomainError("conflict", `Only ${formatMoney(Math.max(0, free), refund.currency)} of this order can still be refunded (it changed since the request): reject it and ask for a new one.`);
    }
  }
  const to: RefundStatus = d.approve ? "approved" : "rejected";
  if (!setRefundStatus(tx, { refundId: d.refundId, from: "pending_approval", to, decidedBy: d.actor.id, note: d.note, at: d.at })) {
    throw new DomainError("conflict", `Refund ${d.refundId} was decided by someone else meanwhile.`);
  }
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
  const status = d.approve ? queuePayout(tx, d.refundId, d.at) : "rejected";
  if (!d.approve) {
    // Units this request alone covered and that were cancelled meanwhile are now owed: never silent.
    const l = loadLedger(tx, refund.orderId);
    const owed = planOwedAfterRejection(l, l.refunds.find((r) => r.id === d.refundId)!);
    recordCancellationRefund(tx, { orderId: refund.orderId, ...owed, reason: `Cancelled units no longer covered by rejected request #${d.refundId}`, actor: d.actor, at: d.at });
  }
  releaseHeldRefunds(tx, refund.orderId, d.actor, d.at);
  return status;
}

/** Closes requests waiting for finance without paying them (a whole-order cancellation refunds everything). */
export function supersedeWaitingRequests(tx: Tx, orderId: number, why: string, actor: Actor, at: number): number[] {
  const ids = (prepared(tx, "SELECT id FROM refunds WHERE order_id = ? AND status = 'pending_approval' ORDER BY id").all(orderId) as { id: number }[]).map((r) => r.id);
  for (const id of ids) {
    setRefundStatus(tx, { refundId: id, from: "pending_approval", to: "rejected", decidedBy: null, note: `Superseded: ${why}`, at });
    appendAudit(tx, { entityType: "refund", entityId: id, orderId, actor, action: "refund_superseded", fromStatus: "pending_approval", toStatus: "rejected", reason: why, at });
  }
  return ids;
}

/** Pays (or closes) refunds held for cancelled units once the money that held them is free. */
export function releaseHeldRefunds(tx: Tx, orderId: number, actor: Actor, at: number): void {
  for (const r of planHeldReleases(loadLedger(tx, orderId))) {
    const currency = (prepared(tx, "SELECT currency FROM refunds WHERE id = ?").get(r.refundId) as { currency: string }).currency;
    if (r.action === "close") {
      setRefundStatus(tx, { refundId: r.refundId, from: "on_hold", to: "rejected", decidedBy: null, note: "Nothing left to refund: the customer already has everything they paid back.", at });
      appendAudit(tx, { entityType: "refund", entityId: r.refundId, orderId, actor, action: "refund_closed", fromStatus: "on_hold", toStatus: "rejected", reason: "Everything paid was already refunded", at });
      continue;
    }
    if (r.action === "reduce_and_pay") shrinkRefundItems(tx, r.refundId, r.amount);
    setRefundStatus(tx, { refundId: r.refundId, from: "on_hold", to: "approved", at, amount: r.amount });
    appendAudit(tx, {
      entityType: "refund",
      entityId: r.refundId,
      orderId,
      actor,
      action: "refund_released",
      fromStatus: "on_hold",
      toStatus: "approved",
      reason: `${formatMoney(r.amount, currency)} released: the requests that held it were decided${r.action === "reduce_and_pay" ? " (only this much was left to refund)" : ""}`,
      at,
    });
    queuePayout(tx, r.refundId, at);
  }
}

/**
 * Money leaves after commit: the refund stays `approved` (being paid out, it counts as waiting) and an
 * outbox row asks the payments consumer to call the provider; its answer comes back through
 * applyRefundAnswer (lib/orders/payout.ts) in a transaction of its own.
 */
export function queuePayout(tx: Tx, refundId: number, at: number, retry = 0): RefundStatus {
  const refund = prepared(tx, "SELECT order_id AS orderId, amount, currency FROM refunds WHERE id = ?").get(refundId) as { orderId: number; amount: number; currency: string };
  // A retry after a refusal needs a new key: the provider would replay the refusal for the old one.
  const idempotencyKey = retry === 0 ? `refund-${refundId}` : `refund-${refundId}-retry-${retry}`;
  enqueueOutbox(tx, { topic: PAYOUT_TOPIC, aggregateType: "order", aggregateId: refund.orderId, payload: { refundId, orderId: refund.orderId, amount: refund.amount, currency: refund.currency, idempotencyKey }, at });
  return "approved";
}

export const PAYOUT_TOPIC = "refund.payout";
