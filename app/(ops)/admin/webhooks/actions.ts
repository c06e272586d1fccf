"use server";
import { z } from "zod";
import { WEBHOOK_SOURCES } from "../../../../db/schema/index.ts";
import { action, refreshPage } from "../../../../lib/actions.ts";
import { setWebhookSecret } from "../../../../lib/intake/secrets-admin.ts";
import { replayEvent } from "../../../../lib/intake/replay.ts";

/** Creates or rotates a source's signing secret; the answer carries it this once, for the admin to copy. */
export const setWebhookSecretAction = action(
  {
    schema: z.object({
      source: z.enum(WEBHOOK_SOURCES),
      secret: z.string().trim().max(200, "At most 200 characters.").optional(),
    }),
    permission: "admin:api_keys",
  },
  (input, ctx) => {
    const result = ctx.write((tx, at) => setWebhookSecret(tx, { source: input.source, secret: input.secret || null, actor: ctx.actor, at }));
    refreshPage("/admin/webhooks");
    return result;
  },
);

/** Re-runs a parked or rejected event's stored raw payload through the intake's apply path (audited). */
export const replayWebhookEventAction = action({ schema: z.object({ eventId: z.number().int().positive() }), permission: "admin:api_keys" }, (input, ctx) => {
  const result = ctx.write((tx, at) => replayEvent(tx, { eventId: input.eventId, actor: ctx.actor, at }));
  refreshPage("/admin/events");
  return result;
});
