import { eq, sql } from "drizzle-orm";
import { loginThrottle } from "../../db/schema/index.ts";
import type { DB } from "../../db/client.ts";

/** Failures allowed per window before the key is locked, and for how long. */
export const THROTTLE = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxPerAccount: 5,
  maxPerIp: 20,
} as const;

export type ThrottleKeys = { account: string; ip: string };

function keysOf(k: ThrottleKeys) {
  return [
    { key: `account:${k.account.toLowerCase()}`, max: THROTTLE.maxPerAccount },
    { key: `ip:${k.ip}`, max: THROTTLE.maxPerIp },
  ];
}

/** Milliseconds until sign-in may be tried again for this account or address, or 0. */
export function lockedFor(db: DB, k: ThrottleKeys, now = Date.now()): number {
  let wait = 0;
  for (const { key } of keysOf(k)) {
    const row = db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
    if (row?.lockedUntil && row.lockedUntil > now) wait = Math.max(wait, row.lockedUntil - now);
  }
  return wait;
}

export function recordFailure(db: DB, k: ThrottleKeys, now = Date.now()): void {
  db.transaction((tx) => {
    for (const { key, max } of keysOf(k)) {
      const row = tx.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
      const fresh = !row || now - row.windowStart >= THROTTLE.windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const lockedUntil = failures >= max ? now + THROTTLE.lockMs : null;
      tx.insert(loginThrottle)
        .values({ key, failures, windowStart: fresh ? now : row.windowStart, lockedUntil })
        .onConflictDoUpdate({
          target: loginThrottle.key,
          set: { failures, windowStart: fresh ? now : sql`${loginThrottle.windowStart}`, lockedUntil },
        })
        .run();
    }
  });
}

export function clearFailures(db: DB, k: ThrottleKeys): void {
  db.delete(loginThrottle).where(eq(loginThrottle.key, `account:${k.account.toLowerCase()}`)).run();
}
