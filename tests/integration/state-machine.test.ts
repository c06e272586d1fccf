import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ORDER_STATUSES } from "../../db/schema/index.ts";
import type { DB } from "../../db/client.ts";
import { DomainError } from "../../lib/errors.ts";
import { SYSTEM, type Actor } from "../../lib/audit.ts";
import { TRANSITIONS, transition } from "../../lib/orders/state-machine.ts";
import { tempDatabase } from "../support/db.ts";
import { T0, auditRows, insertOrder, insertUser, orderRow, outboxRows } from "../support/fixtures.ts";

let db: DB;
let cleanup: () => void;
let actor: Actor;

beforeAll(() => {
  ({ db, cleanup } = tempDatabase());
  const agent = insertUser(db, "agent");
  actor = { id: agent.id, label: "Test agent (Support agent)" };
});
afterAll(() => cleanup());

/** Runs fn and returns the DomainError it threw; fails the test if it threw anything else or nothing. */
function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected a DomainError, nothing was thrown");
}

function snapshot(orderId: number) {
  return { order: orderRow(db, orderId), audit: auditRows(db), outbox: outboxRows(db) };
}

const PAIRS = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => ({ from, to })));
const ALLOWED = PAIRS.filter(({ from, to }) => TRANSITIONS[from].includes(to));
const REFUSED = PAIRS.filter(({ from, to }) => !TRANSITIONS[from].includes(to));

describe("transition() for every allowed pair", () => {
  test("the generated cases cover all 81 pairs", () => {
    expect(ALLOWED.length + REFUSED.length).toBe(81);
    expect(ALLOWED).toHaveLength(13);
  });

  test.each(ALLOWED)("$from -> $to updates the order and appends one audit row and one outbox row", ({ from, to }) => {
    const orderId = insertOrder(db, from);
    const before = snapshot(orderId);
    const at = T0 + 60_000;

    const result = db.transaction((tx) =>
      transition(tx, { orderId, from, to, actor, reason: `test ${from} to ${to}`, data: { ticket: "T-1", pair: [from, to] }, at }),
    );

    expect(result).toEqual({ orderId, from, to, at });
    const after = snapshot(orderId);
    // The audit row bumps the version by one: a screen opened before this change is now stale.
    expect(after.order).toEqual({ ...before.order, status: to, statusChangedAt: at, updatedAt: at, version: before.order!.version + 1 });

    const newAudit = after.audit.slice(before.audit.length);
    expect(newAudit).toHaveLength(1);
    expect(newAudit[0]).toMatchObject({
      entityType: "order",
      entityId: orderId,
      orderId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "status_changed",
      fromStatus: from,
      toStatus: to,
      reason: `test ${from} to ${to}`,
      data: { ticket: "T-1", pair: [from, to] },
      createdAt: at,
    });

    const newOutbox = after.outbox.slice(before.outbox.length);
    expect(newOutbox).toHaveLength(1);
    expect(newOutbox[0]).toMatchObject({
      topic: "order.status_changed",
      aggregateType: "order",
      aggregateId: orderId,
      payload: { orderId, from, to, at, reason: `test ${from} to ${to}` },
      createdAt: at,
      availableAt: at,
      attempts: 0,
      deliveredAt: null,
    });
  });
});

describe("transition() for every refused pair", () => {
  test.each(REFUSED)("$from -> $to is refused as invalid_transition and writes nothing", ({ from, to }) => {
    const orderId = insertOrder(db, from);
    const before = snapshot(orderId);

    const error = domainErrorOf(() => db.transaction((tx) => transition(tx, { orderId, from, to, actor, reason: "should not stick", at: T0 + 1 })));

    expect(error.code).toBe("invalid_transition");
    expect(error.details).toEqual({ from, to });
    expect(error.message).toContain(from.replaceAll("_", " "));
    expect(snapshot(orderId)).toEqual(before);
  });
});

describe("transition() failures that are not about the table", () => {
  test("a stale expected status is a conflict and writes nothing", () => {
    const orderId = insertOrder(db, "pending");
    db.transaction((tx) => transition(tx, { orderId, from: "pending", to: "payment_processing", actor: SYSTEM, at: T0 + 1 }));
    const before = snapshot(orderId);

    // A second user still looking at "pending" tries to cancel.
    const error = domainErrorOf(() => db.transaction((tx) => transition(tx, { orderId, from: "pending", to: "cancelled", actor, at: T0 + 2 })));

    expect(error.code).toBe("conflict");
    expect(error.details).toEqual({ expected: "pending", actual: "payment_processing" });
    expect(snapshot(orderId)).toEqual(before);
    expect(snapshot(orderId).order?.status).toBe("payment_processing");
  });

  test("an unknown order id is not_found and writes nothing", () => {
    const before = { audit: auditRows(db), outbox: outboxRows(db) };

    const error = domainErrorOf(() =>
      db.transaction((tx) => transition(tx, { orderId: 987_654, from: "pending", to: "payment_processing", actor, at: T0 })),
    );

    expect(error.code).toBe("not_found");
    expect(orderRow(db, 987_654)).toBeUndefined();
    expect({ audit: auditRows(db), outbox: outboxRows(db) }).toEqual(before);
  });

  test("a transition in a transaction that later throws is rolled back with its audit and outbox rows", () => {
    const orderId = insertOrder(db, "paid");
    const before = snapshot(orderId);

    expect(() =>
      db.transaction((tx) => {
        transition(tx, { orderId, from: "paid", to: "awaiting_fulfillment", actor, at: T0 + 5 });
        throw new Error("a later step of the same change failed");
      }),
    ).toThrow("a later step of the same change failed");

    expect(snapshot(orderId)).toEqual(before);
    expect(snapshot(orderId).order?.status).toBe("paid");
  });

  test("two transitions chained in one transaction leave two audit rows in order", () => {
    const orderId = insertOrder(db, "pending");
    const before = snapshot(orderId);

    db.transaction((tx) => {
      transition(tx, { orderId, from: "pending", to: "payment_processing", actor: SYSTEM, at: T0 + 10 });
      transition(tx, { orderId, from: "payment_processing", to: "paid", actor: SYSTEM, at: T0 + 20 });
    });

    const after = snapshot(orderId);
    expect(after.order?.status).toBe("paid");
    const newAudit = after.audit.slice(before.audit.length);
    expect(newAudit.map((a) => [a.fromStatus, a.toStatus, a.actorId, a.actorLabel])).toEqual([
      ["pending", "payment_processing", null, "system"],
      ["payment_processing", "paid", null, "system"],
    ]);
    expect(after.outbox.slice(before.outbox.length)).toHaveLength(2);
  });

  test("reason and data default to null when not given", () => {
    const orderId = insertOrder(db, "fulfilled");
    const before = snapshot(orderId);

    db.transaction((tx) => transition(tx, { orderId, from: "fulfilled", to: "delivered", actor, at: T0 + 30 }));

    const [row] = snapshot(orderId).audit.slice(before.audit.length);
    expect(row).toMatchObject({ reason: null, data: null, fromStatus: "fulfilled", toStatus: "delivered" });
  });
});
