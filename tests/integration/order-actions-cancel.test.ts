import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { env } from "../../lib/env.ts";
import { runAs } from "../../lib/auth/session.ts";
import { cancelOrderAction as cancelOrderActionAtVersion, cancelUnitsAction as cancelUnitsActionAtVersion, requestRefundAction as requestRefundActionAtVersion } from "../../app/(ops)/orders/[id]/actions.ts";
import { thenPaidOut } from "../support/payouts.ts";
import { current } from "../support/current.ts";
import { auditOf, backordersOf, notificationsOf, outboxOf, shipmentsOf, stockRow, type ProductRow } from "../support/routing-world.ts";
import {
  advanceTo,
  createOrdersWorld,
  expectOk,
  linesOf,
  orderOf,
  placeRoutedOrder,
  refundsOf,
  stock,
  type OrdersWorld,
} from "../support/orders-world.ts";

// Called as from a screen opened just now (the order's current version); stale-screen tests pass their own.
const cancelOrderAction = thenPaidOut(current(cancelOrderActionAtVersion));
const cancelUnitsAction = thenPaidOut(current(cancelUnitsActionAtVersion));
const requestRefundAction = thenPaidOut(current(requestRefundActionAtVersion));

let w: OrdersWorld;

beforeAll(() => {
  w = createOrdersWorld();
  // The actions open DATABASE_PATH through env(), which reads it once: this file's world is that database.
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
  const { loc, product: p } = w;
  stock(w, loc.RTM, p.KETTLE, 50);
  stock(w, loc.RTM, p.MUG, 50);
  stock(w, loc.LEJ, p.TOASTER, 50);
  // No blender anywhere and no supplier carries it: blenders are backordered.
});
afterAll(() => w.cleanup());

/** Audit, outbox and notification rows an action added for an order (ids above the marks taken before). */
function marks(orderId: number) {
  return { audit: auditOf(w.db, orderId).length, outbox: outboxOf(w.db, orderId).length, notifications: notificationsOf(w.db, orderId).length };
}
function since(orderId: number, m: ReturnType<typeof marks>) {
  return {
    audit: auditOf(w.db, orderId).slice(m.audit),
    outbox: outboxOf(w.db, orderId).slice(m.outbox),
    notifications: notificationsOf(w.db, orderId).slice(m.notifications),
  };
}
const reserved = (locationId: number, product: ProductRow) => stockRow(w.db, locationId, product.id)!;

describe("cancel order", () => {
  test("an agent cancels an awaiting_fulfillment order: shipments and backorders cancelled, stock released, everything paid refunded, audited and the customer told", async () => {
    const { loc, product: p, users } = w;
    const o = placeRoutedOrder(w, { lines: [{ product: p.KETTLE, qty: 2 }, { product: p.MUG, qty: 1 }, { product: p.TOASTER, qty: 1 }, { product: p.BLENDER, qty: 1 }] });
    expect(o).toMatchObject({ subtotal: 22_800, shipping: 500, tax: 4_660, total: 27_960 });
    // Routed as the test needs: RTM ships kettles and the mug, LEJ the toaster, the blender waits.
    expect(orderOf(w.db, o.orderId).status).toBe("awaiting_fulfillment");
    const before = shipmentsOf(w.db, o.orderId);
    expect(before.map((s) => [s.locationId, s.status, s.lines.map((l) => [l.orderLineId, l.qty])])).toEqual([
      [loc.RTM, "pending", [[o.lineIds[0], 2], [o.lineIds[1], 1]]],
      [loc.LEJ, "pending", [[o.lineIds[2], 1]]],
    ]);
    expect(backordersOf(w.db, o.orderId).map((b) => [b.orderLineId, b.qty, b.status])).toEqual([[o.lineIds[3], 1, "pending"]]);
    const stockBefore = { kettle: reserved(loc.RTM, p.KETTLE), mug: reserved(loc.RTM, p.MUG), toaster: reserved(loc.LEJ, p.TOASTER) };
    const m = marks(o.orderId);

    const result = await runAs(users.agent, () => cancelOrderAction({ orderId: o.orderId, reason: "Customer changed their mind", expectedStatus: "awaiting_fulfillment" }));
    expect(expectOk(result)).toEqual({ orderId: o.orderId, status: "cancelled", refunded: 27_960, held: 0, cancelledUnits: 5 });

    const order = orderOf(w.db, o.orderId);
    expect(order).toMatchObject({ status: "cancelled", paid: 27_960, refunded: 27_960 });
    expect(linesOf(w.db, o.orderId).map((l) => [l.qtyOrdered, l.qtyCancelled])).toEqual([[2, 2], [1, 1], [1, 1], [1, 1]]);
    // Both shipments cancelled and emptied, their lines kept as cancelled history; the backorder cancelled.
    expect(shipmentsOf(w.db, o.orderId).map((s) => [s.id, s.status, s.lines.map((l) => [l.orderLineId, l.qty, l.qtyCancelled])])).toEqual(
      before.map((s) => [s.id, "cancelled", s.lines.map((l) => [l.orderLineId, 0, l.qty])]),
    );
    expect(backordersOf(w.db, o.orderId).map((b) => b.status)).toEqual(["cancelled"]);
    // Reservations released; nothing left the shelf.
    expect(reserved(loc.RTM, p.KETTLE)).toMatchObject({ onHand: stockBefore.kettle.onHand, reserved: stockBefore.kettle.reserved - 2 });
    expect(reserved(loc.RTM, p.MUG)).toMatchObject({ onHand: stockBefore.mug.onHand, reserved: stockBefore.mug.reserved - 1 });
    expect(reserved(loc.LEJ, p.TOASTER)).toMatchObject({ onHand: stockBefore.toaster.onHand, reserved: stockBefore.toaster.reserved - 1 });
    // One refund for everything paid, paid out at once (no approval: cancelling is not an agent refund request).
    const refunds = refundsOf(w.db, o.orderId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amount: 27_960, currency: "EUR", status: "succeeded", requestedBy: users.agent.id, providerRef: `sim_re_${o.orderId}_${refunds[0]!.id}` });

    const added = since(o.orderId, m);
    expect(added.audit.map((a) => a.action).sort()).toEqual(
      ["backorder_cancelled", "refund_created", "refund_succeeded", "shipment_cancelled", "shipment_cancelled", "shipment_reduced", "status_changed"].sort(),
    );
    expect(added.audit.find((a) => a.action === "status_changed")).toMatchObject({
      entityType: "order",
      fromStatus: "awaiting_fulfillment",
      toStatus: "cancelled",
      actorId: users.agent.id,
      reason: "Customer changed their mind",
    });
    expect(added.audit.filter((a) => a.action === "shipment_cancelled").map((a) => a.entityId).sort()).toEqual(before.map((s) => s.id).sort());
    // Everything but the provider's answer, which the worker applies after the payout call.
    expect(added.audit.filter((a) => a.action !== "refund_succeeded").every((a) => a.actorId === users.agent.id)).toBe(true);
    expect(added.audit.find((a) => a.action === "refund_succeeded")).toMatchObject({ actorId: null, actorLabel: "payment provider" });
    expect(added.outbox.map((x) => x.topic).sort()).toEqual(
      ["order.cancelled", "order.status_changed", "refund.payout", "refund.succeeded", "shipment.cancelled", "shipment.cancelled", "shipment.changed"].sort(),
    );
    expect(added.notifications.map((n) => n.kind).sort()).toEqual(["cancelled", "refunded"]);
    const cancelled = added.notifications.find((n) => n.kind === "cancelled")!;
    expect(cancelled.customerId).toBe(w.customer.customerId);
    expect(cancelled.body).toContain("€279.60 refunded");
  });
});

describe("partial cancel", () => {
  test("cancelling one pending unit shrinks the totals by its price and tax share, refunds that and releases its reservation", async () => {
    const { loc, product: p, users } = w;
    const o = placeRoutedOrder(w, { lines: [{ product: p.KETTLE, qty: 3 }, { product: p.MUG, qty: 2 }] });
    expect(o).toMatchObject({ subtotal: 14_100, shipping: 500, tax: 2_920, total: 17_520 });
    const [s] = shipmentsOf(w.db, o.orderId);
    expect(s).toMatchObject({ locationId: loc.RTM, status: "pending" });
    const kettle = reserved(loc.RTM, p.KETTLE);
    const m = marks(o.orderId);

    const result = await runAs(users.agent, () => cancelUnitsAction({ orderId: o.orderId, lines: [{ orderLineId: o.lineIds[0]!, qty: 1 }], reason: "Ordered one too many" }));
    // 39.00 plus 39.00/146.00 of 29.20 tax = 7.80.
    expect(expectOk(result)).toEqual({ orderId: o.orderId, status: "awaiting_fulfillment", refunded: 4_680, held: 0, cancelledUnits: 1 });

    expect(orderOf(w.db, o.orderId)).toMatchObject({ status: "awaiting_fulfillment", subtotal: 10_200, shipping: 500, tax: 2_140, total: 12_840, paid: 17_520, refunded: 4_680 });
    expect(linesOf(w.db, o.orderId).map((l) => l.qtyCancelled)).toEqual([1, 0]);
    expect(shipmentsOf(w.db, o.orderId).map((x) => [x.id, x.status, x.lines.map((l) => l.qty)])).toEqual([[s!.id, "pending", [2, 2]]]);
    expect(reserved(loc.RTM, p.KETTLE)).toMatchObject({ onHand: kettle.onHand, reserved: kettle.reserved - 1 });
    expect(refundsOf(w.db, o.orderId).map((r) => [r.amount, r.status, r.lines])).toEqual([[4_680, "succeeded", [{ orderLineId: o.lineIds[0], qty: 1 }]]]);
    const added = since(o.orderId, m);
    expect(added.audit.map((a) => a.action).sort()).toEqual(["lines_cancelled", "refund_created", "refund_succeeded", "shipment_reduced"]);
    expect(added.audit.find((a) => a.action === "lines_cancelled")!.reason).toContain("1 × KTL-100 cancelled: Ordered one too many. New total €128.40.");
    expect(added.outbox.map((x) => x.topic).sort()).toEqual(["order.lines_cancelled", "refund.payout", "refund.succeeded", "shipment.changed"]);
    expect(added.notifications.map((n) => n.kind).sort()).toEqual(["lines_cancelled", "refunded"]);

    // Cancelling every unit left takes off shipping and all the tax, refunds the rest of what was paid, and cancels the order.
    const mugs = reserved(loc.RTM, p.MUG);
    const rest = await runAs(users.agent, () =>
      cancelUnitsAction({ orderId: o.orderId, lines: [{ orderLineId: o.lineIds[0]!, qty: 2 }, { orderLineId: o.lineIds[1]!, qty: 2 }], reason: "Found it cheaper" }),
    );
    expect(expectOk(rest)).toEqual({ orderId: o.orderId, status: "cancelled", refunded: 12_840, held: 0, cancelledUnits: 4 });
    expect(orderOf(w.db, o.orderId)).toMatchObject({ status: "cancelled", subtotal: 0, shipping: 0, tax: 0, total: 0, paid: 17_520, refunded: 17_520 });
    expect(shipmentsOf(w.db, o.orderId).map((x) => [x.status, x.lines.map((l) => [l.qty, l.qtyCancelled])])).toEqual([["cancelled", [[0, 3], [0, 2]]]]);
    expect(reserved(loc.RTM, p.KETTLE).reserved).toBe(kettle.reserved - 3);
    expect(reserved(loc.RTM, p.MUG).reserved).toBe(mugs.reserved - 2);
    expect(auditOf(w.db, o.orderId).filter((a) => a.action === "status_changed").at(-1)).toMatchObject({ fromStatus: "awaiting_fulfillment", toStatus: "cancelled", reason: "Every unit cancelled" });
  });

  test("backordered units can be cancelled: the backorder shrinks, then is cancelled, and each cancellation is refunded", async () => {
    const { product: p, users } = w;
    const o = placeRoutedOrder(w, { lines: [{ product: p.KETTLE, qty: 1 }, { product: p.BLENDER, qty: 2 }] });
    expect(o).toMatchObject({ subtotal: 21_700, tax: 4_440, total: 26_640 });
    const [b] = backordersOf(w.db, o.orderId);
    expect(b).toMatchObject({ orderLineId: o.lineIds[1], qty: 2, status: "pending" });
    const shipmentsBefore = shipmentsOf(w.db, o.orderId);

    const one = await runAs(users.agent, () => cancelUnitsAction({ orderId: o.orderId, lines: [{ orderLineId: o.lineIds[1]!, qty: 1 }], reason: "Only needs one" }));
    expect(expectOk(one)).toMatchObject({ status: "awaiting_fulfillment", refunded: 10_680 });
    expect(backordersOf(w.db, o.orderId).map((x) => [x.id, x.qty, x.status])).toEqual([[b!.id, 1, "pending"]]);
    expect(orderOf(w.db, o.orderId)).toMatchObject({ subtotal: 12_800, tax: 2_660, total: 15_960, refunded: 10_680 });

    const two = await runAs(users.agent, () => cancelUnitsAction({ orderId: o.orderId, lines: [{ orderLineId: o.lineIds[1]!, qty: 1 }], reason: "Not needed after all" }));
    // 89.00/133.00 of 26.60 = 17.80 tax.
    expect(expectOk(two)).toMatchObject({ status: "awaiting_fulfillment", refunded: 10_680 });
    expect(backordersOf(w.db, o.orderId).map((x) => [x.id, x.qty, x.status])).toEqual([[b!.id, 1, "cancelled"]]);
    expect(linesOf(w.db, o.orderId).map((l) => l.qtyCancelled)).toEqual([0, 2]);
    expect(orderOf(w.db, o.orderId)).toMatchObject({ status: "awaiting_fulfillment", subtotal: 3_900, shipping: 500, tax: 880, total: 5_280, refunded: 21_360 });
    // The kettle's shipment is untouched.
    expect(shipmentsOf(w.db, o.orderId)).toEqual(shipmentsBefore);
    expect(auditOf(w.db, o.orderId).filter((a) => a.action === "backorder_cancelled").map((a) => [a.entityId, a.toStatus])).toEqual([
      [b!.id, "pending"],
      [b!.id, "cancelled"],
    ]);
  });

  test("cancelling every unit still pending of a partially fulfilled order makes it fulfilled", async () => {
    const { loc, product: p, users } = w;
    const o = placeRoutedOrder(w, { lines: [{ product: p.KETTLE, qty: 1 }, { product: p.TOASTER, qty: 1 }] });
    expect(o).toMatchObject({ subtotal: 8_800, tax: 1_860, total: 11_160 });
    const [rtm, lej] = shipmentsOf(w.db, o.orderId);
    expect([rtm!.locationId, lej!.locationId]).toEqual([loc.RTM, loc.LEJ]);
    await advanceTo(users.lead, o.orderId, rtm!.id, "shipped");
    expect(orderOf(w.db, o.orderId).status).toBe("partially_fulfilled");
    const toaster = reserved(loc.LEJ, p.TOASTER);
    const m = marks(o.orderId);

    const result = await runAs(users.agent, () => cancelUnitsAction({ orderId: o.orderId, lines: [{ orderLineId: o.lineIds[1]!, qty: 1 }], reason: "Out of patience" }));
    // 49.00 plus 49.00/93.00 of 18.60 = 9.80 tax.
    expect(expectOk(result)).toEqual({ orderId: o.orderId, status: "fulfilled", refunded: 5_880, held: 0, cancelledUnits: 1 });

    expect(orderOf(w.db, o.orderId)).toMatchObject({ status: "fulfilled", subtotal: 3_900, shipping: 500, tax: 880, total: 5_280, refunded: 5_880 });
    expect(shipmentsOf(w.db, o.orderId).map((s) => [s.id, s.status])).toEqual([[rtm!.id, "shipped"], [lej!.id, "cancelled"]]);
    expect(reserved(loc.LEJ, p.TOASTER)).toMatchObject({ onHand: toaster.onHand, reserved: toaster.reserved - 1 });
    const added = since(o.orderId, m);
    expect(added.audit.find((a) => a.action === "status_changed")).toMatchObject({ fromStatus: "partially_fulfilled", toStatus: "fulfilled", actorId: users.agent.id });
    expect(added.outbox.filter((x) => x.topic === "order.status_changed").map((x) => x.payload)).toMatchObject([{ from: "partially_fulfilled", to: "fulfilled" }]);
  });
});

describe("cancel order with a refund waiting for finance", () => {
  test("the waiting request is superseded (rejected, audited) and the cancellation refunds everything paid once", async () => {
    const { product: p, users } = w;
    const o = placeRoutedOrder(w, { lines: [{ product: p.KETTLE, qty: 3 }] });
    // Above the agent limit, so it waits for finance.
    const waiting = expectOk(await runAs(users.agent, () => requestRefundAction({ orderId: o.orderId, amount: 11_000, reason: "Dented on arrival" })));
    expect(waiting.status).toBe("pending_approval");

    expectOk(await runAs(users.agent, () => cancelOrderAction({ orderId: o.orderId, reason: "Customer cancelled" })));

    const order = orderOf(w.db, o.orderId);
    expect(order.status).toBe("cancelled");
    expect(order.refunded).toBe(order.paid);
    const rows = refundsOf(w.db, o.orderId);
    expect(rows.map((r) => [r.id === waiting.refundId, r.status])).toEqual([
      [true, "rejected"],
      [false, "succeeded"],
    ]);
    expect(rows.filter((r) => r.status === "succeeded").reduce((n, r) => n + r.amount, 0)).toBe(order.paid);
    expect(auditOf(w.db, o.orderId).some((a) => a.action === "refund_superseded" && a.entityId === waiting.refundId)).toBe(true);
  });
});
