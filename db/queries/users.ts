import "server-only";
import type { Role } from "../schema/auth.ts";
import type { DB, Tx } from "../client.ts";
import { prepared } from "../raw.ts";

export type ActorRow = { role: Role; disabled: boolean; sessionVersion: number };

/** The caller as the database knows them now: read inside a write transaction to authorise at the write. */
export function readActor(db: DB | Tx, userId: number): ActorRow | null {
  const row = prepared(db, "SELECT role, disabled, session_version AS sessionVersion FROM users WHERE id = ?").get(userId) as
    | { role: Role; disabled: number; sessionVersion: number }
    | undefined;
  return row ? { role: row.role, disabled: row.disabled === 1, sessionVersion: row.sessionVersion } : null;
}
