import type { DB, Tx } from "../client.ts";
import { prepared } from "../raw.ts";
import type { RefundKind, RefundStatus } from "../schema/orders.ts";

/** One order's refund account as stored: money, lines, and every refund with what it covers. */
export type LedgerRows = {
  order: { id: number; number: string; customerId: number; status: string; currency: string; subtotal: number; shipping: number; tax: number; total: number; paid: number; refunded: number; version: number };
  lines: { id: number; sku: string; productId: number; qtyOrdered: number; qtyCancelled: number; unitPrice: number }[];
  refunds: {
    id: number;
    kind: RefundKind;
    status: RefundStatus;
    amount: number;
    reason: string;
    requestedBy: number | null;
    decidedBy: number | null;
    createdAt: number;
    items: { orderLineId: number | null; qty: number; amount: number }[];
  }[];
};

export function readLedger(db: DB | Tx, orderId: number): LedgerRows | null {
  const order = prepared(
    db,
    "SELECT id, number, customer_id AS customerId, status, currency, subtotal, shipping, tax, total, paid, refunded, version FROM orders WHERE id = ?",
  ).get(orderId) as LedgerRows["order"] | undefined;
  if (!order) return null;
  const lines = prepared(
    db,
    "SELECT id, sku, product_id AS productId, qty_ordered AS qtyOrdered, qty_cancelled AS qtyCancelled, unit_price AS unitPrice FROM order_lines WHERE order_id = ? ORDER BY id",
  ).all(orderId) as LedgerRows["lines"];
  const refunds = prepared(
    db,
    "SELECT id, kind, status, amount, reason, requested_by AS requestedBy, decided_by AS decidedBy, created_at AS createdAt FROM refunds WHERE order_id = ? ORDER BY id",
  ).all(orderId) as Omit<LedgerRows["refunds"][number], "items">[];
  const items = prepared(db, "SELECT refund_id AS refundId, order_line_id AS orderLineId, qty, amount FROM refund_items WHERE order_id = ? ORDER BY id").all(orderId) as {
    refundId: number;
    orderLineId: number | null;
    qty: number;
    amount: number;
  }[];
  return {
    order,
    lines,
    refunds: refunds.map((r) => ({ ...r, items: items.filter((i) => i.refundId === r.id).map(({ orderLineId, qty, amount }) => ({ orderLineId, qty, amount })) })),
  };
}

/** Writes a refund and the items it covers; returns its id. */
export function insertRefund(
  tx: Tx,
  r: {
    orderId: number;
    kind: RefundKind;
    status: RefundStatus;
    amount: number;
    currency: string;
    reason: string;
    requestedBy: number | null;
    at: number;
    items: { orderLineId: number | null; qty: number; amount: number }[];
  },
): number {
  const lines = r.items.filter((i) => i.orderLineId !== null && i.qty > 0).map((i) => ({ orderLineId: i.orderLineId, qty: i.qty }));
  const id = Number(
    prepared(tx, "INSERT INTO refunds (order_id, amount, currency, reason, status, kind, lines, requested_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").run(
      r.orderId,
      r.amount,
      r.currency,
      r.reason,
      r.status,
      r.kind,
      lines.length ? JSON.stringify(lines) : null,
      r.requestedBy,
      r.at,
    ).lastInsertRowid,
  );
  const item = prepared(tx, "INSERT INTO refund_items (refund_id, order_id, order_line_id, qty, amount) VALUES (?, ?, ?, ?, ?)");
  for (const i of r.items) item.run(id, r.orderId, i.orderLineId, i.qty, i.amount);
  return id;
}

/** Moves a refund from one status to another; 0 rows (someone else moved it first) returns false. */
export function setRefundStatus(
  tx: Tx,
  s: { refundId: number; from: RefundStatus; to: RefundStatus; decidedBy?: number | null; note?: string | null; at: number; amount?: number },
): boolean {
  const decided = s.decidedBy !== undefined;
  return (
    prepared(
      tx,
      `UPDATE refunds SET status = ?, amount = coalesce(?, amount)${decided ? ", decided_by = ?, decision_note = ?, decided_at = ?" : ""} WHERE id = ? AND status = ?`,
    ).run(...([s.to, s.amount ?? null, ...(decided ? [s.decidedBy, s.note ?? null, s.at] : []), s.refundId, s.from] as unknown[])).changes === 1
  );
}

/** A held refund paid less than it was held for: its items shrink with it (units stay covered). */
export function shrinkRefundItems(tx: Tx, refundId: number, amount: number): void {
  const items = prepared(tx, "SELECT id, amount FROM refund_items WHERE refund_id = ? ORDER BY id DESC").all(refundId) as { id: number; amount: number }[];
  let excess = items.reduce((n, i) => n + i.amount, 0) - amount;
  for (const i of items) {
    if (excess <= 0) break;
    const take = Math.min(i.amount, excess);
    prepared(tx, "UPDATE refund_items SET amount = amount - ? WHERE id = ?").run(take, i.id);
    excess -= take;
  }
}

/** Adds a paid-out refund to orders.refunded, never past what was paid; false when it would. */
export function addRefunded(tx: Tx, orderId: number, amount: number, at: number): boolean {
  return prepared(tx, "UPDATE orders SET refunded = refunded + ?, updated_at = ? WHERE id = ? AND refunded + ? <= paid").run(amount, at, orderId, amount).changes === 1;
}

/** The refund limits per currency (settings.agent_refund_limit); older rows held one amount and currency. */
export function readRefundLimits(db: DB | Tx): Record<string, number> {
  const row = prepared(db, "SELECT value FROM settings WHERE key = 'agent_refund_limit'").get() as { value: string } | undefined;
  if (!row) return {};
  const v = JSON.parse(row.value) as { limits?: Record<string, number>; amount?: number; currency?: string };
  if (v.limits) return v.limits;
  return typeof v.amount === "number" ? { [v.currency ?? "EUR"]: v.amount } : {};
}
