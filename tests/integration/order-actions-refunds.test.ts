import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { env } from "../../lib/env.ts";
import { runAs } from "../../lib/auth/session.ts";
import { addNoteAction, decideRefundAction as decideRefundActionAtVersion, requestRefundAction as requestRefundActionAtVersion } from "../../app/(ops)/orders/[id]/actions.ts";
import { thenPaidOut } from "../support/payouts.ts";
import { current } from "../support/current.ts";
import { notes } from "../../db/schema/index.ts";
import { auditOf, notificationsOf, outboxOf, shipmentsOf } from "../support/routing-world.ts";
import {
  advanceTo,
  createOrdersWorld,
  databaseSnapshot,
  expectOk,
  orderOf,
  placeRoutedOrder,
  refundsOf,
  setAgentRefundLimit,
  stock,
  type OrdersWorld,
} from "../support/orders-world.ts";

// Called as from a screen opened just now (the order's current version); stale-screen tests pass their own.
const decideRefundAction = thenPaidOut(current(decideRefundActionAtVersion));
const requestRefundAction = thenPaidOut(current(requestRefundActionAtVersion));

let w: OrdersWorld;

beforeAll(() => {
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
  stock(w, w.loc.RTM, w.product.KETTLE, 100);
  stock(w, w.loc.RTM, w.product.MUG, 100);
  // Agents may refund up to €50.00 on their own.
  setAgentRefundLimit(w.db, 5_000);
});
afterAll(() => w.cleanup());

/** KETTLE×2 + MUG×1, 5.00 shipping, 20% tax: 90.00 + 5.00 + 19.00 = 114.00 paid. */
function kettlesAndMug() {
  const o = placeRoutedOrder(w, { lines: [{ product: w.product.KETTLE, qty: 2 }, { product: w.product.MUG, qty: 1 }] });
  expect(o).toMatchObject({ subtotal: 9_000, shipping: 500, tax: 1_900, total: 11_400 });
  return o;
}

async function deliver(orderId: number) {
  for (const s of shipmentsOf(w.db, orderId)) await advanceTo(w.users.lead, orderId, s.id, "delivered");
  expect(orderOf(w.db, orderId).status).toBe("delivered");
}

const refund = (user: OrdersWorld["users"][keyof OrdersWorld["users"]], input: Parameters<typeof requestRefundAction>[0]) => runAs(user, () => requestRefundAction(input));

describe("refunds", () => {
  test("an agent's refund under the limit is paid out at once", async () => {
    const { users } = w;
    const o = kettlesAndMug();
    const before = { audit: auditOf(w.db, o.orderId).length, outbox: outboxOf(w.db, o.orderId).length, notifications: notificationsOf(w.db, o.orderId).length };

    const r = expectOk(await refund(users.agent, { orderId: o.orderId, amount: 3_000, reason: "Late delivery goodwill" }));
    expect(r.status).toBe("succeeded");

    expect(orderOf(w.db, o.orderId)).toMatchObject({ status: "awaiting_fulfillment", paid: 11_400, refunded: 3_000, total: 11_400 });
    expect(refundsOf(w.db, o.orderId)).toMatchObject([
      { id: r.refundId, amount: 3_000, currency: "EUR", status: "succeeded", requestedBy: users.agent.id, decidedBy: null, providerRef: `sim_re_${o.orderId}_${r.refundId}`, lines: null },
    ]);
    expect(refundsOf(w.db, o.orderId)[0]!.completedAt).toEqual(expect.any(Number));
    expect(auditOf(w.db, o.orderId).slice(before.audit).map((a) => [a.entityType, a.action, a.toStatus, a.actorId])).toEqual([
      ["refund", "refund_created", "approved", users.agent.id],
      // The provider's answer, applied by the worker after the payout call.
      ["refund", "refund_succeeded", "succeeded", null],
    ]);
    expect(outboxOf(w.db, o.orderId).slice(before.outbox).map((x) => [x.topic, x.payload])).toEqual([
      ["refund.payout", { refundId: r.refundId, orderId: o.orderId, amount: 3_000, currency: "EUR", idempotencyKey: `refund-${r.refundId}` }],
      ["refund.succeeded", { refundId: r.refundId, orderId: o.orderId, amount: 3_000, currency: "EUR" }],
    ]);
    expect(notificationsOf(w.db, o.orderId).slice(before.notifications).map((n) => [n.kind, n.subject])).toEqual([["refunded", `Refund of €30.00 for order ${o.number}`]]);
  });

  test("over the limit an agent's refund waits for finance and pays nothing; pending requests count against what is refundable; finance approves", async () => {
    const { users } = w;
    const o = kettlesAndMug();
    expectOk(await refund(users.agent, { orderId: o.orderId, amount: 3_000, reason: "Goodwill" }));
    const notified = notificationsOf(w.db, o.orderId).length;

    const big = expectOk(await refund(users.agent, { orderId: o.orderId, amount: 6_000, reason: "Damaged kettle" }));
    expect(big.status).toBe("pending_approval");
    expect(orderOf(w.db, o.orderId).refunded).toBe(3_000);
    expect(refundsOf(w.db, o.orderId).at(-1)).toMatchObject({ id: big.refundId, amount: 6_000, status: "pending_approval", providerRef: null, completedAt: null });
    expect(auditOf(w.db, o.orderId).at(-1)).toMatchObject({ action: "refund_requested", toStatus: "pending_approval", entityId: big.refundId });
    expect(notificationsOf(w.db, o.orderId)).toHaveLength(notified);
    expect(outboxOf(w.db, o.orderId).filter((x) => x.topic === "refund.succeeded")).toHaveLength(1);

    // 114.00 paid − 30.00 refunded − 60.00 waiting = 24.00 left: one cent more is refused and writes nothing.
    const snapshot = databaseSnapshot(w.db);
    const over = await refund(users.agent, { orderId: o.orderId, amount: 2_401, reason: "Rest of it" });
    expect(over).toMatchObject({ ok: false, code: "invalid_input", message: `At most €24.00 of ${o.number} can still be refunded.` });
    expect(databaseSnapshot(w.db)).toEqual(snapshot);
    // An admin refunds without the agent limit (an agent's 24.00 would take its 30.00 on this order past it, and wait).
    expect(expectOk(await refund(users.admin, { orderId: o.orderId, amount: 2_400, reason: "Rest of it" })).status).toBe("succeeded");
    expect(orderOf(w.db, o.orderId).refunded).toBe(5_400);

    const approved = await runAs(users.finance, () => decideRefundAction({ orderId: o.orderId, refundId: big.refundId, approve: true, note: "Photos checked" }));
    expect(expectOk(approved)).toBe("succeeded");
    expect(orderOf(w.db, o.orderId)).toMatchObject({ paid: 11_400, refunded: 11_400, status: "awaiting_fulfillment" });
    expect(refundsOf(w.db, o.orderId).find((x) => x.id === big.refundId)).toMatchObject({
      status: "succeeded",
      decidedBy: users.finance.id,
      decisionNote: "Photos checked",
      providerRef: `sim_re_${o.orderId}_${big.refundId}`,
    });
    expect(auditOf(w.db, o.orderId).slice(-2).map((a) => [a.action, a.fromStatus, a.toStatus, a.actorId])).toEqual([
      ["refund_approved", "pending_approval", "approved", users.finance.id],
      ["refund_succeeded", "approved", "succeeded", null],
    ]);
    expect(notificationsOf(w.db, o.orderId).at(-1)).toMatchObject({ kind: "refunded", subject: `Refund of €60.00 for order ${o.number}` });
    // The sum of paid-out refunds is what the order says was refunded.
    expect(refundsOf(w.db, o.orderId).filter((x) => x.status === "succeeded").reduce((n, x) => n + x.amount, 0)).toBe(11_400);
  });

  test("finance rejects a waiting refund: nothing is paid and the amount is refundable again", async () => {
    const { users } = w;
    const o = kettlesAndMug();
    const big = expectOk(await refund(users.agent, { orderId: o.orderId, amount: 11_400, reason: "Wants everything back" }));
    expect(big.status).toBe("pending_approval");
    expect(await refund(users.agent, { orderId: o.orderId, amount: 1, reason: "One more cent" })).toMatchObject({ ok: false, code: "invalid_input" });

    expect(expectOk(await runAs(users.finance, () => decideRefundAction({ orderId: o.orderId, refundId: big.refundId, approve: false, note: "Not our fault" })))).toBe("rejected");
    expect(refundsOf(w.db, o.orderId)).toMatchObject([{ id: big.refundId, status: "rejected", decidedBy: users.finance.id, decisionNote: "Not our fault", providerRef: null }]);
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 0, status: "awaiting_fulfillment" });
    expect(auditOf(w.db, o.orderId).at(-1)).toMatchObject({ action: "refund_rejected", fromStatus: "pending_approval", toStatus: "rejected", actorId: users.finance.id });
    expect(notificationsOf(w.db, o.orderId).filter((n) => n.kind === "refunded")).toEqual([]);
    expect(expectOk(await refund(users.agent, { orderId: o.orderId, amount: 1_000, reason: "Goodwill instead" })).status).toBe("succeeded");
  });

  test("a refund by lines is the units' price plus their tax share, and records the units", async () => {
    const { users } = w;
    const o = kettlesAndMug();
    const r = expectOk(await refund(users.agent, { orderId: o.orderId, lines: [{ orderLineId: o.lineIds[0]!, qty: 1 }, { orderLineId: o.lineIds[1]!, qty: 0 }], reason: "Kettle arrived dented" }));
    // 39.00 plus 39.00/95.00 of 19.00 = 7.80 tax.
    expect(refundsOf(w.db, o.orderId)).toMatchObject([{ id: r.refundId, amount: 4_680, status: "succeeded", lines: [{ orderLineId: o.lineIds[0], qty: 1 }] }]);
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 4_680, total: 11_400 });
    // Over the limit by lines waits for finance like any other amount.
    const both = expectOk(await refund(users.agent, { orderId: o.orderId, lines: [{ orderLineId: o.lineIds[0]!, qty: 1 }, { orderLineId: o.lineIds[1]!, qty: 1 }], reason: "Everything else too" }));
    expect(refundsOf(w.db, o.orderId).at(-1)).toMatchObject({ id: both.refundId, amount: 6_120, status: "pending_approval" });
  });

  test("an admin may refund above the agent limit without waiting", async () => {
    const o = kettlesAndMug();
    expect(expectOk(await refund(w.users.admin, { orderId: o.orderId, amount: 9_000, reason: "Escalated complaint" })).status).toBe("succeeded");
    expect(orderOf(w.db, o.orderId).refunded).toBe(9_000);
  });

  test("a partial refund keeps a delivered order delivered; refunding the rest makes it refunded, through transition()", async () => {
    const { users } = w;
    const o = placeRoutedOrder(w, { lines: [{ product: w.product.MUG, qty: 1 }] });
    expect(o.total).toBe(2_040);
    await deliver(o.orderId);

    expectOk(await refund(users.agent, { orderId: o.orderId, amount: 1_000, reason: "Chipped rim" }));
    expect(orderOf(w.db, o.orderId)).toMatchObject({ status: "delivered", refunded: 1_000 });
    const last = expectOk(await refund(users.agent, { orderId: o.orderId, amount: 1_040, reason: "Returned after all" }));
    expect(orderOf(w.db, o.orderId)).toMatchObject({ status: "refunded", refunded: 2_040, paid: 2_040 });
    expect(auditOf(w.db, o.orderId).filter((a) => a.action === "status_changed").at(-1)).toMatchObject({
      fromStatus: "delivered",
      toStatus: "refunded",
      actorId: null,
      actorLabel: "payment provider",
      reason: "Fully refunded",
      data: { refundId: last.refundId },
    });
    expect(outboxOf(w.db, o.orderId).filter((x) => x.topic === "order.status_changed").at(-1)!.payload).toMatchObject({ from: "delivered", to: "refunded" });
  });

  test("finance approving the last of a delivered order's money makes it refunded", async () => {
    const { users } = w;
    const o = placeRoutedOrder(w, { lines: [{ product: w.product.KETTLE, qty: 2 }] });
    expect(o.total).toBe(9_960);
    await deliver(o.orderId);
    const big = expectOk(await refund(users.agent, { orderId: o.orderId, amount: 9_960, reason: "Never arrived in one piece" }));
    expect(orderOf(w.db, o.orderId).status).toBe("delivered");
    expectOk(await runAs(users.finance, () => decideRefundAction({ orderId: o.orderId, refundId: big.refundId, approve: true, note: "Carrier claim filed" })));
    expect(orderOf(w.db, o.orderId)).toMatchObject({ status: "refunded", refunded: 9_960 });
    expect(auditOf(w.db, o.orderId).at(-1)).toMatchObject({ action: "status_changed", fromStatus: "delivered", toStatus: "refunded", actorId: null });
  });
});

describe("notes", () => {
  test("an agent's note is stored with its author and appears in the audit trail", async () => {
    const { users } = w;
    const o = kettlesAndMug();
    const r = expectOk(await runAs(users.agent, () => addNoteAction({ orderId: o.orderId, body: "  Customer called about the delivery slot.  " })));
    const rows = w.db.select().from(notes).all().filter((n) => n.orderId === o.orderId);
    expect(rows).toEqual([{ id: r.noteId, orderId: o.orderId, authorId: users.agent.id, body: "Customer called about the delivery slot.", createdAt: expect.any(Number) }]);
    expect(auditOf(w.db, o.orderId).at(-1)).toMatchObject({ entityType: "note", entityId: r.noteId, action: "note_added", actorId: users.agent.id });
    // A note changes nothing else about the order.
    expect(orderOf(w.db, o.orderId)).toMatchObject({ status: "awaiting_fulfillment", refunded: 0 });
  });
});
