import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { env } from "../../lib/env.ts";
import { runAs } from "../../lib/auth/session.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import type { ErrorCode, Result } from "../../lib/errors.ts";
import { addNoteAction, advanceShipmentAction as advanceShipmentActionAtVersion, backorderUnitsAction as backorderUnitsActionAtVersion, cancelOrderAction as cancelOrderActionAtVersion, cancelUnitsAction as cancelUnitsActionAtVersion, decideRefundAction as decideRefundActionAtVersion, moveUnitsAction as moveUnitsActionAtVersion, recordBackorderChoiceAction as recordBackorderChoiceActionAtVersion, requestRefundAction as requestRefundActionAtVersion } from "../../app/(ops)/orders/[id]/actions.ts";
import { current } from "../support/current.ts";
import { backordersOf, shipmentsOf } from "../support/routing-world.ts";
import { advanceTo, createOrdersWorld, databaseSnapshot, expectOk, orderOf, placeRoutedOrder, setAgentRefundLimit, stock, type OrdersWorld, type PlacedOrder } from "../support/orders-world.ts";

// Called as from a screen opened just now (the order's current version); stale-screen tests pass their own.
const advanceShipmentAction = current(advanceShipmentActionAtVersion);
const backorderUnitsAction = current(backorderUnitsActionAtVersion);
const cancelOrderAction = current(cancelOrderActionAtVersion);
const cancelUnitsAction = current(cancelUnitsActionAtVersion);
const decideRefundAction = current(decideRefundActionAtVersion);
const moveUnitsAction = current(moveUnitsActionAtVersion);
const recordBackorderChoiceAction = current(recordBackorderChoiceActionAtVersion);
const requestRefundAction = current(requestRefundActionAtVersion);

let w: OrdersWorld;
/** Awaiting fulfilment: KETTLE×2 + MUG×1 pending at RTM, BLENDER×1 backordered (customer asked). */
let open: PlacedOrder & { shipmentId: number; backorderId: number };
/** Delivered: MUG×1. */
let delivered: PlacedOrder & { shipmentId: number };
/** Awaiting fulfilment with its only shipment picking. */
let picking: PlacedOrder & { shipmentId: number };
/** Partially fulfilled: KETTLE shipped from RTM, TOASTER pending at LEJ. */
let partial: PlacedOrder & { shippedId: number; pendingId: number };
/** Cancelled, with a cancelled shipment. */
let cancelled: PlacedOrder & { shipmentId: number };
/** A refund already decided, on its own order. */
let decided: { orderId: number; refundId: number };

beforeAll(async () => {
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
  const { loc, product: p, users } = w;
  stock(w, loc.RTM, p.KETTLE, 100);
  stock(w, loc.RTM, p.MUG, 100);
  stock(w, loc.LEJ, p.TOASTER, 100);
  stock(w, loc.LYS, p.KETTLE, 1);
  setAgentRefundLimit(w.db, 5_000);

  const a = placeRoutedOrder(w, { lines: [{ product: p.KETTLE, qty: 2 }, { product: p.MUG, qty: 1 }, { product: p.BLENDER, qty: 1 }] });
  open = { ...a, shipmentId: shipmentsOf(w.db, a.orderId)[0]!.id, backorderId: backordersOf(w.db, a.orderId)[0]!.id };
  expectOk(await runAs(users.agent, () => recordBackorderChoiceAction({ orderId: a.orderId, backorderId: open.backorderId, choice: "wait" })));

  const b = placeRoutedOrder(w, { lines: [{ product: p.MUG, qty: 1 }] });
  delivered = { ...b, shipmentId: shipmentsOf(w.db, b.orderId)[0]!.id };
  await advanceTo(users.lead, b.orderId, delivered.shipmentId, "delivered");

  const c = placeRoutedOrder(w, { lines: [{ product: p.KETTLE, qty: 1 }] });
  picking = { ...c, shipmentId: shipmentsOf(w.db, c.orderId)[0]!.id };
  await advanceTo(users.lead, c.orderId, picking.shipmentId, "picking");

  const d = placeRoutedOrder(w, { lines: [{ product: p.KETTLE, qty: 1 }, { product: p.TOASTER, qty: 1 }] });
  const [rtm, lej] = shipmentsOf(w.db, d.orderId);
  partial = { ...d, shippedId: rtm!.id, pendingId: lej!.id };
  await advanceTo(users.lead, d.orderId, rtm!.id, "shipped");

  const e = placeRoutedOrder(w, { lines: [{ product: p.MUG, qty: 2 }] });
  cancelled = { ...e, shipmentId: shipmentsOf(w.db, e.orderId)[0]!.id };
  expectOk(await runAs(users.agent, () => cancelOrderAction({ orderId: e.orderId, reason: "Duplicate order" })));

  const f = placeRoutedOrder(w, { lines: [{ product: p.KETTLE, qty: 3 }] });
  const r = expectOk(await runAs(users.agent, () => requestRefundAction({ orderId: f.orderId, amount: 6_000, reason: "Big goodwill" })));
  expectOk(await runAs(users.finance, () => decideRefundAction({ orderId: f.orderId, refundId: r.refundId, approve: false, note: "Not justified" })));
  decided = { orderId: f.orderId, refundId: r.refundId };

  expect(orderOf(w.db, open.orderId).status).toBe("awaiting_fulfillment");
  expect(orderOf(w.db, delivered.orderId).status).toBe("delivered");
  expect(orderOf(w.db, partial.orderId).status).toBe("partially_fulfilled");
  expect(orderOf(w.db, cancelled.orderId).status).toBe("cancelled");
});
afterAll(() => w.cleanup());

/** Runs the action as `user`, expects the refusal `code`, and proves nothing at all was written. */
async function refused<T>(user: SessionUser, run: () => Promise<Result<T>>, code: ErrorCode) {
  const before = databaseSnapshot(w.db);
  const result = await runAs(user, run);
  expect(result, JSON.stringify(result)).toMatchObject({ ok: false, code });
  expect(databaseSnapshot(w.db)).toEqual(before);
  return result as Extract<Result<T>, { ok: false }>;
}

describe("the wrong role is forbidden and nothing is written", () => {
  test("finance cancels an order", async () => {
    const r = await refused(w.users.finance, () => cancelOrderAction({ orderId: open.orderId, reason: "Finance tries" }), "forbidden");
    expect(r.message).toBe("Your role may not do this (needs orders:cancel).");
  });
  test("a manager or a lead cancels units", async () => {
    for (const user of [w.users.manager, w.users.lead]) {
      await refused(user, () => cancelUnitsAction({ orderId: open.orderId, lines: [{ orderLineId: open.lineIds[0]!, qty: 1 }], reason: "Not mine to do" }), "forbidden");
    }
  });
  test("an agent advances a shipment", async () => {
    await refused(w.users.agent, () => advanceShipmentAction({ orderId: open.orderId, shipmentId: open.shipmentId, to: "picking" }), "forbidden");
  });
  test("an agent or finance moves or backorders units", async () => {
    for (const user of [w.users.agent, w.users.finance]) {
      await refused(user, () => moveUnitsAction({ orderId: open.orderId, shipmentId: open.shipmentId, orderLineId: open.lineIds[0]!, qty: 1, toLocationId: w.loc.LEJ, reason: "Stock is at the other location" }), "forbidden");
      await refused(user, () => backorderUnitsAction({ orderId: open.orderId, shipmentId: open.shipmentId, orderLineId: open.lineIds[0]!, qty: 1, reason: "Not mine" }), "forbidden");
    }
  });
  test("a warehouse lead or finance requests a refund", async () => {
    await refused(w.users.lead, () => requestRefundAction({ orderId: open.orderId, amount: 100, reason: "Lead tries" }), "forbidden");
    await refused(w.users.finance, () => requestRefundAction({ orderId: open.orderId, amount: 100, reason: "Finance requests" }), "forbidden");
  });
  test("an agent approves a refund", async () => {
    await refused(w.users.agent, () => decideRefundAction({ orderId: decided.orderId, refundId: decided.refundId, approve: true, note: "Self-approval" }), "forbidden");
  });
  // A lead may add notes (the parcel's story); finance stays read-only on orders.
  test("finance adds a note, a lead records a backorder choice", async () => {
    await refused(w.users.finance, () => addNoteAction({ orderId: open.orderId, body: "Finance note" }), "forbidden");
    await refused(w.users.lead, () => recordBackorderChoiceAction({ orderId: open.orderId, backorderId: open.backorderId, choice: "cancel" }), "forbidden");
  });
  test("nobody signed in", async () => {
    const before = databaseSnapshot(w.db);
    expect(await runAs(null, () => cancelOrderAction({ orderId: open.orderId, reason: "Anonymous" }))).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(databaseSnapshot(w.db)).toEqual(before);
  });
});

describe("the wrong state is refused and nothing is written", () => {
  test("cancelling a delivered order is an invalid transition", async () => {
    const r = await refused(w.users.agent, () => cancelOrderAction({ orderId: delivered.orderId, reason: "Too late" }), "invalid_transition");
    expect(r.message).toContain("A delivered order cannot be cancelled");
  });
  test("cancelling a cancelled order is an invalid transition", async () => {
    await refused(w.users.agent, () => cancelOrderAction({ orderId: cancelled.orderId, reason: "Again" }), "invalid_transition");
  });
  test("cancelling an order whose shipment is being picked is a conflict", async () => {
    const r = await refused(w.users.agent, () => cancelOrderAction({ orderId: picking.orderId, reason: "Race lost" }), "conflict");
    expect(r.message).toBe(`Shipment #${picking.shipmentId} is already picking: the order can no longer be cancelled whole. Cancel the lines still pending instead.`);
  });
  test("cancelling a partially fulfilled order whole is an invalid transition", async () => {
    await refused(w.users.agent, () => cancelOrderAction({ orderId: partial.orderId, reason: "Half shipped" }), "invalid_transition");
  });
  test("an order that changed since the page was loaded is a conflict", async () => {
    await refused(w.users.agent, () => cancelOrderAction({ orderId: open.orderId, reason: "Stale page", expectedStatus: "paid" }), "conflict");
    await refused(w.users.agent, () => cancelUnitsAction({ orderId: open.orderId, lines: [{ orderLineId: open.lineIds[0]!, qty: 1 }], reason: "Stale page", expectedStatus: "paid" }), "conflict");
  });
  test("units that have shipped or are being picked cannot be cancelled", async () => {
    await refused(w.users.agent, () => cancelUnitsAction({ orderId: partial.orderId, lines: [{ orderLineId: partial.lineIds[0]!, qty: 1 }], reason: "Already gone" }), "conflict");
    await refused(w.users.agent, () => cancelUnitsAction({ orderId: picking.orderId, lines: [{ orderLineId: picking.lineIds[0]!, qty: 1 }], reason: "Being picked" }), "conflict");
  });
  test("units of a delivered order cannot be cancelled", async () => {
    await refused(w.users.agent, () => cancelUnitsAction({ orderId: delivered.orderId, lines: [{ orderLineId: delivered.lineIds[0]!, qty: 1 }], reason: "Too late" }), "invalid_transition");
  });
  test("a shipment cannot skip a step or move back", async () => {
    await refused(w.users.lead, () => advanceShipmentAction({ orderId: open.orderId, shipmentId: open.shipmentId, to: "shipped", carrier: "DHL", trackingNumber: "JD0001112223" }), "invalid_transition");
    await refused(w.users.lead, () => advanceShipmentAction({ orderId: picking.orderId, shipmentId: picking.shipmentId, to: "picking" }), "invalid_transition");
    await refused(w.users.lead, () => advanceShipmentAction({ orderId: open.orderId, shipmentId: open.shipmentId, to: "cancelled" }), "invalid_transition");
  });
  test("a shipment of a cancelled order cannot move", async () => {
    await refused(w.users.lead, () => advanceShipmentAction({ orderId: cancelled.orderId, shipmentId: cancelled.shipmentId, to: "picking" }), "invalid_transition");
  });
  test("shipping without a carrier or tracking number", async () => {
    await advanceTo(w.users.lead, picking.orderId, picking.shipmentId, "packed", "picking");
    await refused(w.users.lead, () => advanceShipmentAction({ orderId: picking.orderId, shipmentId: picking.shipmentId, to: "shipped" }), "invalid_input");
    await refused(w.users.lead, () => advanceShipmentAction({ orderId: picking.orderId, shipmentId: picking.shipmentId, to: "shipped", carrier: "  ", trackingNumber: "JD0001112223" }), "invalid_input");
  });
  test("only pending shipments can be moved or backordered", async () => {
    await refused(w.users.lead, () => moveUnitsAction({ orderId: partial.orderId, shipmentId: partial.shippedId, orderLineId: partial.lineIds[0]!, qty: 1, toLocationId: w.loc.LEJ, reason: "Stock is at the other location" }), "conflict");
    await refused(w.users.lead, () => backorderUnitsAction({ orderId: picking.orderId, shipmentId: picking.shipmentId, orderLineId: picking.lineIds[0]!, qty: 1, reason: "Too late" }), "conflict");
  });
  test("a refund already decided cannot be decided again", async () => {
    await refused(w.users.finance, () => decideRefundAction({ orderId: decided.orderId, refundId: decided.refundId, approve: true, note: "Changed my mind" }), "conflict");
  });
  test("the same backorder choice twice is a conflict", async () => {
    await refused(w.users.agent, () => recordBackorderChoiceAction({ orderId: open.orderId, backorderId: open.backorderId, choice: "wait" }), "conflict");
  });
});

describe("too much is refused and nothing is written", () => {
  test("cancelling more units than are left", async () => {
    const r = await refused(w.users.agent, () => cancelUnitsAction({ orderId: open.orderId, lines: [{ orderLineId: open.lineIds[0]!, qty: 3 }], reason: "Too many" }), "invalid_input");
    expect(r.message).toBe("Only 2 unit(s) of KTL-100 can still be cancelled (the rest is cancelled or with the warehouse).");
    // The same line twice adds up past what is there.
    await refused(w.users.agent, () => cancelUnitsAction({ orderId: open.orderId, lines: [{ orderLineId: open.lineIds[0]!, qty: 2 }, { orderLineId: open.lineIds[0]!, qty: 1 }], reason: "Twice" }), "invalid_input");
    await refused(w.users.agent, () => cancelUnitsAction({ orderId: partial.orderId, lines: [{ orderLineId: partial.lineIds[1]!, qty: 2 }], reason: "Too many" }), "invalid_input");
  });
  test("cancelling nothing, or a line of another order", async () => {
    await refused(w.users.agent, () => cancelUnitsAction({ orderId: open.orderId, lines: [{ orderLineId: open.lineIds[0]!, qty: 0 }], reason: "Nothing" }), "invalid_input");
    await refused(w.users.agent, () => cancelUnitsAction({ orderId: open.orderId, lines: [{ orderLineId: partial.lineIds[1]!, qty: 1 }], reason: "Wrong order" }), "invalid_input");
  });
  test("refunding more than is refundable, by amount or by lines", async () => {
    // 179.00 + 5.00 shipping + 36.80 tax = 220.80 paid; nothing refunded yet.
    expect(orderOf(w.db, open.orderId)).toMatchObject({ paid: 22_080, refunded: 0 });
    const r = await refused(w.users.agent, () => requestRefundAction({ orderId: open.orderId, amount: 22_081, reason: "Too much" }), "invalid_input");
    expect(r.message).toBe(`At most €220.80 of ${open.number} can still be refunded.`);
    await refused(w.users.agent, () => requestRefundAction({ orderId: delivered.orderId, lines: [{ orderLineId: delivered.lineIds[0]!, qty: 2 }], reason: "Two mugs?" }), "invalid_input");
    await refused(w.users.agent, () => requestRefundAction({ orderId: cancelled.orderId, amount: 1, reason: "Already refunded" }), "invalid_input");
  });
  test("refunding more units of a line than the order has", async () => {
    // 3 mugs of a 1-mug order would be 43.20, well inside what is refundable and under the agent limit.
    await refused(w.users.agent, () => requestRefundAction({ orderId: open.orderId, lines: [{ orderLineId: open.lineIds[1]!, qty: 3 }], reason: "Three mugs?" }), "invalid_input");
    await refused(w.users.agent, () => requestRefundAction({ orderId: open.orderId, lines: [{ orderLineId: open.lineIds[1]!, qty: 1 }, { orderLineId: open.lineIds[1]!, qty: 1 }], reason: "Same mug twice" }), "invalid_input");
  });
  test("a refund by lines of nothing, or of another order's line", async () => {
    await refused(w.users.agent, () => requestRefundAction({ orderId: open.orderId, lines: [{ orderLineId: open.lineIds[0]!, qty: 0 }], reason: "Nothing" }), "invalid_input");
    await refused(w.users.agent, () => requestRefundAction({ orderId: open.orderId, lines: [{ orderLineId: partial.lineIds[0]!, qty: 1 }], reason: "Wrong order" }), "invalid_input");
  });
  test("moving or backordering more units than the shipment has", async () => {
    await refused(w.users.lead, () => moveUnitsAction({ orderId: open.orderId, shipmentId: open.shipmentId, orderLineId: open.lineIds[0]!, qty: 3, toLocationId: w.loc.LEJ, reason: "Stock is at the other location" }), "invalid_input");
    await refused(w.users.lead, () => backorderUnitsAction({ orderId: open.orderId, shipmentId: open.shipmentId, orderLineId: open.lineIds[0]!, qty: 3, reason: "Too many" }), "invalid_input");
    // The blender line is not on the shipment at all.
    await refused(w.users.lead, () => backorderUnitsAction({ orderId: open.orderId, shipmentId: open.shipmentId, orderLineId: open.lineIds[2]!, qty: 1, reason: "Not there" }), "invalid_input");
  });
  test("moving to a location without the stock, to itself, or to a supplier", async () => {
    // Lyon holds one kettle; two are asked for. The source reservation is untouched.
    await refused(w.users.lead, () => moveUnitsAction({ orderId: open.orderId, shipmentId: open.shipmentId, orderLineId: open.lineIds[0]!, qty: 2, toLocationId: w.loc.LYS, reason: "Stock is at the other location" }), "insufficient_stock");
    await refused(w.users.lead, () => moveUnitsAction({ orderId: open.orderId, shipmentId: open.shipmentId, orderLineId: open.lineIds[0]!, qty: 1, toLocationId: w.loc.RTM, reason: "Stock is at the other location" }), "invalid_input");
    await refused(w.users.lead, () => moveUnitsAction({ orderId: open.orderId, shipmentId: open.shipmentId, orderLineId: open.lineIds[0]!, qty: 1, toLocationId: w.loc.DS_NORD, reason: "Stock is at the other location" }), "invalid_input");
  });
});

describe("invalid input is refused with field errors and nothing is written", () => {
  test("a reason too short and a negative id", async () => {
    const r = await refused(w.users.agent, () => cancelOrderAction({ orderId: -1, reason: " x " }), "invalid_input");
    expect(r.fieldErrors).toEqual({ orderId: [expect.any(String)], reason: ["Give a reason (at least 3 characters)."] });
  });
  test("an unknown expected status, a fractional quantity, no lines", async () => {
    const r = await refused(w.users.agent, () => cancelUnitsAction({ orderId: open.orderId, lines: [{ orderLineId: open.lineIds[0]!, qty: 1.5 }], reason: "Half", expectedStatus: "lost" as never }), "invalid_input");
    expect(Object.keys(r.fieldErrors!).sort()).toEqual(["expectedStatus", "lines.0.qty"]);
    expect((await refused(w.users.agent, () => cancelUnitsAction({ orderId: open.orderId, lines: [], reason: "None" }), "invalid_input")).fieldErrors).toHaveProperty("lines");
  });
  test("a refund with both an amount and lines, or neither, or of zero", async () => {
    const both = await refused(w.users.agent, () => requestRefundAction({ orderId: open.orderId, amount: 100, lines: [{ orderLineId: open.lineIds[0]!, qty: 1 }], reason: "Both" }), "invalid_input");
    expect(both.fieldErrors).toEqual({ amount: ["Refund either an amount or lines, not both."] });
    await refused(w.users.agent, () => requestRefundAction({ orderId: open.orderId, reason: "Neither" }), "invalid_input");
    expect((await refused(w.users.agent, () => requestRefundAction({ orderId: open.orderId, amount: 0, reason: "Zero" }), "invalid_input")).fieldErrors).toHaveProperty("amount");
  });
  test("a malformed tracking number and an unknown shipment status", async () => {
    const r = await refused(w.users.lead, () => advanceShipmentAction({ orderId: open.orderId, shipmentId: open.shipmentId, to: "lost" as never, trackingNumber: "no spaces!" }), "invalid_input");
    expect(r.fieldErrors).toEqual({ to: [expect.any(String)], trackingNumber: ["Tracking numbers are 6–40 letters, digits or dashes."] });
  });
  test("an empty note and an unknown backorder choice", async () => {
    expect((await refused(w.users.agent, () => addNoteAction({ orderId: open.orderId, body: "   " }), "invalid_input")).fieldErrors).toEqual({ body: ["Write something."] });
    expect((await refused(w.users.agent, () => recordBackorderChoiceAction({ orderId: open.orderId, backorderId: open.backorderId, choice: "maybe" as never }), "invalid_input")).fieldErrors).toHaveProperty("choice");
  });
});

describe("unknown things are not found and nothing is written", () => {
  const missing = 999_999;
  test("an unknown order, for every action", async () => {
    const { agent, lead, finance } = w.users;
    await refused(agent, () => cancelOrderAction({ orderId: missing, reason: "Who?" }), "not_found");
    await refused(agent, () => cancelUnitsAction({ orderId: missing, lines: [{ orderLineId: open.lineIds[0]!, qty: 1 }], reason: "Who?" }), "not_found");
    await refused(agent, () => requestRefundAction({ orderId: missing, amount: 100, reason: "Who?" }), "not_found");
    await refused(agent, () => addNoteAction({ orderId: missing, body: "Who?" }), "not_found");
    await refused(agent, () => recordBackorderChoiceAction({ orderId: missing, backorderId: open.backorderId, choice: "cancel" }), "not_found");
    await refused(lead, () => advanceShipmentAction({ orderId: missing, shipmentId: open.shipmentId, to: "picking" }), "not_found");
    await refused(lead, () => moveUnitsAction({ orderId: missing, shipmentId: open.shipmentId, orderLineId: open.lineIds[0]!, qty: 1, toLocationId: w.loc.LEJ, reason: "Stock is at the other location" }), "not_found");
    await refused(lead, () => backorderUnitsAction({ orderId: missing, shipmentId: open.shipmentId, orderLineId: open.lineIds[0]!, qty: 1, reason: "Who?" }), "not_found");
    await refused(finance, () => decideRefundAction({ orderId: decided.orderId, refundId: missing, approve: true, note: "Which?" }), "not_found");
  });
  test("a shipment of another order", async () => {
    await refused(w.users.lead, () => advanceShipmentAction({ orderId: open.orderId, shipmentId: partial.pendingId, to: "picking" }), "not_found");
  });
  test("a refund decided under another order's number", async () => {
    const waiting = expectOk(await runAs(w.users.agent, () => requestRefundAction({ orderId: decided.orderId, amount: 6_000, reason: "Asked again" })));
    await refused(w.users.finance, () => decideRefundAction({ orderId: open.orderId, refundId: waiting.refundId, approve: true, note: "Wrong page" }), "not_found");
  });
  test("an unknown target location", async () => {
    await refused(w.users.lead, () => moveUnitsAction({ orderId: open.orderId, shipmentId: open.shipmentId, orderLineId: open.lineIds[0]!, qty: 1, toLocationId: missing, reason: "Stock is at the other location" }), "invalid_input");
  });
});
