"use server";
import { z } from "zod";
import { prepared } from "../../../db/raw.ts";
import { action, refreshPage } from "../../../lib/actions.ts";
import { decideRefund } from "../../../lib/orders/refunds.ts";
import { retryFailedRefund } from "../../../lib/orders/payout.ts";
import { DomainError } from "../../../lib/errors.ts";

/** Finance approves (pays out) or rejects a refund that waits over the agent limit; audited by decideRefund. */
export const decideQueuedRefundAction = action(
  {
    schema: z.object({
      refundId: z.number().int().positive(),
      approve: z.boolean(),
      note: z.string().trim().min(3, "Give a reason (at least 3 characters).").max(500),
    }),
    permission: "refunds:approve",
  },
  (input, { actor, write }) => {
    const result = write((tx, at) => {
      const row = prepared(tx, "SELECT o.number FROM refunds r JOIN orders o ON o.id = r.order_id WHERE r.id = ?").get(input.refundId) as { number: string } | undefined;
      if (!row) throw new DomainError("not_found", `Refund ${input.refundId} does not exist.`);
      return { status: decideRefund(tx, { ...input, actor, at }), orderNumber: row.number };
    });
    refreshPage("/refunds");
    refreshPage(`/orders/${result.orderNumber}`);
    return result;
  },
);

/** Finance sends a payout the provider refused back to it (approved again, re-queued; audited by retryFailedRefund). */
export const retryRefundAction = action(
  {
    schema: z.object({ refundId: z.number().int().positive(), note: z.string().trim().min(3, "Give a reason (at least 3 characters).").max(500) }),
    permission: "refunds:approve",
  },
  (input, { actor, write }) => {
    const result = write((tx, at) => {
      const row = prepared(tx, "SELECT o.number FROM refunds r JOIN orders o ON o.id = r.order_id WHERE r.id = ?").get(input.refundId) as { number: string } | undefined;
      if (!row) throw new DomainError("not_found", `Refund ${input.refundId} does not exist.`);
      return { status: retryFailedRefund(tx, { ...input, actor, at }), orderNumber: row.number };
    });
    refreshPage("/refunds");
    refreshPage(`/orders/${result.orderNumber}`);
    return result;
  },
);
