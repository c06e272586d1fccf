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
import { decideRefund, requestRefund } from "../../../../lib/orders/refunds.ts";
import { expectVersion } from "../../../../lib/orders/version.ts";
import { addNote, recordBackorderChoice } from "../../../../lib/orders/notes.ts";

const id = z.number().int().positive();
const reason = z.string().trim().min(3, "Give a reason (at least 3 characters).").max(500);
const units = z.array(z.object({ orderLineId: id, qty: z.number().int().min(0).max(100_000) })).min(1).max(100);
const expectedStatus = z.enum(ORDER_STATUSES).optional();
/** The order's version as the screen showed it: a change since then refuses the action (lib/orders/version.ts). */
const expectedVersion = z.number({ error: "Reload the order: this screen did not say which version of it you saw." }).int().min(0);

/**
 * Every order action runs in one guarded immediate transaction that first checks the order is the version
 * the screen showed (a note, which depends on nothing, skips that), then refreshes the order page.
 */
function write<T>(ctx: ActionContext, orderId: number, version: number | null, body: (tx: Tx, at: number) => T): T {
  const result = ctx.write((tx, at) => {
    if (version !== null) expectVersion(tx, orderId, version);
    return body(tx, at);
  });
  const number = orderNumberOf({ id: orderId });
  if (number) refreshPage(`/orders/${number}`);
  return result;
}

export const cancelOrderAction = action(
  { schema: z.object({ orderId: id, expectedVersion, reason, expectedStatus }), permission: "orders:cancel" },
  ({ expectedVersion: v, ...input }, ctx) => write(ctx, input.orderId, v, (tx, at) => cancelOrder(tx, { ...input, actor: ctx.actor, at })),
);

export const cancelUnitsAction = action(
  { schema: z.object({ orderId: id, expectedVersion, lines: units, reason, expectedStatus }), permission: "orders:cancel" },
  ({ expectedVersion: v, ...input }, ctx) => write(ctx, input.orderId, v, (tx, at) => cancelUnits(tx, { ...input, actor: ctx.actor, at })),
);

export const moveUnitsAction = action(
  { schema: z.object({ orderId: id, expectedVersion, shipmentId: id, orderLineId: id, qty: z.number().int().min(1).max(100_000), toLocationId: id, reason }), permission: "shipments:split" },
  ({ expectedVersion: v, ...input }, ctx) => write(ctx, input.orderId, v, (tx, at) => moveUnits(tx, { ...input, actor: ctx.actor, at })),
);

export const backorderUnitsAction = action(
  { schema: z.object({ orderId: id, expectedVersion, shipmentId: id, orderLineId: id, qty: z.number().int().min(1).max(100_000), reason }), permission: "shipments:backorder" },
  ({ expectedVersion: v, ...input }, ctx) => write(ctx, input.orderId, v, (tx, at) => backorderUnits(tx, { ...input, actor: ctx.actor, at })),
);

export const advanceShipmentAction = action(
  {
    schema: z.object({
      orderId: id,
      expectedVersion,
      shipmentId: id,
      to: z.enum(SHIPMENT_STATUSES),
      carrier: z.string().trim().max(50).optional(),
      trackingNumber: z.string().trim().regex(/^[A-Za-z0-9-]{6,40}$/, "Tracking numbers are 6–40 letters, digits or dashes.").optional(),
    }),
    permission: "shipments:advance",
  },
  ({ expectedVersion: v, ...input }, ctx) => write(ctx, input.orderId, v, (tx, at) => advanceShipment(tx, { ...input, actor: ctx.actor, at })),
);

export const requestRefundAction = action(
  {
    schema: z
      .object({
        orderId: id,
        expectedVersion,
        amount: z.number().int("Whole minor units (cents) only.").min(1).max(100_000_000).optional(),
        lines: units.optional(),
        reason,
        customerMessage: z.string().trim().max(1_000).optional(),
      })
      .refine((v) => (v.amount === undefined) !== (v.lines === undefined), { message: "Refund either an amount or lines, not both.", path: ["amount"] }),
    permission: "refunds:request",
  },
  ({ expectedVersion: v, ...input }, ctx) =>
    write(ctx, input.orderId, v, (tx, at) => {
      const base = { orderId: input.orderId, reason: input.reason, customerMessage: input.customerMessage || null, actor: ctx.actor, at, mayApprove: can(ctx.user, "refunds:approve") };
      return requestRefund(tx, input.lines ? { ...base, lines: input.lines } : { ...base, amount: input.amount! });
    }),
);

export const decideRefundAction = action(
  { schema: z.object({ orderId: id, expectedVersion, refundId: id, approve: z.boolean(), note: reason }), permission: "refunds:approve" },
  ({ expectedVersion: v, ...input }, ctx) => write(ctx, input.orderId, v, (tx, at) => decideRefund(tx, { ...input, actor: ctx.actor, at })),
);

export const addNoteAction = action(
  { schema: z.object({ orderId: id, body: z.string().trim().min(1, "Write something.").max(5_000) }), permission: "orders:note" },
  (input, ctx) => write(ctx, input.orderId, null, (tx, at) => addNote(tx, { ...input, actor: ctx.actor, at })),
);

export const recordBackorderChoiceAction = action(
  { schema: z.object({ orderId: id, expectedVersion, backorderId: id, choice: z.enum(["wait", "cancel"]) }), permission: "backorders:record_choice" },
  ({ expectedVersion: v, ...input }, ctx) => write(ctx, input.orderId, v, (tx, at) => recordBackorderChoice(tx, { ...input, actor: ctx.actor, at })),
);
