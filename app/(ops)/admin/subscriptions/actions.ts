"use server";
import { z } from "zod";
import { action, refreshPage, type ActionContext } from "../../../../lib/actions.ts";
import type { Tx } from "../../../../db/client.ts";
import { OUTGOING_EVENT_TYPES } from "../../../../lib/webhooks/events.ts";
import { changeSubscriptionEventTypes, createSubscription, queueTestEvent, rotateSubscriptionSecret, setSubscriptionEnabledBy } from "../../../../lib/webhooks/subscriptions.ts";

const id = z.number().int().positive();
const eventTypes = z.array(z.enum(OUTGOING_EVENT_TYPES)).min(1, "Choose at least one event type.").max(OUTGOING_EVENT_TYPES.length);

/** Writes through the guard (the admin's role re-checked inside the transaction), then refreshes the list and the subscription's page. */
function write<T>(ctx: ActionContext, subscriptionId: number | null, body: (tx: Tx, at: number) => T): T {
  const result = ctx.write(body);
  refreshPage("/admin/subscriptions");
  if (subscriptionId) refreshPage(`/admin/subscriptions/${subscriptionId}`);
  return result;
}

/** Creates a subscription; the answer carries its secret this once, for the admin to copy. Audited without it. */
export const createSubscriptionAction = action(
  { schema: z.object({ url: z.string().trim().min(1, "Enter the receiver's URL.").max(2_000, "At most 2,000 characters."), eventTypes }), permission: "admin:api_keys" },
  (input, ctx) => write(ctx, null, (tx, at) => createSubscription(tx, { ...input, actor: ctx.actor, at })),
);

/** A new secret, shown once; the previous one keeps signing beside it for 24 hours. */
export const rotateSubscriptionSecretAction = action({ schema: z.object({ subscriptionId: id }), permission: "admin:api_keys" }, (input, ctx) =>
  write(ctx, input.subscriptionId, (tx, at) => rotateSubscriptionSecret(tx, { id: input.subscriptionId, actor: ctx.actor, at })),
);

export const setSubscriptionEnabledAction = action({ schema: z.object({ subscriptionId: id, enabled: z.boolean() }), permission: "admin:api_keys" }, (input, ctx) =>
  write(ctx, input.subscriptionId, (tx, at) => setSubscriptionEnabledBy(tx, { id: input.subscriptionId, enabled: input.enabled, actor: ctx.actor, at })),
);

export const changeSubscriptionEventTypesAction = action({ schema: z.object({ subscriptionId: id, eventTypes }), permission: "admin:api_keys" }, (input, ctx) =>
  write(ctx, input.subscriptionId, (tx, at) => changeSubscriptionEventTypes(tx, { id: input.subscriptionId, eventTypes: input.eventTypes, actor: ctx.actor, at })),
);

/** Queues a `webhook.test` event for this subscription only; the worker sends it after commit and logs the attempt. */
export const sendTestEventAction = action({ schema: z.object({ subscriptionId: id }), permission: "admin:api_keys" }, (input, ctx) =>
  write(ctx, input.subscriptionId, (tx, at) => queueTestEvent(tx, { id: input.subscriptionId, actor: ctx.actor, at })),
);
