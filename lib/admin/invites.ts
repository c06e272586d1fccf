import { createHash, randomBytes } from "node:crypto";
import type { Tx } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";
import type { Role } from "../../db/schema/auth.ts";
import { insertInvite, inviteById, inviteByTokenHash, markInviteAccepted, markInviteRevoked, openInvitesFor, type InviteRow } from "../../db/queries/invites.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { createUser, type UserSummary } from "./users.ts";

/** How long an invite link works. */
export const INVITE_TTL_MS = 72 * 3_600_000;
/** The outbox topic an email consumer delivers invites from. */
const INVITE_TOPIC = "staff.invited";

/** A fresh invite token (256 random bits, URL-safe) and the hash that is all the database keeps. */
export function newInviteToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInviteToken(token) };
}

function hashInviteToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export type InviteState = "open" | "accepted" | "revoked" | "expired";

export function inviteState(i: Pick<InviteRow, "acceptedAt" | "revokedAt" | "expiresAt">, now: number): InviteState {
  if (i.acceptedAt !== null) return "accepted";
  if (i.revokedAt !== null) return "revoked";
  return i.expiresAt > now ? "open" : "expired";
}

/**
 * Invites a person as staff: refused when the email already has an account; an open invite for the same
 * email is revoked (the newest link is the one that works). Audited; the link goes out through
 * deliverInvite in the same transaction.
 */
export function createInvite(tx: Tx, i: { email: string; name: string; role: Role; tokenHash: string; actor: Actor; at: number }): InviteRow {
  if (prepared(tx, "SELECT id FROM users WHERE email = ?").get(i.email)) throw new DomainError("conflict", `${i.email} already has an account.`);
  for (const old of openInvitesFor(tx, i.email, i.at)) revokeInvite(tx, { inviteId: old.id, actor: i.actor, at: i.at, reason: "replaced by a new invite" });
  const expiresAt = i.at + INVITE_TTL_MS;
  const id = insertInvite(tx, { email: i.email, name: i.name, role: i.role, tokenHash: i.tokenHash, createdBy: i.actor.id, at: i.at, expiresAt });
  appendAudit(tx, { entityType: "staff_invite", entityId: id, actor: i.actor, action: "staff_invited", toStatus: i.role, data: { email: i.email, name: i.name, role: i.role, expiresAt }, at: i.at });
  return inviteById(tx, id)!;
}

/**
 * Hands the invite link to whoever delivers staff mail: an outbox row (topic staff.invited) an email
 * consumer picks up after commit. Staff have no customer notifier; until such a consumer runs, the admin
 * passes on the link shown once on the screen.
 */
export function deliverInvite(tx: Tx, d: { invite: InviteRow; link: string; at: number }): void {
  enqueueOutbox(tx, {
    topic: INVITE_TOPIC,
    aggregateType: "staff_invite",
    aggregateId: d.invite.id,
    payload: { inviteId: d.invite.id, email: d.invite.email, name: d.invite.name, role: d.invite.role, link: d.link, expiresAt: d.invite.expiresAt },
    at: d.at,
  });
}

/** Revokes an open invite (audited); an accepted, revoked or expired one is a conflict that says which. */
export function revokeInvite(tx: Tx, r: { inviteId: number; actor: Actor; at: number; reason?: string }): InviteRow {
  const invite = inviteById(tx, r.inviteId);
  if (!invite) throw new DomainError("not_found", `Invite ${r.inviteId} does not exist.`);
  const state = inviteState(invite, r.at);
  if (state !== "open" || !markInviteRevoked(tx, invite.id, r.actor.id, r.at)) throw new DomainError("conflict", `This invite is already ${state}.`);
  appendAudit(tx, { entityType: "staff_invite", entityId: invite.id, actor: r.actor, action: "invite_revoked", fromStatus: "open", toStatus: "revoked", reason: r.reason ?? null, data: { email: invite.email }, at: r.at });
  return inviteById(tx, invite.id)!;
}

/** The invite a token opens, if it is still open; why not otherwise (the same words for unknown and used, so a token is not probed). */
export function openInvite(tx: Tx, token: string, at: number): InviteRow {
  const invite = inviteByTokenHash(tx, hashInviteToken(token));
  const state = invite ? inviteState(invite, at) : null;
  if (!invite || state === "accepted" || state === "revoked") throw new DomainError("not_found", "This invite link is not valid any more. Ask an admin for a new one.");
  if (state === "expired") throw new DomainError("conflict", "This invite link has expired. Ask an admin for a new one.");
  return invite;
}

/**
 * The invited person sets their password (already checked against the policy and hashed): the account is
 * created with the invited role, the invite is used up (guarded, so two tabs cannot both accept), both audited.
 */
export function acceptInvite(tx: Tx, a: { token: string; passwordHash: string; at: number }): UserSummary {
  const invite = openInvite(tx, a.token, a.at);
  const inviter: Actor = { id: invite.createdById, label: invite.createdBy ?? "admin" };
  const user = createUser(tx, { email: invite.email, name: invite.name, role: invite.role, passwordHash: a.passwordHash, actor: inviter, at: a.at });
  if (!markInviteAccepted(tx, invite.id, user.id, a.at)) throw new DomainError("conflict", "This invite link is not valid any more. Ask an admin for a new one.");
  appendAudit(tx, {
    entityType: "staff_invite",
    entityId: invite.id,
    actor: { id: user.id, label: user.email },
    action: "invite_accepted",
    fromStatus: "open",
    toStatus: "accepted",
    data: { email: user.email, userId: user.id, role: user.role },
    at: a.at,
  });
  return user;
}
