import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { env } from "../../lib/env.ts";
import { runAs } from "../../lib/auth/session.ts";
import {
  cancelOrderAction as cancelOrderAtVersion,
  cancelUnitsAction as cancelUnitsAtVersion,
  decideRefundAction as decideRefundAtVersion,
  requestRefundAction as requestRefundAtVersion,
} from "../../app/(ops)/orders/[id]/actions.ts";
import { decideQueuedRefundAction as decideQueuedRefundActionNow } from "../../app/(ops)/refunds/actions.ts";
import { loadLedger } from "../../lib/orders/refunds.ts";
import { ledgerViolations, planCancellation, planOrderCancellation } from "../../lib/orders/ledger.ts";
import { STALE_MESSAGE } from "../../lib/orders/version.ts";
import { database } from "../../db/index.ts";
import { thenPaidOut } from "../support/payouts.ts";
import { current, versionOf } from "../support/current.ts";
import { notificationsOf } from "../support/routing-world.ts";
import { insertUser } from "../support/fixtures.ts";
import {
  createOrdersWorld,
  databaseSnapshot,
  expectOk,
  linesOf,
  orderOf,
  placeRoutedOrder,
  refundsOf,
  setAgentRefundLimits,
  stock,
  type OrdersWorld,
} from "../support/orders-world.ts";

const decideQueuedRefundAction = thenPaidOut(decideQueuedRefundActionNow);
const cancelOrder = thenPaidOut(current(cancelOrderAtVersion));
const cancelUnits = thenPaidOut(current(cancelUnitsAtVersion));
const requestRefund = thenPaidOut(current(requestRefundAtVersion));
const decideRefund = thenPaidOut(current(decideRefundAtVersion));

let w: OrdersWorld;
let secondAgent: OrdersWorld["users"]["agent"];
beforeAll(() => {
  w = createOrdersWorld();
  secondAgent = insertUser(w.db, "agent", "second-agent@switchyard.test");
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
  stock(w, w.loc.RTM, w.product.KETTLE, 1_000);
  stock(w, w.loc.RTM, w.product.MUG, 1_000);
});
afterAll(() => w.cleanup());
// Agents may refund €50.00 per order on their own, £40.00 on pound orders.
beforeEach(() => setAgentRefundLimits(w.db, { EUR: 5_000, GBP: 4_000 }));

/** KETTLE×2 (39.00) + MUG×1 (12.00), 5.00 shipping, 20% tax: 90.00 + 5.00 + 19.00 = 114.00 paid. */
const kettlesAndMug = () => placeRoutedOrder(w, { lines: [{ product: w.product.KETTLE, qty: 2 }, { product: w.product.MUG, qty: 1 }] });
const succeeded = (orderId: number) => refundsOf(w.db, orderId).filter((r) => r.status === "succeeded");
const paidBack = (orderId: number) => succeeded(orderId).reduce((n, r) => n + r.amount, 0);
const violations = (orderId: number) => ledgerViolations(database().transaction((tx) => loadLedger(tx, orderId)));

describe("a unit is refunded at most once", () => {
  test("refunding a unit by units and then cancelling that unit pays it once", async () => {
    const o = kettlesAndMug();
    const [, mug] = o.lineIds;
    const byUnits = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, lines: [{ orderLineId: mug!, qty: 1 }], reason: "Chipped on arrival photo" })));
    expect(byUnits.status).toBe("succeeded");
    // 12.00 + 12.00/95.00 of 19.00 = 2.40 tax.
    expect(byUnits.amount).toBe(1_440);
    const cancelled = expectOk(await runAs(w.users.agent, () => cancelUnits({ orderId: o.orderId, lines: [{ orderLineId: mug!, qty: 1 }], reason: "Customer no longer wants it" })));
    expect(cancelled).toMatchObject({ refunded: 0, held: 0, cancelledUnits: 1 });
    expect(paidBack(o.orderId)).toBe(1_440);
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 1_440, subtotal: 7_800 });
    expect(violations(o.orderId)).toEqual([]);
  });

  test("a single-unit line refunded by units three times pays once; the repeats are refused and write nothing", async () => {
    const o = kettlesAndMug();
    const [, mug] = o.lineIds;
    const once = () => runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, lines: [{ orderLineId: mug!, qty: 1 }], reason: "Mug broken" }));
    expect(expectOk(await once()).status).toBe("succeeded");
    for (let i = 0; i < 2; i++) {
      const before = databaseSnapshot(w.db);
      expect(await once()).toMatchObject({ ok: false, code: "conflict", message: expect.stringContaining("already refunded") });
      expect(databaseSnapshot(w.db)).toEqual(before);
    }
    expect(paidBack(o.orderId)).toBe(1_440);
  });

  test("a by-units request waiting for finance, a cancel of the same unit, then approval: paid once", async () => {
    const o = kettlesAndMug();
    const [kettle] = o.lineIds;
    // 2 kettles = 93.60 with tax: over the €50 limit, so it waits.
    const waiting = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, lines: [{ orderLineId: kettle!, qty: 2 }], reason: "Both dented" })));
    expect(waiting.status).toBe("pending_approval");
    const cancel = expectOk(await runAs(w.users.agent, () => cancelUnits({ orderId: o.orderId, lines: [{ orderLineId: kettle!, qty: 1 }], reason: "One not needed" })));
    // The cancelled kettle is covered by the waiting request: nothing more is owed.
    expect(cancel).toMatchObject({ refunded: 0, held: 0 });
    expect(expectOk(await runAs(w.users.finance, () => decideRefund({ orderId: o.orderId, refundId: waiting.refundId, approve: true, note: "Photos fine" })))).toBe("succeeded");
    expect(paidBack(o.orderId)).toBe(9_360);
    expect(violations(o.orderId)).toEqual([]);
  });
});

describe("nothing owed is silent", () => {
  test("a cancellation while a request holds the money is held, shown to finance, and paid when finance rejects the request", async () => {
    const o = kettlesAndMug();
    const [, mug] = o.lineIds;
    const everything = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 11_400, reason: "Wants it all back" })));
    expect(everything.status).toBe("pending_approval");
    const ledger = database().transaction((tx) => loadLedger(tx, o.orderId));
    const promised = planCancellation(ledger, [{ orderLineId: mug!, qty: 1 }]);
    expect(promised).toMatchObject({ owed: 1_440, held: true });
    const cancel = expectOk(await runAs(w.users.agent, () => cancelUnits({ orderId: o.orderId, lines: [{ orderLineId: mug!, qty: 1 }], reason: "Out of mugs" })));
    // What the dialog promised is what happened.
    expect(cancel).toMatchObject({ refunded: 0, held: promised.owed });
    const held = refundsOf(w.db, o.orderId).find((r) => r.status === "on_hold")!;
    expect(held).toMatchObject({ amount: 1_440, kind: "cancellation" });

    expectOk(await runAs(w.users.finance, () => decideQueuedRefundAction({ refundId: everything.refundId, approve: false, note: "Not justified" })));
    expect(refundsOf(w.db, o.orderId).find((r) => r.id === held.id)).toMatchObject({ status: "succeeded", amount: 1_440 });
    expect(orderOf(w.db, o.orderId).refunded).toBe(1_440);
    expect(violations(o.orderId)).toEqual([]);
  });

  test("rejecting a by-units request whose units were cancelled meanwhile refunds those units at once", async () => {
    const o = kettlesAndMug();
    const [kettle] = o.lineIds;
    const waiting = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, lines: [{ orderLineId: kettle!, qty: 2 }], reason: "Both dented" })));
    expectOk(await runAs(w.users.agent, () => cancelUnits({ orderId: o.orderId, lines: [{ orderLineId: kettle!, qty: 1 }], reason: "One not needed" })));
    expect(paidBack(o.orderId)).toBe(0);
    expectOk(await runAs(w.users.finance, () => decideQueuedRefundAction({ refundId: waiting.refundId, approve: false, note: "Dents are cosmetic" })));
    // The cancelled kettle was covered only by the rejected request: its 46.80 is paid in the same transaction.
    expect(succeeded(o.orderId)).toMatchObject([{ kind: "cancellation", amount: 4_680 }]);
    expect(violations(o.orderId)).toEqual([]);
  });

  test("if finance approves the request instead, the held refund pays only what is left, never more than was paid", async () => {
    const o = kettlesAndMug();
    const [, mug] = o.lineIds;
    const most = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 11_000, reason: "Late, wants most back" })));
    expectOk(await runAs(w.users.agent, () => cancelUnits({ orderId: o.orderId, lines: [{ orderLineId: mug!, qty: 1 }], reason: "Out of mugs" })));
    expectOk(await runAs(w.users.finance, () => decideQueuedRefundAction({ refundId: most.refundId, approve: true, note: "Agreed with the customer" })));
    // 114.00 paid: 110.00 approved, the held 14.40 pays the 4.00 left.
    expect(orderOf(w.db, o.orderId)).toMatchObject({ paid: 11_400, refunded: 11_400 });
    expect(refundsOf(w.db, o.orderId).filter((r) => r.status === "on_hold")).toEqual([]);
    expect(violations(o.orderId)).toEqual([]);
  });
});

describe("the agent limit is per order and per currency", () => {
  test("three refunds under the limit do not add up past it: the one that would waits for finance", async () => {
    const o = kettlesAndMug();
    const r = (amount: number) => runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount, reason: "Goodwill" }));
    expect(expectOk(await r(2_000)).status).toBe("succeeded");
    expect(expectOk(await r(2_000)).status).toBe("succeeded");
    expect(expectOk(await r(2_000)).status).toBe("pending_approval");
    expect(orderOf(w.db, o.orderId).refunded).toBe(4_000);
  });

  test("a pound order is held to the pound limit, and a currency without a limit always waits", async () => {
    const o = kettlesAndMug();
    w.db.$client.prepare("UPDATE orders SET currency = 'GBP' WHERE id = ?").run(o.orderId);
    expect(expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 4_500, reason: "Goodwill" }))).status).toBe("pending_approval");
    expect(expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 3_500, reason: "Goodwill" }))).status).toBe("succeeded");
    setAgentRefundLimits(w.db, { EUR: 5_000 });
    expect(expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 100, reason: "Goodwill" }))).status).toBe("pending_approval");
  });

  test("cancellation refunds are owed, never limited, and do not count toward the limit", async () => {
    const o = kettlesAndMug();
    const cancel = expectOk(await runAs(w.users.agent, () => cancelUnits({ orderId: o.orderId, lines: [{ orderLineId: o.lineIds[0]!, qty: 2 }], reason: "Kettles gone" })));
    expect(cancel.refunded).toBe(9_360);
    expect(expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 1_800, reason: "Goodwill" }))).status).toBe("succeeded");
  });
});

describe("stale screens", () => {
  test("two agents cancel the same unit from dialogs opened on the same version: one wins, the other is told the order changed", async () => {
    const o = kettlesAndMug();
    const version = versionOf(o.orderId);
    const input = { orderId: o.orderId, expectedVersion: version, lines: [{ orderLineId: o.lineIds[0]!, qty: 1 }], reason: "Customer called twice" };
    const [a, b] = await Promise.all([runAs(w.users.agent, () => cancelUnitsAtVersion(input)), runAs(secondAgent, () => cancelUnitsAtVersion(input))]);
    const results = [a, b];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, code: "conflict", message: STALE_MESSAGE });
    expect(linesOf(w.db, o.orderId)[0]!.qtyCancelled).toBe(1);
    expect(refundsOf(w.db, o.orderId)).toHaveLength(1);
  });

  test("a refund from a screen opened before a note is refused and writes nothing; reloaded, it goes through", async () => {
    const o = kettlesAndMug();
    const version = versionOf(o.orderId);
    w.db.$client.prepare("INSERT INTO audit_events (entity_type, entity_id, order_id, actor_label, action, created_at) VALUES ('order', ?, ?, 'someone', 'note_added', 0)").run(o.orderId, o.orderId);
    const before = databaseSnapshot(w.db);
    expect(await runAs(w.users.agent, () => requestRefundAtVersion({ orderId: o.orderId, expectedVersion: version, amount: 500, reason: "Goodwill" }))).toMatchObject({ ok: false, code: "conflict" });
    expect(databaseSnapshot(w.db)).toEqual(before);
    expect(expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 500, reason: "Goodwill" }))).status).toBe("succeeded");
  });

  test("cancelling the whole order refunds exactly what its dialog promised, closing the request that waited", async () => {
    const o = kettlesAndMug();
    expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 2_000, reason: "Goodwill" })));
    const waiting = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 6_000, reason: "Damaged" })));
    expect(waiting.status).toBe("pending_approval");
    const promise = planOrderCancellation(database().transaction((tx) => loadLedger(tx, o.orderId)));
    expect(promise).toMatchObject({ superseded: [waiting.refundId], refundNow: 9_400 });
    const done = expectOk(await runAs(w.users.agent, () => cancelOrder({ orderId: o.orderId, reason: "Customer cancelled" })));
    expect(done.refunded).toBe(promise.refundNow);
    expect(orderOf(w.db, o.orderId)).toMatchObject({ status: "cancelled", paid: 11_400, refunded: 11_400, total: 0 });
    expect(violations(o.orderId)).toEqual([]);
  });
});

describe("customer messages", () => {
  test("the refund email never carries the internal reason; the agent's own message to the customer is sent", async () => {
    const o = kettlesAndMug();
    expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 500, reason: "Customer is rude, shut them up" })));
    expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 600, reason: "Courier late", customerMessage: "Sorry for the late delivery." })));
    const refunded = notificationsOf(w.db, o.orderId).filter((n) => n.kind === "refunded");
    expect(refunded).toHaveLength(2);
    expect(refunded.map((n) => n.body).join("\n")).not.toContain("rude");
    expect(refunded.map((n) => n.body).join("\n")).not.toContain("Courier late");
    expect(refunded[1]!.body).toContain("Sorry for the late delivery.");
  });
});
