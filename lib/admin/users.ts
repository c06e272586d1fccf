import type { DB, Tx } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";
import type { Role } from "../../db/schema/auth.ts";
import { appendAudit, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { endSessions } from "../auth/session-version.ts";

/** What the admin screens and actions return about a user: never the password hash. */
export type UserSummary = { id: number; email: string; name: string; role: Role; disabled: boolean };

const SUMMARY = "SELECT id, email, name, role, disabled FROM users WHERE id = ?";

/** The user as the admin screens show them; not_found when there is no such user. */
export function summary(tx: Tx | DB, id: number): UserSummary {
  const row = prepared(tx, SUMMARY).get(id) as (Omit<UserSummary, "disabled"> & { disabled: number }) | undefined;
  if (!row) throw new DomainError("not_found", `User ${id} does not exist.`);
  return { ...row, disabled: row.disabled === 1 };
}

function activeAdmins(tx: Tx): number {
  return (prepared(tx, "SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n;
}

/** Creates a user with an already-hashed password; the audit row names the role, never the password. */
export function createUser(tx: Tx, u: { email: string; name: string; role: Role; passwordHash: string; actor: Actor; at: number }): UserSummary {
  const taken = prepared(tx, "SELECT id FROM users WHERE email = ?").get(u.email);
  if (taken) throw new DomainError("conflict", `${u.email} already has an account.`);
  const id = Number(
    prepared(tx, "INSERT INTO users (email, name, role, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)").run(u.email, u.name, u.role, u.passwordHash, u.at, u.at)
      .lastInsertRowid,
  );
  appendAudit(tx, { entityType: "user", entityId: id, actor: u.actor, action: "user_created", toStatus: u.role, data: { email: u.email, name: u.name, role: u.role }, at: u.at });
  return summary(tx, id);
}

/** Changes a role and ends the user's sessions; nobody demotes themselves, and the last active admin stays an admin. */
export function changeRole(tx: Tx, c: { userId: number; role: Role; actor: Actor; at: number }): UserSummary {
  const before = summary(tx, c.userId);
  if (before.role === c.role) return before;
  if (c.userId === c.actor.id) throw new DomainError("invalid_input", "You cannot change your own role; ask another admin.");
  if (before.role === "admin" && !before.disabled && activeAdmins(tx) <= 1) throw new DomainError("conflict", "This is the last active admin; make someone else admin first.");
  prepared(tx, "UPDATE users SET role = ?, updated_at = ? WHERE id = ?").run(c.role, c.at, c.userId);
  endSessions(tx, c.userId);
  appendAudit(tx, { entityType: "user", entityId: c.userId, actor: c.actor, action: "role_changed", fromStatus: before.role, toStatus: c.role, data: { email: before.email }, at: c.at });
  return summary(tx, c.userId);
}

/** Disables or enables sign-in; disabling ends the user's sessions at their next request. */
export function setDisabled(tx: Tx, c: { userId: number; disabled: boolean; actor: Actor; at: number }): UserSummary {
  const before = summary(tx, c.userId);
  if (before.disabled === c.disabled) return before;
  if (c.disabled && c.userId === c.actor.id) throw new DomainError("invalid_input", "You cannot disable your own account.");
  if (c.disabled && before.role === "admin" && activeAdmins(tx) <= 1) throw new DomainError("conflict", "This is the last active admin; it cannot be disabled.");
  prepared(tx, "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?").run(c.disabled ? 1 : 0, c.at, c.userId);
  if (c.disabled) endSessions(tx, c.userId);
  appendAudit(tx, {
    entityType: "user",
    entityId: c.userId,
    actor: c.actor,
    action: c.disabled ? "user_disabled" : "user_enabled",
    fromStatus: before.disabled ? "disabled" : "active",
    toStatus: c.disabled ? "disabled" : "active",
    data: { email: before.email },
    at: c.at,
  });
  return summary(tx, c.userId);
}

/** Sets a new (already hashed) password and ends every session signed in with the old one; audited without the password. */
export function setPassword(tx: Tx, c: { userId: number; passwordHash: string; actor: Actor; at: number }): UserSummary {
  const before = summary(tx, c.userId);
  prepared(tx, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?").run(c.passwordHash, c.at, c.userId);
  endSessions(tx, c.userId);
  appendAudit(tx, { entityType: "user", entityId: c.userId, actor: c.actor, action: "password_changed", data: { email: before.email }, at: c.at });
  return before;
}
