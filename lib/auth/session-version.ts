import type { DB, Tx } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";

/**
 * Ends every session of this user at once: each token carries the users.session_version it was issued
 * under (`sv`), and currentUser and the write guard refuse any other. Runs in the caller's transaction.
 */
export function endSessions(tx: DB | Tx, userId: number): void {
  prepared(tx, "UPDATE users SET session_version = session_version + 1 WHERE id = ?").run(userId);
}

/** Sign-out: ends the user's sessions only while this token is current, so a revoked copy cannot do it again. */
export function endSessionsOf(db: DB, token: { userId: number; sessionVersion: number }): boolean {
  const changed = prepared(db, "UPDATE users SET session_version = session_version + 1 WHERE id = ? AND session_version = ?").run(token.userId, token.sessionVersion);
  return changed.changes === 1;
}
