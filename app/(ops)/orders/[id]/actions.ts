"use server";
import { z } from "zod";
import { orderNumberOf } from "../../../../db/queries/orders.ts";
import type { Tx } from "../../../../db/client.ts";
import { action, refreshPage, type ActionContext } from "../../../../lib/actions.ts";
import { can } from "../../../../lib/auth/permissions.ts";
import { ORDER_STATUSES, SHIPMENT_STATUSES } from "../../../../db/schema/index.ts";
import { cancelOrder, cancelUnits } from "../../../../lib/orders/cancel.ts";
import { advanceShipment, moveUnits } from "../../../../lib/orders/shipments.ts";
import { backorderUnits } from "../../../../lib/orders/backorder.ts";
import { agentRefundLimit, decideRefund, recordRefund } from "../../../../lib/orders/refunds.ts";
import { addNote, recordBackorderChoice } from "../../../../lib/orders/notes.ts";
import { loadOrder } from "../../../../lib/orders/aggregate.ts";
import { refundForLines } from "../../../../lib/orders/money.ts";
import { DomainError } from "../../../../lib/errors.ts";

const id = z.number().int().positive();
const reason = z.string().trim().min(3, "Give a reason (at least 3 characters).").max(500);
const units = z.array(z.object({ orderLineId: id, qty: z.number().int().min(0).max(100_000) })).min(1).max(100);
const expectedStatus = z.enum(ORDER_STATUSES).optional();

/** Every order action runs in one guarded immediate transaction, then refreshes the order page. */
function write<T>(ctx: ActionContext, orderId: number, body: (tx: Tx, at: number) => T): T {
  const result = ctx.write(body);
  const number = orderNumberOf({ id: orderId });
  if (number) refreshPage(`/orders/${number}`);
  return result;
}

export const cancelOrderAction = action(
  { schema: z.object({ orderId: id, reason, expectedStatus }), permission: "orders:cancel" },
  (input, ctx) => write(ctx, input.orderId, (tx, at) => cancelOrder(tx, { ...input, actor: ctx.actor, at })),
);

export const cancelUnitsAction = action(
  { schema: z.object({ orderId: id, lines: units, reason, expectedStatus }), permission: "orders:cancel" },
  (input, ctx) => write(ctx, input.orderId, (tx, at) => cancelUnits(tx, { ...input, actor: ctx.actor, at })),
);

export const moveUnitsAction = action(
  { schema: z.object({ orderId: id, shipmentId: id, orderLineId: id, qty: z.number().int().min(1).max(100_000), toLocationId: id }), permission: "shipments:split" },
  (input, ctx) => write(ctx, input.orderId, (tx, at) => moveUnits(tx, { ...input, actor: ctx.actor, at })),
);

export const backorderUnitsAction = action(
  { schema: z.object({ orderId: id, shipmentId: id, orderLineId: id, qty: z.number().int().min(1).max(100_000), reason }), permission: "shipments:backorder" },
  (input, ctx) => write(ctx, input.orderId, (tx, at) => backorderUnits(tx, { ...input, actor: ctx.actor, at })),
);

export const advanceShipmentAction = action(
  {
    schema: z.object({
      orderId: id,
      shipmentId: id,
      to: z.enum(SHIPMENT_STATUSES),
      carrier: z.string().trim().max(50).optional(),
      trackingNumber: z.string().trim().regex(/^[A-Za-z0-9-]{6,40}$/, "Tracking numbers are 6–40 letters, digits or dashes.").optional(),
    }),
    permission: "shipments:advance",
  },
  (input, ctx) => write(ctx, input.orderId, (tx, at) => advanceShipment(tx, { ...input, actor: ctx.actor, at })),
);

export const requestRefundAction = action(
  {
    schema: z
      .object({ orderId: id, amount: z.number().int().min(1).optional(), lines: units.optional(), reason })
      .refine((v) => (v.amount === undefined) !== (v.lines === undefined), { message: "Refund either an amount or lines, not both.", path: ["amount"] }),
    permission: "refunds:request",
  },
  (input, ctx) =>
    write(ctx, input.orderId, (tx, at) => {
      const agg = loadOrder(tx, input.orderId);
      const lines = input.lines?.filter((l) => l.qty > 0);
      const asked = new Map<number, number>();
      for (const l of lines ?? []) asked.set(l.orderLineId, (asked.get(l.orderLineId) ?? 0) + l.qty);
      const amount =
        input.amount ??
        refundForLines(
          agg.order,
          (lines ?? []).map((l) => {
            const line = agg.lines.find((x) => x.id === l.orderLineId);
            if (!line) throw new DomainError("invalid_input", `Line ${l.orderLineId} is not on this order.`);
            const units = line.qtyOrdered - line.qtyCancelled;
            if (asked.get(line.id)! > units) throw new DomainError("invalid_input", `The order has ${units} unit(s) of ${line.sku} to refund, not ${asked.get(line.id)}.`);
            return { unitPrice: line.unitPrice, qty: l.qty };
          }),
        );
      const needsApproval = amount > agentRefundLimit(tx) && !can(ctx.user, "refunds:approve");
      return recordRefund(tx, { orderId: input.orderId, amount, reason: input.reason, actor: ctx.actor, at, lines, needsApproval });
    }),
);

export const decideRefundAction = action(
  { schema: z.object({ orderId: id, refundId: id, approve: z.boolean(), note: reason }), permission: "refunds:approve" },
  (input, ctx) => write(ctx, input.orderId, (tx, at) => decideRefund(tx, { ...input, actor: ctx.actor, at })),
);

export const addNoteAction = action(
  { schema: z.object({ orderId: id, body: z.string().trim().min(1, "Write something.").max(5_000) }), permission: "orders:note" },
  (input, ctx) => write(ctx, input.orderId, (tx, at) => addNote(tx, { ...input, actor: ctx.actor, at })),
);

export const recordBackorderChoiceAction = action(
  { schema: z.object({ orderId: id, backorderId: id, choice: z.enum(["wait", "cancel"]) }), permission: "backorders:record_choice" },
  (input, ctx) => write(ctx, input.orderId, (tx, at) => recordBackorderChoice(tx, { ...input, actor: ctx.actor, at })),
);
