import type { DB, Tx } from "../client.ts";
import { prepared } from "../raw.ts";
import type { Role } from "../schema/auth.ts";

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
};

const COLUMNS = `i.id, i.email, i.name, i.role, i.created_by AS createdById, u.name AS createdBy, i.created_at AS createdAt, i.expires_at AS expiresAt, i.accepted_at AS acceptedAt, i.revoked_at AS revokedAt`;

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
