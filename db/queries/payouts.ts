import type { DB, Tx } from "../client.ts";
import { prepared } from "../raw.ts";

/** A refund's status as the payments consumer reads it before calling the provider (undefined: no such refund). */
export function refundStatusOf(db: DB, refundId: number): string | undefined {
  return (prepared(db, "SELECT status FROM refunds WHERE id = ?").get(refundId) as { status: string } | undefined)?.status;
}

/** The order's captured payment at the provider (the payment intent the intake recorded), or null. */
export function paymentRefOf(db: DB, orderId: number): string | null {
  return (prepared(db, "SELECT payment_intent_id AS ref FROM orders WHERE id = ?").get(orderId) as { ref: string | null } | undefined)?.ref ?? null;
}

/** A refund the provider accepted but has not settled: its reference is kept, its status stays `approved`. */
export function notePendingRefund(tx: Tx, refundId: number, reference: string): boolean {
  return prepared(tx, "UPDATE refunds SET provider_ref = ? WHERE id = ? AND status = 'approved'").run(reference, refundId).changes === 1;
}

export type OwnRefund = { id: number; orderId: number; status: string; amount: number; currency: string; customerMessage: string | null; providerRef: string | null };

/**
 * A refund we paid out ourselves that the provider reports back: by its reference at the provider, or by
 * the id we put on its metadata (which reaches the provider before the reference reaches us).
 */
export function findOwnRefund(tx: Tx, o: { orderId: number; providerRef: string; refundId: number | null }): OwnRefund | undefined {
  const select = "SELECT id, order_id AS orderId, status, amount, currency, customer_message AS customerMessage, provider_ref AS providerRef FROM refunds";
  return (prepared(tx, `${select} WHERE order_id = ? AND provider_ref = ?`).get(o.orderId, o.providerRef) ??
    (o.refundId === null ? undefined : prepared(tx, `${select} WHERE order_id = ? AND id = ?`).get(o.orderId, o.refundId))) as OwnRefund | undefined;
}

/** A retried payout is a new attempt: the refused attempt's reference (kept in the audit row) no longer names it. */
export function clearAttemptReference(tx: Tx, refundId: number): string | null {
  const previous = (prepared(tx, "SELECT provider_ref AS ref FROM refunds WHERE id = ?").get(refundId) as { ref: string | null } | undefined)?.ref ?? null;
  prepared(tx, "UPDATE refunds SET provider_ref = NULL WHERE id = ?").run(refundId);
  return previous;
}
