import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { eq } from "drizzle-orm";
import { loginThrottle } from "../../db/schema/index.ts";
import type { DB } from "../../db/client.ts";
import { THROTTLE, clearFailures, lockedFor, recordFailure } from "../../lib/auth/throttle.ts";
import { tempDatabase } from "../support/db.ts";
import { T0 } from "../support/fixtures.ts";

let db: DB;
let cleanup: () => void;

beforeEach(() => ({ db, cleanup } = tempDatabase()));
afterEach(() => cleanup());

const alice = { account: "alice@example.test", ip: "203.0.113.7" };
const bob = { account: "bob@example.test", ip: "198.51.100.9" };

function fail(keys: { account: string; ip: string }, times: number, now = T0) {
  for (let i = 0; i < times; i++) recordFailure(db, keys, now);
}

function row(key: string) {
  return db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
}

describe("sign-in throttle per account", () => {
  test("four failures do not lock the account", () => {
    fail(alice, THROTTLE.maxPerAccount - 1);
    expect(lockedFor(db, alice, T0)).toBe(0);
    expect(row("account:alice@example.test")).toMatchObject({ failures: 4, windowStart: T0, lockedUntil: null });
  });

  test("five failures lock that account for lockMs, and not another account on another address", () => {
    fail(alice, THROTTLE.maxPerAccount);

    expect(lockedFor(db, alice, T0)).toBe(THROTTLE.lockMs);
    expect(lockedFor(db, { ...alice, ip: "192.0.2.1" }, T0)).toBe(THROTTLE.lockMs);
    expect(lockedFor(db, bob, T0)).toBe(0);
    expect(row("account:alice@example.test")).toMatchObject({ failures: 5, lockedUntil: T0 + THROTTLE.lockMs });
    expect(row("ip:203.0.113.7")).toMatchObject({ failures: 5, lockedUntil: null });
    expect(row("account:bob@example.test")).toBeUndefined();
  });

  test("the account key ignores the case of the email", () => {
    fail({ ...alice, account: "Alice@Example.TEST" }, THROTTLE.maxPerAccount);
    expect(lockedFor(db, alice, T0)).toBeGreaterThan(0);
  });

  test("the lock counts down and expires after lockMs", () => {
    fail(alice, THROTTLE.maxPerAccount);
    expect(lockedFor(db, alice, T0 + 60_000)).toBe(THROTTLE.lockMs - 60_000);
    expect(lockedFor(db, alice, T0 + THROTTLE.lockMs - 1)).toBe(1);
    expect(lockedFor(db, alice, T0 + THROTTLE.lockMs)).toBe(0);
    expect(lockedFor(db, alice, T0 + THROTTLE.lockMs + 60_000)).toBe(0);
  });

  test("failures spread over more than one window never lock", () => {
    for (let i = 0; i < 3 * THROTTLE.maxPerAccount; i++) recordFailure(db, alice, T0 + i * (THROTTLE.windowMs / 2 + 1));
    expect(lockedFor(db, alice, T0 + 3 * THROTTLE.maxPerAccount * THROTTLE.windowMs)).toBe(0);
    expect(row("account:alice@example.test")!.failures).toBeLessThan(THROTTLE.maxPerAccount);
  });

  test("clearFailures resets the account after a good sign-in", () => {
    fail(alice, THROTTLE.maxPerAccount - 1);
    clearFailures(db, { ...alice, account: "ALICE@example.test" });

    expect(row("account:alice@example.test")).toBeUndefined();
    // The address keeps its count: a good sign-in does not excuse failures against other accounts.
    expect(row("ip:203.0.113.7")).toMatchObject({ failures: 4 });

    fail(alice, 1);
    expect(row("account:alice@example.test")).toMatchObject({ failures: 1, lockedUntil: null });
    expect(lockedFor(db, alice, T0)).toBe(0);
  });

  test("clearFailures lifts an account lock", () => {
    fail(alice, THROTTLE.maxPerAccount);
    clearFailures(db, alice);
    expect(lockedFor(db, { ...alice, ip: "192.0.2.1" }, T0)).toBe(0);
  });
});

describe("sign-in throttle per address", () => {
  test("twenty failures from one address across accounts lock that address for every account", () => {
    for (let i = 0; i < THROTTLE.maxPerIp; i++) recordFailure(db, { account: `user${i}@example.test`, ip: alice.ip }, T0);

    expect(row("ip:203.0.113.7")).toMatchObject({ failures: THROTTLE.maxPerIp, lockedUntil: T0 + THROTTLE.lockMs });
    // No single account reached its own limit.
    expect(row("account:user0@example.test")).toMatchObject({ failures: 1, lockedUntil: null });
    expect(lockedFor(db, { account: "never-tried@example.test", ip: alice.ip }, T0)).toBe(THROTTLE.lockMs);
    expect(lockedFor(db, { account: "user0@example.test", ip: bob.ip }, T0)).toBe(0);
    expect(lockedFor(db, bob, T0)).toBe(0);
  });

  test("nineteen failures from one address do not lock it", () => {
    for (let i = 0; i < THROTTLE.maxPerIp - 1; i++) recordFailure(db, { account: `user${i}@example.test`, ip: alice.ip }, T0);
    expect(lockedFor(db, { account: "never-tried@example.test", ip: alice.ip }, T0)).toBe(0);
  });

  test("the address lock expires after lockMs", () => {
    for (let i = 0; i < THROTTLE.maxPerIp; i++) recordFailure(db, { account: `user${i}@example.test`, ip: alice.ip }, T0);
    const keys = { account: "never-tried@example.test", ip: alice.ip };
    expect(lockedFor(db, keys, T0 + THROTTLE.lockMs - 1)).toBe(1);
    expect(lockedFor(db, keys, T0 + THROTTLE.lockMs)).toBe(0);
  });

  test("clearFailures for an account does not lift the address lock", () => {
    for (let i = 0; i < THROTTLE.maxPerIp; i++) recordFailure(db, { account: `user${i}@example.test`, ip: alice.ip }, T0);
    clearFailures(db, { account: "user0@example.test", ip: alice.ip });
    expect(lockedFor(db, { account: "user0@example.test", ip: alice.ip }, T0)).toBe(THROTTLE.lockMs);
  });
});
