"use server";
import { z } from "zod";
import { action, refreshPage } from "../../../../lib/actions.ts";
import { createApiKey, revokeApiKey } from "../../../../lib/api/keys-admin.ts";
import { API_SCOPES } from "../../../../lib/api/scopes.ts";

/** Creates an API key; the answer carries the key this once, for the admin to copy. Audited without it. */
export const createApiKeyAction = action(
  {
    schema: z.object({
      name: z.string().trim().min(2, "Name the key after who uses it (at least 2 characters).").max(80),
      scopes: z.array(z.enum(API_SCOPES)).min(1, "Choose at least one scope.").max(API_SCOPES.length),
      rateLimitPerMinute: z.number().int("Whole requests a minute.").min(1).max(1_000_000),
    }),
    permission: "admin:api_keys",
  },
  (input, ctx) => {
    const created = ctx.write((tx, at) => createApiKey(tx, { ...input, actor: ctx.actor, at }));
    refreshPage("/admin/api-keys");
    return created;
  },
);

/** Revokes a key: its next request is a 401. Audited. */
export const revokeApiKeyAction = action({ schema: z.object({ id: z.number().int().positive() }), permission: "admin:api_keys" }, (input, ctx) => {
  const revoked = ctx.write((tx, at) => revokeApiKey(tx, { id: input.id, actor: ctx.actor, at }));
  refreshPage("/admin/api-keys");
  return revoked;
});
