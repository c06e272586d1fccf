"use server";
import { z } from "zod";
import { action, refreshPage } from "../../../../lib/actions.ts";
import { discardDeadLetters, retryDeadLetters } from "../../../../lib/admin/dead-letters.ts";

/** One consumer's dead letters: the named ones (1–200), or every one still dead. */
const decision = z.object({
  consumer: z.string().trim().min(1).max(200),
  ids: z.union([z.array(z.number().int().positive()).min(1).max(200), z.literal("all")]),
});

/** Queues dead letters for redelivery by the worker, same message id; each audited. */
export const retryDeadLettersAction = action({ schema: decision, permission: "admin:settings" }, (input, ctx) => {
  const result = ctx.write((tx, at) => retryDeadLetters(tx, { ...input, actor: ctx.actor, at }));
  refreshPage("/admin/dead-letters");
  return result;
});

/** Gives up on dead letters (kept, listed as discarded); each audited. */
export const discardDeadLettersAction = action({ schema: decision, permission: "admin:settings" }, (input, ctx) => {
  const result = ctx.write((tx, at) => discardDeadLetters(tx, { ...input, actor: ctx.actor, at }));
  refreshPage("/admin/dead-letters");
  return result;
});
