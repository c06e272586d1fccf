import type { DB, Tx } from "../client.ts";
import { prepared } from "../raw.ts";
import type { InviteEmailStatus, Role } from "../schema/auth.ts";

export type InviteRow = {
  id: number;
  email: string;
  name: string;
  role: Role;
  createdById: number | null;
  createdBy: string | null;
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
  revokedAt: number | null;
  emailStatus: InviteEmailStatus | null;
  emailError: string | null;
  emailAt: number | null;
};

const COLUMNS = `i.id, i.email, i.name, i.role, i.created_by AS createdById, u.name AS createdBy, i.created_at AS createdAt, i.expires_at AS expiresAt, i.accepted_at AS acceptedAt, i.revoked_at AS revokedAt,
  i.email_status AS emailStatus, i.email_error AS emailError, i.email_at AS emailAt`;

export function insertInvite(tx: Tx, i: { email: string; name: string; role: Role; tokenHash: string; createdBy: number | null; at: number; expiresAt: number }): number {
  return Number(
    prepared(tx, "INSERT INTO staff_invites (email, name, role, token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)").run(
      i.email,
      i.name,
      i.role,
      i.tokenHash,
      i.createdBy,
      i.at,
      i.expiresAt,
    ).lastInsertRowid,
  );
}

/** Invites for this email that could still be accepted at `at`. */
export function openInvitesFor(tx: Tx | DB, email: string, at: number): InviteRow[] {
  return prepared(tx, `SELECT ${COLUMNS} FROM staff_invites i LEFT JOIN users u ON u.id = i.created_by WHERE i.email = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?`).all(
    email,
    at,
  ) as InviteRow[];
}

export function inviteById(tx: Tx | DB, id: number): InviteRow | undefined {
  return prepared(tx, `SELECT ${COLUMNS} FROM staff_invites i LEFT JOIN users u ON u.id = i.created_by WHERE i.id = ?`).get(id) as InviteRow | undefined;
}

export function inviteByTokenHash(tx: Tx | DB, tokenHash: string): InviteRow | undefined {
  return prepared(tx, `SELECT ${COLUMNS} FROM staff_invites i LEFT JOIN users u ON u.id = i.created_by WHERE i.token_hash = ?`).get(tokenHash) as InviteRow | undefined;
}

/** Guarded: only an open invite is revoked (0 rows: it was accepted, revoked or expired meanwhile). */
export function markInviteRevoked(tx: Tx, id: number, by: number | null, at: number): boolean {
  return prepared(tx, "UPDATE staff_invites SET revoked_at = ?, revoked_by = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL").run(at, by, id).changes === 1;
}

/** Guarded: an invite is used once, before it expires, unless revoked. 0 rows means it is not open any more. */
export function markInviteAccepted(tx: Tx, id: number, userId: number, at: number): boolean {
  return (
    prepared(tx, "UPDATE staff_invites SET accepted_at = ?, user_id = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?").run(at, userId, id, at).changes === 1
  );
}

/** The newest invites first, for the admin screen. */
export function recentInvites(db: DB, limit = 50): InviteRow[] {
  return prepared(db, `SELECT ${COLUMNS} FROM staff_invites i LEFT JOIN users u ON u.id = i.created_by ORDER BY i.created_at DESC, i.id DESC LIMIT ?`).all(limit) as InviteRow[];
}

/** Keeps the sealed link for the email consumer and marks the invite's email pending (same transaction as the invite). */
export function queueInviteEmail(tx: Tx, id: number, linkSealed: string): void {
  prepared(tx, "UPDATE staff_invites SET email_status = 'pending', email_error = NULL, email_at = NULL, link_sealed = ? WHERE id = ?").run(linkSealed, id);
}

export type PendingInviteEmail = InviteRow & { linkSealed: string | null };

/** An invite whose email is still to be sent, with its sealed link; null once sent, failed or skipped. */
export function pendingInviteEmail(db: DB, id: number): PendingInviteEmail | null {
  const row = prepared(db, `SELECT ${COLUMNS}, i.link_sealed AS linkSealed FROM staff_invites i LEFT JOIN users u ON u.id = i.created_by WHERE i.id = ? AND i.email_status = 'pending'`).get(id) as
    | PendingInviteEmail
    | undefined;
  return row ?? null;
}

/**
 * The end of an invite's email: sent, failed for good, or skipped (the invite was revoked, accepted or had
 * expired). The sealed link is dropped with it; only a pending email changes (a second outcome is a no-op).
 */
export function recordInviteEmailOutcome(tx: Tx | DB, o: { id: number; outcome: Exclude<InviteEmailStatus, "pending">; error: string | null; at: number }): boolean {
  return (
    prepared(tx, "UPDATE staff_invites SET email_status = ?, email_error = ?, email_at = ?, link_sealed = NULL WHERE id = ? AND email_status = 'pending'").run(o.outcome, o.error, o.at, o.id).changes === 1
  );
}

/** A transient failure, kept on the still-pending invite so the admin screen says why it is taking long. */
export function noteInviteEmailRetry(db: DB, o: { id: number; error: string }): void {
  prepared(db, "UPDATE staff_invites SET email_error = ? WHERE id = ? AND email_status = 'pending'").run(o.error, o.id);
}
