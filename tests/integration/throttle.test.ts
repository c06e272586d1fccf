import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { eq } from "drizzle-orm";
import { loginThrottle } from "../../db/schema/index.ts";
import type { DB } from "../../db/client.ts";
import { THROTTLE, admitSignIn, retryAfter, signInSucceeded, waitAfter } from "../../lib/auth/throttle.ts";
import { UNKNOWN_ADDRESS, clientAddress } from "../../lib/forwarded.ts";
import { tempDatabase } from "../support/db.ts";
import { T0 } from "../support/fixtures.ts";

let db: DB;
let cleanup: () => void;

beforeEach(() => ({ db, cleanup } = tempDatabase()));
afterEach(() => cleanup());

const stranger = { account: "alice@example.test", ip: "203.0.113.7" };
const owner = { account: "alice@example.test", ip: "198.51.100.9" };
const { failuresBeforeWait, firstWaitMs } = THROTTLE.addressAccount;

/** Failed sign-ins, each tried as soon as the throttle lets it; returns when the last one happened. */
function failUntilAllowed(keys: { account: string; ip: string }, times: number, from = T0): number {
  let now = from;
  for (let i = 0; i < times; i++) {
    now += retryAfter(db, keys, now);
    expect(admitSignIn(db, keys, now)).toBe(0);
  }
  return now;
}

function row(key: string) {
  return db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
}

describe("sign-in backoff per address and account", () => {
  test("the first failures cost nothing; then each failure doubles the wait, up to 15 minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50].map((n) => waitAfter(n, THROTTLE.addressAccount))).toEqual([
      0, 0, 15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000,
    ]);
    failUntilAllowed(stranger, failuresBeforeWait - 1);
    expect(retryAfter(db, stranger, T0)).toBe(0);
    failUntilAllowed(stranger, 1);
    expect(retryAfter(db, stranger, T0)).toBe(firstWaitMs);
    expect(row("ip+account:203.0.113.7|alice@example.test")).toMatchObject({ failures: failuresBeforeWait, lockedUntil: T0 + firstWaitMs });
  });

  test("an attempt during the wait is refused and counts nothing", () => {
    failUntilAllowed(stranger, failuresBeforeWait);
    expect(admitSignIn(db, stranger, T0 + 1_000)).toBe(firstWaitMs - 1_000);
    expect(row("ip+account:203.0.113.7|alice@example.test")).toMatchObject({ failures: failuresBeforeWait });
  });

  test("a stranger's failures from one address do not hold back the owner from another", () => {
    const last = failUntilAllowed(stranger, 12);
    expect(retryAfter(db, stranger, last)).toBe(THROTTLE.maxWaitMs);

    expect(retryAfter(db, owner, last)).toBe(0);
    expect(admitSignIn(db, owner, last)).toBe(0);
    signInSucceeded(db, owner);
    expect(row("ip+account:198.51.100.9|alice@example.test")).toBeUndefined();
    expect(retryAfter(db, stranger, last)).toBe(THROTTLE.maxWaitMs);
  });

  test("the account key ignores the case and spaces of the email", () => {
    failUntilAllowed({ ...stranger, account: " Alice@Example.TEST" }, failuresBeforeWait);
    expect(retryAfter(db, stranger, T0)).toBeGreaterThan(0);
  });

  test("a right password starts this address and account again", () => {
    failUntilAllowed(stranger, failuresBeforeWait - 1);
    expect(admitSignIn(db, stranger, T0)).toBe(0);
    signInSucceeded(db, { ...stranger, account: "ALICE@example.test" });
    expect(row("ip+account:203.0.113.7|alice@example.test")).toBeUndefined();
    expect(retryAfter(db, stranger, T0)).toBe(0);
  });

  test("guesses sent at once all count: only the first ones get through before the wait", () => {
    const admitted = Array.from({ length: 20 }, () => admitSignIn(db, stranger, T0)).filter((wait) => wait === 0);
    expect(admitted).toHaveLength(failuresBeforeWait);
  });

  test("a key with no failure for a day starts from nothing", () => {
    const last = failUntilAllowed(stranger, 8);
    const later = last + THROTTLE.maxWaitMs + THROTTLE.forgetAfterMs;
    expect(admitSignIn(db, stranger, later)).toBe(0);
    expect(row("ip+account:203.0.113.7|alice@example.test")).toMatchObject({ failures: 1, windowStart: later });
  });
});

describe("sign-in backoff per address", () => {
  test("failures against many accounts from one address slow that address for every account, not other addresses", () => {
    let now = T0;
    for (let i = 0; i < THROTTLE.address.failuresBeforeWait; i++) {
      now += retryAfter(db, { account: `user${i}@example.test`, ip: stranger.ip }, now);
      expect(admitSignIn(db, { account: `user${i}@example.test`, ip: stranger.ip }, now)).toBe(0);
    }
    expect(row("ip:203.0.113.7")).toMatchObject({ failures: THROTTLE.address.failuresBeforeWait });
    expect(retryAfter(db, { account: "never-tried@example.test", ip: stranger.ip }, now)).toBe(THROTTLE.address.firstWaitMs);
    expect(retryAfter(db, { account: "never-tried@example.test", ip: owner.ip }, now)).toBe(0);
  });

  test("a right password does not excuse the address's failures against other accounts", () => {
    failUntilAllowed({ account: "bob@example.test", ip: stranger.ip }, 2);
    expect(admitSignIn(db, stranger, T0)).toBe(0);
    signInSucceeded(db, stranger);
    expect(row("ip:203.0.113.7")).toMatchObject({ failures: 2 });
  });

  test("the unknown address is never throttled as one address, since every unproxied caller shares it", () => {
    for (let i = 0; i < 3 * THROTTLE.address.failuresBeforeWait; i++) admitSignIn(db, { account: `user${i}@example.test`, ip: UNKNOWN_ADDRESS }, T0);
    expect(row(`ip:${UNKNOWN_ADDRESS}`)).toBeUndefined();
    expect(retryAfter(db, { account: "colleague@example.test", ip: UNKNOWN_ADDRESS }, T0)).toBe(0);
  });
});

describe("the client address behind TRUST_PROXY", () => {
  const rotating = ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.6"];

  test("without TRUST_PROXY a rotated X-Forwarded-For is ignored, so the same account still backs off", () => {
    let now = T0;
    const waits = rotating.map((forged) => {
      const keys = { account: "alice@example.test", ip: clientAddress({ "x-forwarded-for": forged, "x-real-ip": forged }, 0) };
      const wait = admitSignIn(db, keys, now);
      now += 1;
      return wait;
    });
    expect(waits.slice(0, failuresBeforeWait)).toEqual([0, 0, 0]);
    expect(waits.slice(failuresBeforeWait).every((w) => w > 0)).toBe(true);
  });

  test("with one trusted proxy the address is the right-most X-Forwarded-For entry, whatever the client prepended", () => {
    expect(clientAddress({ "x-forwarded-for": "10.9.9.9, 203.0.113.7" }, 1)).toBe("203.0.113.7");
    expect(clientAddress(new Headers({ "x-forwarded-for": "1.1.1.1, 2.2.2.2, 203.0.113.7" }), 1)).toBe("203.0.113.7");
    expect(clientAddress({ "x-forwarded-for": "1.1.1.1, 203.0.113.7, 10.0.0.2" }, 2)).toBe("203.0.113.7");
    expect(clientAddress({ "x-forwarded-for": "::ffff:203.0.113.7" }, 1)).toBe("203.0.113.7");
    expect(clientAddress({ "x-forwarded-for": "[2001:db8::1]:4711" }, 1)).toBe("2001:db8::1");
    expect(clientAddress({ "x-forwarded-for": "203.0.113.7:4711" }, 1)).toBe("203.0.113.7");
    expect(clientAddress({ "x-forwarded-for": "not-an-address" }, 1)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress({}, 1)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress({ "x-forwarded-for": "203.0.113.7" }, 0)).toBe(UNKNOWN_ADDRESS);
  });

  test("with one trusted proxy, a client prepending forged addresses still lands on its own key", () => {
    let now = T0;
    const waits = rotating.map((forged) => {
      const keys = { account: "alice@example.test", ip: clientAddress({ "x-forwarded-for": `${forged}, 203.0.113.7` }, 1) };
      const wait = admitSignIn(db, keys, now);
      now += 1;
      return wait;
    });
    expect(waits.slice(failuresBeforeWait).every((w) => w > 0)).toBe(true);
  });
});
