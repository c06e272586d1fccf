import type { DB } from "../../db/client.ts";
import { paymentRefOf, refundStatusOf } from "../../db/queries/payouts.ts";
import { applyRefundAnswer } from "../orders/payout.ts";
import { PAYOUT_TOPIC } from "../orders/refunds.ts";
import type { OutboxConsumer } from "../worker/outbox.ts";
import { paymentProvider, type PaymentProvider } from "./provider.ts";

type PayoutMessage = { refundId: number; orderId: number; amount: number; currency: string; idempotencyKey: string };

const PAYMENTS_CONSUMER = "payments";

/**
 * Pays out approved refunds after their commit: one provider call per message with the refund's
 * idempotency key (a redelivery after a crash asks again with the same key and gets the same refund),
 * then the answer is applied in a transaction of its own. A refund no longer `approved` is skipped
 * without calling the provider, so an answer is applied at most once on our side.
 */
export function paymentsConsumer(db: DB, o: { provider?: () => PaymentProvider; timeoutMs?: number } = {}): OutboxConsumer {
  const provider = o.provider ?? paymentProvider;
  return {
    name: PAYMENTS_CONSUMER,
    accepts: (topic) => topic === PAYOUT_TOPIC,
    timeoutMs: o.timeoutMs ?? 30_000,
    async deliver(rows, progress) {
      for (const row of rows) {
        const m = row.payload as PayoutMessage;
        if (refundStatusOf(db, m.refundId) === "approved") {
          const p = provider();
          const answer = await p.refund({ orderId: m.orderId, refundId: m.refundId, amount: m.amount, currency: m.currency, idempotencyKey: m.idempotencyKey, paymentRef: paymentRefOf(db, m.orderId) });
          db.transaction((tx) => applyRefundAnswer(tx, { refundId: m.refundId, answer, provider: p.name, at: Date.now() }), { behavior: "immediate" });
        }
        progress.delivered(row.id);
      }
    },
  };
}
