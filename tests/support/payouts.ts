import type { DB } from "../../db/client.ts";
import { paymentsConsumer } from "../../lib/payments/consumer.ts";
import { deliverNext } from "../../lib/worker/outbox.ts";
import { database } from "../../db/index.ts";

/** Runs the payments consumer until its backlog is empty, as the worker would after commit. */
export async function settlePayouts(db: DB): Promise<number> {
  const consumer = paymentsConsumer(db);
  let handled = 0;
  for (let i = 0; i < 1_000; i++) {
    const pass = await deliverNext(db, consumer);
    if (pass.outcome === "idle") return handled;
    if (pass.outcome === "failed" || pass.outcome === "waiting") throw new Error(`payments consumer failed: ${pass.error ?? pass.outcome}`);
    handled += pass.handled;
  }
  throw new Error("payments backlog did not drain");
}

type Settled = { status?: string; refundId?: number };

/**
 * An action followed by the worker's payout pass, as a user would see it a moment later: a refund the
 * action left `approved` (being paid out) is reported with the status the provider's answer gave it.
 */
export function thenPaidOut<A extends unknown[], R>(act: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  const statusOf = (id: number) => (database().$client.prepare("SELECT status FROM refunds WHERE id = ?").get(id) as { status: string }).status;
  return async (...args) => {
    const result = await act(...args);
    await settlePayouts(database());
    const r = result as { ok?: boolean; data?: unknown };
    if (!r.ok) return result;
    // decideRefund answers with the bare status of the refund it was given.
    const asked = (args[0] as { refundId?: number } | undefined)?.refundId;
    if (r.data === "approved" && typeof asked === "number") return { ...r, data: statusOf(asked) } as R;
    const d = r.data as Settled | null;
    if (d && typeof d === "object" && d.status === "approved") {
      const id = typeof d.refundId === "number" ? d.refundId : asked;
      if (typeof id === "number") return { ...r, data: { ...d, status: statusOf(id) } } as R;
    }
    return result;
  };
}
