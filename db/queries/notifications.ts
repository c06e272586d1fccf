import type { DB, Tx } from "../client.ts";
import { prepared } from "../raw.ts";

/** Who a notification on this order goes to, read in the writer's transaction. */
export function recipientOfOrder(tx: Tx, orderId: number): { orderId: number; number: string; customerId: number; customerName: string } {
  return prepared(
    tx,
    "SELECT o.id AS orderId, o.number, o.customer_id AS customerId, c.name AS customerName FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ?",
  ).get(orderId) as { orderId: number; number: string; customerId: number; customerName: string };
}

/** Names of order lines, by id (what the customer ordered them as). */
export function lineNames(tx: Tx, orderLineIds: number[]): Map<number, string> {
  const stmt = prepared(tx, "SELECT name FROM order_lines WHERE id = ?");
  return new Map(orderLineIds.map((id) => [id, (stmt.get(id) as { name: string } | undefined)?.name ?? `line ${id}`]));
}

export function insertNotification(
  tx: Tx,
  n: { orderId: number; customerId: number; kind: string; subject: string; body: string; html: string; delivery: "recorded" | "pending"; at: number },
): number {
  return Number(
    prepared(tx, "INSERT INTO notifications (order_id, customer_id, channel, kind, subject, body, html, delivery, created_at) VALUES (?, ?, 'email', ?, ?, ?, ?, ?, ?)").run(
      n.orderId,
      n.customerId,
      n.kind,
      n.subject,
      n.body,
      n.html,
      n.delivery,
      n.at,
    ).lastInsertRowid,
  );
}

export type PendingEmail = { id: number; orderId: number; to: string; subject: string; text: string; html: string | null; createdAt: number };

/** A notification still waiting to be emailed, with its recipient's address as it is now; null once sent or failed. */
export function pendingEmail(db: DB, notificationId: number): PendingEmail | null {
  const row = prepared(
    db,
    `SELECT n.id, n.order_id AS orderId, c.email AS "to", n.subject, n.body AS text, n.html, n.created_at AS createdAt
     FROM notifications n JOIN customers c ON c.id = n.customer_id WHERE n.id = ? AND n.delivery = 'pending'`,
  ).get(notificationId) as PendingEmail | undefined;
  return row ?? null;
}

/** The outcome of one send, in its own transaction: only a pending row changes (a second outcome is a no-op). */
export function recordEmailOutcome(db: DB, o: { id: number; outcome: "sent" | "failed"; error: string | null; at: number }): boolean {
  return (
    db.transaction(
      (tx) =>
        prepared(tx, "UPDATE notifications SET delivery = ?, delivery_error = ?, sent_at = ? WHERE id = ? AND delivery = 'pending'").run(
          o.outcome,
          o.error,
          o.outcome === "sent" ? o.at : null,
          o.id,
        ).changes,
      { behavior: "immediate" },
    ) === 1
  );
}

/** A transient failure, kept on the still-pending row so the timeline says why it is taking long. */
export function noteEmailRetry(db: DB, o: { id: number; error: string }): void {
  prepared(db, "UPDATE notifications SET delivery_error = ? WHERE id = ? AND delivery = 'pending'").run(o.error, o.id);
}
