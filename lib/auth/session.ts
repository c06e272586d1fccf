import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { getServerSession } from "next-auth";
import { eq } from "drizzle-orm";
import { database } from "../../db/index.ts";
import { users } from "../../db/schema/index.ts";
import { authOptions } from "./options.ts";
import { ROLE_LABELS, type SessionUser } from "./permissions.ts";
import type { Actor } from "../audit.ts";

const asUser = new AsyncLocalStorage<{ user: SessionUser | null }>();

/** Runs fn as this user without a cookie: for the worker, scripts and integration tests. */
export function runAs<T>(user: SessionUser | null, fn: () => T): T {
  return asUser.run({ user }, fn);
}

/** True inside runAs(): there is no Next request (worker, script, test), so no page cache to refresh. */
export function outsideRequest(): boolean {
  return asUser.getStore() !== undefined;
}

/**
 * The signed-in user, re-read from the database on every request so that a disabled
 * account or a changed role takes effect at once, not when the cookie expires.
 */
export async function currentUser(): Promise<SessionUser | null> {
  const forced = asUser.getStore();
  if (forced) return forced.user;
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const row = database().select().from(users).where(eq(users.id, id)).get();
  if (!row || row.disabled) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

export function actorOf(user: SessionUser): Actor {
  return { id: user.id, label: `${user.name} (${ROLE_LABELS[user.role]})` };
}
