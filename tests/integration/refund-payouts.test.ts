import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { env } from "../../lib/env.ts";
import { runAs } from "../../lib/auth/session.ts";
import { cancelUnitsAction, requestRefundAction } from "../../app/(ops)/orders/[id]/actions.ts";
import { retryRefundAction } from "../../app/(ops)/refunds/actions.ts";
import { paymentsConsumer } from "../../lib/payments/consumer.ts";
import { simulatedProvider, usePaymentProvider, type PaymentProvider, type RefundRequest } from "../../lib/payments/provider.ts";
import { deliverNext } from "../../lib/worker/outbox.ts";
import { readCursor, retryNow } from "../../lib/worker/cursors.ts";
import { loadLedger } from "../../lib/orders/refunds.ts";
import { ledgerViolations, refundableNow, refundableUnits } from "../../lib/orders/ledger.ts";
import { database } from "../../db/index.ts";
import { current } from "../support/current.ts";
import { auditOf, notificationsOf } from "../support/routing-world.ts";
import { settlePayouts } from "../support/payouts.ts";
import { createOrdersWorld, expectOk, orderOf, placeRoutedOrder, refundsOf, setAgentRefundLimit, stock, type OrdersWorld } from "../support/orders-world.ts";

const requestRefund = current(requestRefundAction);
const cancelUnits = current(cancelUnitsAction);

let w: OrdersWorld;
beforeAll(() => {
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
  stock(w, w.loc.RTM, w.product.KETTLE, 1_000);
  stock(w, w.loc.RTM, w.product.MUG, 1_000);
  setAgentRefundLimit(w.db, 50_000);
});
afterAll(() => w.cleanup());
beforeEach(() => usePaymentProvider(simulatedProvider));

/** A provider that records every call and answers as told. */
function scripted(answer: (r: RefundRequest, call: number) => Promise<"succeeded" | "failed">): PaymentProvider & { calls: RefundRequest[] } {
  const calls: RefundRequest[] = [];
  return {
    name: "scripted",
    calls,
    async refund(r) {
      calls.push(r);
      const status = await answer(r, calls.length);
      return { status, reference: `scr_${r.refundId}_${calls.length}`, ...(status === "failed" ? { message: "card expired" } : {}) };
    },
  };
}

const kettlesAndMug = () => placeRoutedOrder(w, { lines: [{ product: w.product.KETTLE, qty: 2 }, { product: w.product.MUG, qty: 1 }] });
const violations = (orderId: number) => ledgerViolations(database().transaction((tx) => loadLedger(tx, orderId)));

describe("refunds are paid out after commit, through the payments consumer", () => {
  test("a refund stays approved (counted as waiting) until the provider answers; then it succeeds once, with the order's refunded total", async () => {
    const provider = scripted(async () => "succeeded");
    usePaymentProvider(provider);
    const o = kettlesAndMug();
    const r = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 3_000, reason: "Late delivery" })));
    expect(r.status).toBe("approved");
    expect(provider.calls).toEqual([]); // nothing left in the request's transaction
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 0 });
    expect(refundableNow(database().transaction((tx) => loadLedger(tx, o.orderId)))).toBe(11_400 - 3_000);
    await settlePayouts(w.db);
    await settlePayouts(w.db); // a second pass finds nothing: applied once
    expect(provider.calls).toEqual([{ orderId: o.orderId, refundId: r.refundId, amount: 3_000, currency: "EUR", idempotencyKey: `refund-${r.refundId}`, paymentRef: null }]);
    expect(refundsOf(w.db, o.orderId)[0]).toMatchObject({ status: "succeeded", providerRef: `scr_${r.refundId}_1` });
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 3_000 });
    expect(notificationsOf(w.db, o.orderId).filter((n) => n.kind === "refunded")).toHaveLength(1);
    expect(violations(o.orderId)).toEqual([]);
  });

  test("a refused payout is failed, frees its money and units, shows on the order's timeline, and finance retries it with a new idempotency key", async () => {
    const provider = scripted(async (_r, call) => (call === 1 ? "failed" : "succeeded"));
    usePaymentProvider(provider);
    const o = kettlesAndMug();
    const [, mug] = o.lineIds;
    const r = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, lines: [{ orderLineId: mug!, qty: 1 }], reason: "Chipped" })));
    await settlePayouts(w.db);
    expect(refundsOf(w.db, o.orderId)[0]).toMatchObject({ status: "failed", failureReason: "card expired" });
    const l = database().transaction((tx) => loadLedger(tx, o.orderId));
    expect(refundableUnits(l, mug!)).toBe(1);
    expect(refundableNow(l)).toBe(11_400);
    expect(auditOf(w.db, o.orderId).at(-1)).toMatchObject({ action: "refund_failed", fromStatus: "approved", toStatus: "failed", actorLabel: "payment provider" });
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 0 });

    expect(await runAs(w.users.agent, () => retryRefundAction({ refundId: r.refundId, note: "Customer updated card" }))).toMatchObject({ ok: false, code: "forbidden" });
    expect(expectOk(await runAs(w.users.finance, () => retryRefundAction({ refundId: r.refundId, note: "Customer updated card" })))).toMatchObject({ status: "approved" });
    expect(auditOf(w.db, o.orderId).at(-1)).toMatchObject({ action: "refund_retried", fromStatus: "failed", toStatus: "approved", actorId: w.users.finance.id });
    await settlePayouts(w.db);
    expect(provider.calls.map((c) => c.idempotencyKey)).toEqual([`refund-${r.refundId}`, `refund-${r.refundId}-retry-1`]);
    expect(refundsOf(w.db, o.orderId)[0]).toMatchObject({ status: "succeeded" });
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: r.amount });
    expect(violations(o.orderId)).toEqual([]);
  });

  test("a retry is refused when the freed units were refunded another way meanwhile, and writes nothing", async () => {
    usePaymentProvider(scripted(async (_r, call) => (call === 1 ? "failed" : "succeeded")));
    const o = kettlesAndMug();
    const [, mug] = o.lineIds;
    const r = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, lines: [{ orderLineId: mug!, qty: 1 }], reason: "Chipped" })));
    await settlePayouts(w.db);
    expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, lines: [{ orderLineId: mug!, qty: 1 }], reason: "Chipped, asked again" })));
    await settlePayouts(w.db);
    expect(await runAs(w.users.finance, () => retryRefundAction({ refundId: r.refundId, note: "Retry" }))).toMatchObject({ ok: false, code: "conflict" });
    expect(refundsOf(w.db, o.orderId).map((x) => x.status)).toEqual(["failed", "succeeded"]);
    expect(violations(o.orderId)).toEqual([]);
  });

  test("a held cancellation refund is released when the payout that held its money fails", async () => {
    usePaymentProvider(scripted(async (_r, call) => (call === 1 ? "failed" : "succeeded")));
    const o = kettlesAndMug();
    const [kettle] = o.lineIds;
    // Everything paid is being paid out, so cancelling a kettle must hold its refund.
    expectOk(await runAs(w.users.admin, () => requestRefund({ orderId: o.orderId, amount: 11_400, reason: "Goodwill, all of it" })));
    const cancelled = expectOk(await runAs(w.users.agent, () => cancelUnits({ orderId: o.orderId, lines: [{ orderLineId: kettle!, qty: 1 }], reason: "Not wanted" })));
    expect(cancelled.held).toBeGreaterThan(0);
    await settlePayouts(w.db);
    const refunds = refundsOf(w.db, o.orderId);
    expect(refunds.map((x) => [x.kind, x.status])).toEqual([
      ["amount", "failed"],
      ["cancellation", "succeeded"],
    ]);
    expect(orderOf(w.db, o.orderId).refunded).toBe(cancelled.held);
    expect(violations(o.orderId)).toEqual([]);
  });

  test("a provider that throws or hangs is retried with the same idempotency key after a backoff, and the refund is applied once", async () => {
    let mode: "throw" | "hang" | "ok" = "throw";
    const provider = scripted(async () => {
      if (mode === "throw") throw new Error("ECONNRESET");
      if (mode === "hang") await new Promise(() => {});
      return "succeeded";
    });
    const consumer = paymentsConsumer(w.db, { provider: () => provider, timeoutMs: 100 });
    await settlePayouts(w.db); // earlier tests' backlog
    const o = kettlesAndMug();
    const r = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 1_000, reason: "Goodwill" })));
    expect(await deliverNext(w.db, consumer)).toMatchObject({ outcome: "failed", error: "ECONNRESET" });
    expect(readCursor(w.db, "payments")).toMatchObject({ attempts: 1, retryAt: expect.any(Number) });
    expect(await deliverNext(w.db, consumer)).toMatchObject({ outcome: "waiting" });
    retryNow(w.db, "payments");
    mode = "hang";
    expect(await deliverNext(w.db, consumer)).toMatchObject({ outcome: "failed", error: "payments delivery timed out after 100 ms" });
    retryNow(w.db, "payments");
    mode = "ok";
    expect(await deliverNext(w.db, consumer)).toMatchObject({ outcome: "delivered" });
    expect(new Set(provider.calls.map((c) => c.idempotencyKey))).toEqual(new Set([`refund-${r.refundId}`]));
    expect(refundsOf(w.db, o.orderId)[0]).toMatchObject({ status: "succeeded" });
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 1_000 });
  });
});
