import type { OrderStatus } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { enqueueJob } from "../jobs.ts";

/** The order status machine, exactly as lib/DOMAIN.md. Terminal statuses allow nothing. */
export const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ["payment_processing", "cancelled"],
  payment_processing: ["paid", "cancelled"],
  paid: ["awaiting_fulfillment", "cancelled"],
  awaiting_fulfillment: ["partially_fulfilled", "fulfilled", "cancelled"],
  partially_fulfilled: ["fulfilled"],
  fulfilled: ["delivered", "refunded"],
  delivered: ["refunded"],
  refunded: [],
  cancelled: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export type TransitionInput = {
  orderId: number;
  from: OrderStatus;
  to: OrderStatus;
  actor: Actor;
  reason?: string | null;
  data?: Record<string, unknown>;
  at?: number;
};

/**
 * The only writer of orders.status. Checks the table, updates guarded by the expected
 * status (0 rows = someone else changed it first) and appends the audit and outbox rows,
 * all inside the caller's transaction. Throws DomainError, so the caller's transaction
 * rolls back and nothing is written.
 */
export function transition(tx: Tx, input: TransitionInput): { orderId: number; from: OrderStatus; to: OrderStatus; at: number } {
  const { orderId, from, to, actor } = input;
  if (!canTransition(from, to)) {
    const allowed = TRANSITIONS[from];
    throw new DomainError(
      "invalid_transition",
      `An order cannot go from ${label(from)} to ${label(to)}` +
        (allowed.length ? ` (from ${label(from)} it may go to ${allowed.map(label).join(" or ")}).` : ` (${label(from)} is final).`),
      { from, to },
    );
  }
  const at = input.at ?? Date.now();
  const changed = prepared(tx, "UPDATE orders SET status = ?, status_changed_at = ?, updated_at = ? WHERE id = ? AND status = ?").run(
    to,
    at,
    at,
    orderId,
    from,
  ).changes;
  if (changed === 0) {
    const current = prepared(tx, "SELECT status, number FROM orders WHERE id = ?").get(orderId) as { status: OrderStatus; number: string } | undefined;
    if (!current) throw new DomainError("not_found", `Order ${orderId} does not exist.`);
    throw new DomainError(
      "conflict",
      `Order ${current.number} is now ${label(current.status)}, not ${label(from)}: someone changed it first. Reload and try again.`,
      { expected: from, actual: current.status },
    );
  }
  appendAudit(tx, {
    entityType: "order",
    entityId: orderId,
    orderId,
    actor,
    action: "status_changed",
    fromStatus: from,
    toStatus: to,
    reason: input.reason ?? null,
    data: input.data ?? null,
    at,
  });
  enqueueOutbox(tx, {
    topic: "order.status_changed",
    aggregateType: "order",
    aggregateId: orderId,
    payload: { orderId, from, to, at, reason: input.reason ?? null },
    at,
  });
  // Routing never runs in the payment request: being paid queues it for the worker, atomically.
  if (to === "paid") enqueueJob(tx, { kind: "route_order", key: `route:${orderId}`, payload: { orderId }, at });
  return { orderId, from, to, at };
}

export function label(status: OrderStatus): string {
  return status.replaceAll("_", " ");
}
