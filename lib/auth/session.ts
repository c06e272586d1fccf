import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { getToken, type JWT } from "next-auth/jwt";
import { eq } from "drizzle-orm";
import { database } from "../../db/index.ts";
import type { DB } from "../../db/client.ts";
import { users } from "../../db/schema/index.ts";
import { env } from "../env.ts";
import { servedOverHttps } from "../forwarded.ts";
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

function cookiesOf(header: string | null): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) jar[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return jar;
}

/** The session token the request carries, decrypted and checked by next-auth; null when absent, expired or forged. */
async function sessionToken(requestHeaders: Headers): Promise<JWT | null> {
  const req = { headers: requestHeaders, cookies: cookiesOf(requestHeaders.get("cookie")) };
  return getToken({ req: req as unknown as Parameters<typeof getToken>[0]["req"], secret: env().AUTH_SECRET, secureCookie: servedOverHttps(requestHeaders) });
}

/**
 * Who a session token belongs to, as the database knows them now: null when the user is gone or
 * disabled, or when their session_version moved on since the token was issued (sign-out, disable,
 * role or password change), so a copied cookie stops working at once, not when it expires.
 */
export function userFromToken(db: DB, token: JWT | null): SessionUser | null {
  if (!token || typeof token.uid !== "number" || typeof token.sv !== "number") return null;
  const row = db.select().from(users).where(eq(users.id, token.uid)).get();
  if (!row || row.disabled || row.sessionVersion !== token.sv) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role, sessionVersion: row.sessionVersion };
}

/**
 * The signed-in user, re-read from the database on every request. Route handlers pass their request;
 * pages and server actions read the request's headers from Next.
 */
export async function currentUser(req?: Request): Promise<SessionUser | null> {
  const forced = asUser.getStore();
  if (forced) return forced.user;
  // Loaded only when asked without a request, so scripts and worker children that never do can run outside Next.
  return userFromToken(database(), await sessionToken(req?.headers ?? (await (await import("next/headers")).headers())));
}

export function actorOf(user: SessionUser): Actor {
  return { id: user.id, label: `${user.name} (${ROLE_LABELS[user.role]})` };
}
