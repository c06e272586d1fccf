import { eq, sql } from "drizzle-orm";
import { loginThrottle } from "../../db/schema/index.ts";
import type { DB, Tx } from "../../db/client.ts";
import { UNKNOWN_ADDRESS } from "../forwarded.ts";

type Backoff = { failuresBeforeWait: number; firstWaitMs: number };

/**
 * Sign-in backoff: a wait that doubles with each failure, per address and per address + account, never a
 * lock on an account alone, so a stranger's failures slow the stranger and not the owner elsewhere.
 */
export const THROTTLE = {
  /** One address guessing one account's password. */
  addressAccount: { failuresBeforeWait: 3, firstWaitMs: 15_000 } satisfies Backoff,
  /** One address trying many accounts (password spraying). */
  address: { failuresBeforeWait: 10, firstWaitMs: 5_000 } satisfies Backoff,
  maxWaitMs: 15 * 60_000,
  /** A key with no failure for this long starts again from nothing. */
  forgetAfterMs: 24 * 60 * 60_000,
} as const;

export type ThrottleKeys = { account: string; ip: string };

/** The wait after the nth failure in a row: none at first, then doubling up to maxWaitMs. */
export function waitAfter(failures: number, b: Backoff): number {
  if (failures < b.failuresBeforeWait) return 0;
  return Math.min(THROTTLE.maxWaitMs, b.firstWaitMs * 2 ** (failures - b.failuresBeforeWait));
}

const pairKey = (k: ThrottleKeys) => `ip+account:${k.ip}|${k.account.trim().toLowerCase()}`;

function keysOf(k: ThrottleKeys): { key: string; backoff: Backoff }[] {
  const keys = [{ key: pairKey(k), backoff: THROTTLE.addressAccount }];
  // Every caller shares the unknown address: slowing it down as one address would let a stranger slow everyone.
  if (k.ip !== UNKNOWN_ADDRESS) keys.push({ key: `ip:${k.ip}`, backoff: THROTTLE.address });
  return keys;
}

type Row = typeof loginThrottle.$inferSelect;
const readRow = (db: DB | Tx, key: string): Row | undefined => db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
const forgotten = (row: Row, now: number) => now - (row.lockedUntil ?? row.windowStart) >= THROTTLE.forgetAfterMs;

/** Milliseconds until this address may try this account again; 0 means now. */
export function retryAfter(db: DB | Tx, k: ThrottleKeys, now = Date.now()): number {
  let wait = 0;
  for (const { key } of keysOf(k)) {
    const row = readRow(db, key);
    if (row?.lockedUntil && row.lockedUntil > now) wait = Math.max(wait, row.lockedUntil - now);
  }
  return wait;
}

/**
 * Lets a sign-in attempt through and counts it as a failure until the password proves right (so
 * guesses sent in parallel all count), or answers how long to wait and counts nothing.
 */
export function admitSignIn(db: DB, k: ThrottleKeys, now = Date.now()): number {
  return db.transaction(
    (tx) => {
      const wait = retryAfter(tx, k, now);
      if (wait > 0) return wait;
      for (const { key, backoff } of keysOf(k)) {
        const row = readRow(tx, key);
        const fresh = !row || forgotten(row, now);
        const failures = fresh ? 1 : row.failures + 1;
        const values = { failures, windowStart: fresh ? now : row.windowStart, lockedUntil: now + waitAfter(failures, backoff) };
        tx.insert(loginThrottle).values({ key, ...values }).onConflictDoUpdate({ target: loginThrottle.key, set: values }).run();
      }
      return 0;
    },
    { behavior: "immediate" },
  );
}

/** The password was right: this address and account start again; the address keeps its other failures. */
export function signInSucceeded(db: DB, k: ThrottleKeys): void {
  db.transaction((tx) => {
    tx.delete(loginThrottle).where(eq(loginThrottle.key, pairKey(k))).run();
    if (k.ip !== UNKNOWN_ADDRESS) {
      tx.update(loginThrottle)
        .set({ failures: sql`max(${loginThrottle.failures} - 1, 0)` })
        .where(eq(loginThrottle.key, `ip:${k.ip}`))
        .run();
    }
  });
}
