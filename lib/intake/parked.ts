import type { DB, Tx } from "../../db/client.ts";
import { parkedWaitingFor, parkedWithChangedOrders } from "../../db/queries/webhook-events.ts";
import { keysOf, orderById } from "./apply/order-ref.ts";
import { applyAndRecord } from "./apply-stored.ts";

const MAX_ROUNDS = 20;

/**
 * After an event applied to an order, retries the events parked for it, oldest first, in the same
 * transaction: the state they waited for has just been written, so the sender's 200 already covers the
 * whole chain, and nothing can slip in between. Repeats while a round makes progress (paid → then a
 * refund that waited for the payment → …).
 */
export function retryParkedFor(tx: Tx, orderId: number, at: number): number {
  let applied = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const order = orderById(tx, orderId);
    if (!order) return applied;
    const waiting = parkedWaitingFor(tx, keysOf(order));
    let progress = false;
    for (const e of waiting) {
      const outcome = applyAndRecord(tx, e, at);
      if (outcome.outcome !== "parked") {
        progress = true;
        if (outcome.outcome === "applied") applied += 1;
      }
    }
    if (!progress) return applied;
  }
  return applied;
}

/**
 * For changes made outside the intake (the worker routing a paid order, an agent's action): retries parked
 * events whose order changed since they were parked. The worker calls it on every loop.
 */
export function retryParkedEvents(db: DB, o: { limit?: number; now?: number } = {}): { retried: number; applied: number } {
  const now = o.now ?? Date.now();
  // A cheap read first: the write lock is taken only when something is due.
  if (parkedWithChangedOrders(db, 1).length === 0) return { retried: 0, applied: 0 };
  return db.transaction(
    (tx) => {
      const due = parkedWithChangedOrders(tx, o.limit ?? 100);
      let applied = 0;
      const touched = new Set<number>();
      for (const e of due) {
        const outcome = applyAndRecord(tx, e, now);
        if (outcome.outcome === "applied") {
          applied += 1;
          if (outcome.orderId !== null) touched.add(outcome.orderId);
        }
      }
      for (const orderId of touched) applied += retryParkedFor(tx, orderId, now);
      return { retried: due.length, applied };
    },
    { behavior: "immediate" },
  );
}
