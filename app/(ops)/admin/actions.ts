"use server";
import { z } from "zod";
import type { Tx } from "../../../db/client.ts";
import { ROLES } from "../../../db/schema/auth.ts";
import { action, refreshPage, type ActionContext } from "../../../lib/actions.ts";
import { database } from "../../../db/index.ts";
import { hashPassword } from "../../../lib/auth/password.ts";
import { emailAddress } from "../../../lib/auth/email.ts";
import { passwordProblem } from "../../../lib/auth/password-policy.ts";
import { isCurrency } from "../../../lib/currency.ts";
import { DomainError } from "../../../lib/errors.ts";
import { personName } from "../../../lib/admin/user-input.ts";
import { changeRole, createUser, setDisabled, setPassword, summary } from "../../../lib/admin/users.ts";
import { createInvite, deliverInvite, newInviteToken, revokeInvite } from "../../../lib/admin/invites.ts";
import { env } from "../../../lib/env.ts";
import { setAgentRefundLimit, setAlertThresholds, setDeliverySettings, setLocationSla } from "../../../lib/admin/settings.ts";

const id = z.number().int().positive();

/** Writes through the guard (the admin's role re-checked inside the transaction), then refreshes the page. */
function write<T>(ctx: ActionContext, path: string, body: (tx: Tx, at: number) => T): T {
  const result = ctx.write(body);
  refreshPage(path);
  return result;
}

export const createUserAction = action(
  {
    schema: z
      .object({ email: emailAddress, name: personName, role: z.enum(ROLES), password: z.string() })
      .superRefine(({ email, password }, ctx) => {
        const problem = passwordProblem(password, email);
        if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
      }),
    permission: "admin:users",
  },
  async ({ password, ...input }, ctx) => {
    // Hashing is slow on purpose; do it before taking the write lock (the role is re-checked at the write).
    const passwordHash = await hashPassword(password);
    return write(ctx, "/admin", (tx, at) => createUser(tx, { ...input, passwordHash, actor: ctx.actor, at }));
  },
);

/**
 * Invites a person by email and role: they set their own password at the link, which works once within
 * 72 hours. The link is handed to the outbox (staff.invited) and returned here once, for the admin to pass
 * on while no staff email is configured; only its hash is stored.
 */
export const inviteUserAction = action({ schema: z.object({ email: emailAddress, name: personName, role: z.enum(ROLES) }), permission: "admin:users" }, (input, ctx) => {
  const { token, tokenHash } = newInviteToken();
  const link = new URL(`/invite/${token}`, env().NEXTAUTH_URL).toString();
  const invite = write(ctx, "/admin", (tx, at) => {
    const created = createInvite(tx, { ...input, tokenHash, actor: ctx.actor, at });
    deliverInvite(tx, { invite: created, link, at });
    return created;
  });
  return { id: invite.id, email: invite.email, role: invite.role, expiresAt: invite.expiresAt, link };
});

export const revokeInviteAction = action({ schema: z.object({ inviteId: id }), permission: "admin:users" }, (input, ctx) =>
  write(ctx, "/admin", (tx, at) => {
    const r = revokeInvite(tx, { ...input, actor: ctx.actor, at });
    return { id: r.id, email: r.email };
  }),
);

export const changeUserRoleAction = action({ schema: z.object({ userId: id, role: z.enum(ROLES) }), permission: "admin:users" }, (input, ctx) =>
  write(ctx, "/admin", (tx, at) => changeRole(tx, { ...input, actor: ctx.actor, at })),
);

export const setUserDisabledAction = action({ schema: z.object({ userId: id, disabled: z.boolean() }), permission: "admin:users" }, (input, ctx) =>
  write(ctx, "/admin", (tx, at) => setDisabled(tx, { ...input, actor: ctx.actor, at })),
);

/** An admin sets a user's password; every session signed in with the old one ends. */
export const setUserPasswordAction = action({ schema: z.object({ userId: id, password: z.string().max(1_000) }), permission: "admin:users" }, async ({ userId, password }, ctx) => {
  const problem = passwordProblem(password, summary(database(), userId).email);
  if (problem) throw new DomainError("invalid_input", problem);
  // Hashing is slow on purpose; do it before taking the write lock (the role is re-checked at the write).
  const passwordHash = await hashPassword(password);
  return write(ctx, "/admin", (tx, at) => setPassword(tx, { userId, passwordHash, actor: ctx.actor, at }));
});

export const setRefundLimitAction = action(
  {
    schema: z.object({
      amount: z.number().int("Whole cents only.").min(0, "The limit cannot be negative.").max(100_000_000),
      currency: z.string().refine(isCurrency, "An ISO 4217 currency code, such as EUR."),
    }),
    permission: "admin:settings",
  },
  (input, ctx) =>
  write(ctx, "/admin/settings", (tx, at) => setAgentRefundLimit(tx, { ...input, actor: ctx.actor, at })),
);

const positive = (max: number, unit: string) => z.number().int(`Whole ${unit} only.`).min(1, `At least 1 ${unit.replace(/s$/, "")}.`).max(max, `At most ${max} ${unit}.`);

export const setAlertThresholdsAction = action(
  {
    schema: z.object({
      awaiting_fulfillment_hours: positive(24 * 60, "hours"),
      payment_processing_minutes: positive(60 * 24 * 7, "minutes"),
      backorder_age_days: positive(365, "days"),
      shipment_sla_hours: positive(24 * 60, "hours"),
    }),
    permission: "admin:settings",
  },
  (thresholds, ctx) => write(ctx, "/admin/settings", (tx, at) => setAlertThresholds(tx, { thresholds, actor: ctx.actor, at })),
);

export const setLocationSlaAction = action({ schema: z.object({ locationId: id, hours: positive(24 * 60, "hours") }), permission: "admin:settings" }, (input, ctx) =>
  write(ctx, "/admin/settings", (tx, at) => setLocationSla(tx, { ...input, actor: ctx.actor, at })),
);

/** Outbox delivery: attempts before a message is dead-lettered (1–100), hours delivered rows are kept (1 hour – 1 year). */
export const setDeliverySettingsAction = action(
  { schema: z.object({ maxAttempts: positive(100, "attempts"), retentionHours: positive(24 * 365, "hours") }), permission: "admin:settings" },
  (settings, ctx) => write(ctx, "/admin/settings", (tx, at) => setDeliverySettings(tx, { settings, actor: ctx.actor, at })),
);
