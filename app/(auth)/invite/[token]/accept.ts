"use server";
import { z } from "zod";
import { database } from "../../../../db/index.ts";
import { passwordProblem } from "../../../../lib/auth/password-policy.ts";
import { hashPassword } from "../../../../lib/auth/password.ts";
import { acceptInvite, openInvite } from "../../../../lib/admin/invites.ts";
import { refusalOf } from "../../../../lib/guard.ts";

const input = z.object({ token: z.string().min(20).max(100), password: z.string().max(1_000), confirm: z.string().max(1_000) });

export type AcceptResult = { ok: true; email: string } | { ok: false; message: string; field?: "password" | "confirm" };

/**
 * The invited person sets their password. Signed out by nature: the invite token is the credential
 * (as a webhook's signature is), checked and used up inside one immediate transaction; the password
 * follows the one policy (lib/auth/password-policy.ts) and is hashed before the write lock.
 */
export async function acceptInviteAction(raw: unknown): Promise<AcceptResult> {
  const parsed = input.safeParse(raw);
  if (!parsed.success) return { ok: false, message: "This invite link is not valid any more. Ask an admin for a new one." };
  const { token, password, confirm } = parsed.data;
  try {
    const invite = database().transaction((tx) => openInvite(tx, token, Date.now()));
    const problem = passwordProblem(password, invite.email);
    if (problem) return { ok: false, message: problem, field: "password" };
    if (password !== confirm) return { ok: false, message: "The two passwords differ.", field: "confirm" };
    const passwordHash = await hashPassword(password);
    const user = database().transaction((tx) => acceptInvite(tx, { token, passwordHash, at: Date.now() }), { behavior: "immediate" });
    return { ok: true, email: user.email };
  } catch (error) {
    return { ok: false, message: refusalOf(error).message };
  }
}
