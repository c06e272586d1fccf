import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { env } from "../../lib/env.ts";
import { runAs } from "../../lib/auth/session.ts";
import { advanceShipmentAction as advanceShipmentActionAtVersion, backorderUnitsAction as backorderUnitsActionAtVersion, moveUnitsAction as moveUnitsActionAtVersion, recordBackorderChoiceAction as recordBackorderChoiceActionAtVersion } from "../../app/(ops)/orders/[id]/actions.ts";
import { thenPaidOut } from "../support/payouts.ts";
import { current } from "../support/current.ts";
import { HOUR, auditOf, backordersOf, insertProduct, notificationsOf, outboxOf, shipmentsOf, stockRow, type ProductRow } from "../support/routing-world.ts";
import { advanceTo, createOrdersWorld, expectOk, linesOf, orderOf, placeRoutedOrder, refundsOf, stock, type OrdersWorld } from "../support/orders-world.ts";

// Called as from a screen opened just now (the order's current version); stale-screen tests pass their own.
const advanceShipmentAction = thenPaidOut(current(advanceShipmentActionAtVersion));
const backorderUnitsAction = thenPaidOut(current(backorderUnitsActionAtVersion));
const moveUnitsAction = thenPaidOut(current(moveUnitsActionAtVersion));
const recordBackorderChoiceAction = thenPaidOut(current(recordBackorderChoiceActionAtVersion));

let w: OrdersWorld;
/** Stocked only where a test puts them, so a backordered unit has no spare anywhere else. */
let scarce: { kettle: ProductRow; mug: ProductRow };

beforeAll(() => {
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
  const { loc, product: p } = w;
  stock(w, loc.RTM, p.KETTLE, 50);
  stock(w, loc.RTM, p.MUG, 50);
  stock(w, loc.LEJ, p.KETTLE, 20);
  stock(w, loc.LEJ, p.TOASTER, 50);
  scarce = {
    kettle: insertProduct(w.db, { sku: "KTL-900", name: "Enamel kettle", price: 3900, allowBackorder: true }),
    mug: insertProduct(w.db, { sku: "MUG-900", name: "Enamel mug", price: 1200, allowBackorder: false }),
  };
});
afterAll(() => w.cleanup());

const inv = (locationId: number, product: ProductRow) => stockRow(w.db, locationId, product.id)!;
const count = (orderId: number) => ({ audit: auditOf(w.db, orderId).length, outbox: outboxOf(w.db, orderId).length, notifications: notificationsOf(w.db, orderId).length });

describe("split and move", () => {
  test("a lead moves part of a pending shipment to another warehouse: the reservation moves with it and a new pending shipment is made there", async () => {
    const { loc, product: p, users } = w;
    const o = placeRoutedOrder(w, { lines: [{ product: p.KETTLE, qty: 3 }] });
    const [source] = shipmentsOf(w.db, o.orderId);
    expect(source).toMatchObject({ locationId: loc.RTM, status: "pending" });
    const rtm = inv(loc.RTM, p.KETTLE);
    const lej = inv(loc.LEJ, p.KETTLE);

    const split = await runAs(users.lead, () => moveUnitsAction({ orderId: o.orderId, shipmentId: source!.id, orderLineId: o.lineIds[0]!, qty: 1, toLocationId: loc.LEJ, reason: "Stock is at the other location" }));
    const { toShipmentId } = expectOk(split);
    expect(expectOk(split)).toEqual({ fromShipmentId: source!.id, toShipmentId, fromCancelled: false });

    const after = shipmentsOf(w.db, o.orderId);
    expect(after.map((s) => [s.id, s.locationId, s.status, s.dropship, s.lines.map((l) => [l.orderLineId, l.qty])])).toEqual([
      [source!.id, loc.RTM, "pending", false, [[o.lineIds[0], 2]]],
      [toShipmentId, loc.LEJ, "pending", false, [[o.lineIds[0], 1]]],
    ]);
    // The new shipment's SLA is Leipzig's (24 h).
    expect(after[1]!.shipBy - after[1]!.createdAt).toBe(24 * HOUR);
    expect(inv(loc.RTM, p.KETTLE)).toMatchObject({ onHand: rtm.onHand, reserved: rtm.reserved - 1 });
    expect(inv(loc.LEJ, p.KETTLE)).toMatchObject({ onHand: lej.onHand, reserved: lej.reserved + 1 });
    expect(orderOf(w.db, o.orderId).status).toBe("awaiting_fulfillment");
    expect(auditOf(w.db, o.orderId).at(-1)).toMatchObject({
      entityType: "shipment",
      entityId: source!.id,
      action: "shipment_split",
      fromStatus: "pending",
      toStatus: "pending",
      actorId: users.lead.id,
      data: { toShipmentId, toLocationId: loc.LEJ, qty: 1 },
    });
    expect(outboxOf(w.db, o.orderId).at(-1)).toMatchObject({ topic: "shipment.split", payload: { from: source!.id, to: toShipmentId, qty: 1 } });

    // Moving the rest joins the pending shipment already there and cancels the emptied source.
    const move = await runAs(users.lead, () => moveUnitsAction({ orderId: o.orderId, shipmentId: source!.id, orderLineId: o.lineIds[0]!, qty: 2, toLocationId: loc.LEJ, reason: "Stock is at the other location" }));
    expect(expectOk(move)).toEqual({ fromShipmentId: source!.id, toShipmentId, fromCancelled: true });
    // The emptied source keeps its line as history: 0 live, 3 moved.
    expect(shipmentsOf(w.db, o.orderId).map((s) => [s.id, s.status, s.lines.map((l) => [l.qty, l.qtyMoved])])).toEqual([
      [source!.id, "cancelled", [[0, 3]]],
      [toShipmentId, "pending", [[3, 0]]],
    ]);
    expect(inv(loc.RTM, p.KETTLE)).toMatchObject({ onHand: rtm.onHand, reserved: rtm.reserved - 3 });
    expect(inv(loc.LEJ, p.KETTLE)).toMatchObject({ onHand: lej.onHand, reserved: lej.reserved + 3 });
    expect(auditOf(w.db, o.orderId).at(-1)).toMatchObject({ action: "shipment_moved", fromStatus: "pending", toStatus: "cancelled", entityId: source!.id });
  });
});

describe("backorder", () => {
  test("a lead backorders pending units no other stock holds: they leave the shipment, written off where they were, and the customer is asked; the agent records the answers", async () => {
    const { loc, users } = w;
    const p = { KETTLE: scarce.kettle, MUG: scarce.mug };
    stock(w, loc.RTM, p.KETTLE, 2);
    stock(w, loc.RTM, p.MUG, 1);
    const o = placeRoutedOrder(w, { lines: [{ product: p.KETTLE, qty: 2 }, { product: p.MUG, qty: 1 }] });
    expect(o).toMatchObject({ subtotal: 9_000, shipping: 500, tax: 1_900, total: 11_400 });
    const [s] = shipmentsOf(w.db, o.orderId);
    const kettle = inv(loc.RTM, p.KETTLE);
    const mug = inv(loc.RTM, p.MUG);
    const c = count(o.orderId);

    const r = await runAs(users.lead, () => backorderUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[0]!, qty: 1, reason: "One box crushed" }));
    const backorderId = expectOk(r).backorderId!;
    expect(shipmentsOf(w.db, o.orderId).map((x) => [x.id, x.status, x.lines.map((l) => [l.orderLineId, l.qty, l.qtyBackordered])])).toEqual([
      [s!.id, "pending", [[o.lineIds[0], 1, 1], [o.lineIds[1], 1, 0]]],
    ]);
    // The crushed unit is not on the shelf any more: on hand and its reservation drop together.
    expect(inv(loc.RTM, p.KETTLE)).toMatchObject({ onHand: kettle.onHand - 1, reserved: kettle.reserved - 1 });
    expect(backordersOf(w.db, o.orderId)).toMatchObject([
      { id: backorderId, orderLineId: o.lineIds[0], productId: p.KETTLE.id, qty: 1, status: "pending", customerChoice: "asked", reason: "One box crushed" },
    ]);
    expect(orderOf(w.db, o.orderId)).toMatchObject({ status: "awaiting_fulfillment", total: 11_400, refunded: 0 });
    expect(auditOf(w.db, o.orderId).slice(c.audit).map((a) => [a.entityType, a.entityId, a.action, a.toStatus, a.actorId])).toEqual([
      ["inventory", p.KETTLE.id, "stock_written_off", null, users.lead.id],
      ["backorder", backorderId, "backorder_created", "pending", users.lead.id],
      ["shipment", s!.id, "units_unavailable", "pending", users.lead.id],
    ]);
    expect(outboxOf(w.db, o.orderId).slice(c.outbox).map((x) => x.topic)).toEqual(["backorder.created", "shipment.changed"]);
    const told = notificationsOf(w.db, o.orderId).slice(c.notifications);
    expect(told.map((n) => n.kind)).toEqual(["backordered"]);
    expect(told[0]!.body).toContain("1 × Enamel kettle is not available right now");

    // The customer will wait: recorded, nothing else changes.
    const wait = await runAs(users.agent, () => recordBackorderChoiceAction({ orderId: o.orderId, backorderId, choice: "wait" }));
    expect(expectOk(wait)).toBeNull();
    expect(backordersOf(w.db, o.orderId)).toMatchObject([{ id: backorderId, status: "pending", customerChoice: "wait", qty: 1 }]);
    expect(auditOf(w.db, o.orderId).at(-1)).toMatchObject({ action: "backorder_choice", entityId: backorderId, actorId: users.agent.id, data: { choice: "wait" } });
    expect(refundsOf(w.db, o.orderId)).toEqual([]);

    // The mug is backordered too and the customer cancels it: those units are cancelled and refunded.
    // A SKU that is not normally backordered: nothing covers it, and the lead's backorder stands.
    const mugBo = expectOk(await runAs(users.lead, () => backorderUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[1]!, qty: 1, reason: "Shelf empty" })));
    expect(inv(loc.RTM, p.MUG)).toMatchObject({ onHand: mug.onHand - 1, reserved: mug.reserved - 1 });
    const cancel = await runAs(users.agent, () => recordBackorderChoiceAction({ orderId: o.orderId, backorderId: mugBo.backorderId!, choice: "cancel" }));
    // 12.00 plus 12.00/95.00 of 19.00 = 2.40 tax.
    expect(expectOk(cancel)).toEqual({ orderId: o.orderId, status: "awaiting_fulfillment", refunded: 1_440, held: 0, cancelledUnits: 1 });
    expect(backordersOf(w.db, o.orderId).map((b) => [b.id, b.status, b.customerChoice, b.qty])).toEqual([
      [backorderId, "pending", "wait", 1],
      [mugBo.backorderId!, "cancelled", "cancel", 1],
    ]);
    expect(linesOf(w.db, o.orderId).map((l) => l.qtyCancelled)).toEqual([0, 1]);
    expect(orderOf(w.db, o.orderId)).toMatchObject({ status: "awaiting_fulfillment", subtotal: 7_800, tax: 1_660, total: 9_960, refunded: 1_440 });
    expect(refundsOf(w.db, o.orderId).map((x) => [x.amount, x.status])).toEqual([[1_440, "succeeded"]]);
    expect(notificationsOf(w.db, o.orderId).map((n) => n.kind).slice(-3)).toEqual(["backordered", "lines_cancelled", "refunded"]); // the refund's note follows its payout
    // The mug's reservation was released once, when it was backordered.
    expect(inv(loc.RTM, p.MUG)).toMatchObject({ onHand: mug.onHand - 1, reserved: mug.reserved - 1 });
  });

  test("cancelling one backorder of a line cancels that backorder, not an older one the customer is waiting for", async () => {
    const { loc, users } = w;
    const p = { KETTLE: scarce.kettle };
    stock(w, loc.LYS, p.KETTLE, 3);
    const o = placeRoutedOrder(w, { lines: [{ product: p.KETTLE, qty: 3 }] });
    const [s] = shipmentsOf(w.db, o.orderId);
    const first = expectOk(await runAs(users.lead, () => backorderUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[0]!, qty: 1, reason: "Dented" })));
    expectOk(await runAs(users.agent, () => recordBackorderChoiceAction({ orderId: o.orderId, backorderId: first.backorderId!, choice: "wait" })));
    const second = expectOk(await runAs(users.lead, () => backorderUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[0]!, qty: 1, reason: "Miscounted" })));

    expectOk(await runAs(users.agent, () => recordBackorderChoiceAction({ orderId: o.orderId, backorderId: second.backorderId!, choice: "cancel" })));

    expect(backordersOf(w.db, o.orderId).map((b) => [b.id, b.status, b.customerChoice, b.qty])).toEqual([
      [first.backorderId, "pending", "wait", 1],
      [second.backorderId, "cancelled", "cancel", 1],
    ]);
    expect(linesOf(w.db, o.orderId)[0]).toMatchObject({ qtyOrdered: 3, qtyCancelled: 1 });
    expect(shipmentsOf(w.db, o.orderId)[0]!.lines.map((l) => l.qty)).toEqual([1]);
  });
});

describe("shipment progress", () => {
  test("picking → packed → shipped → delivered: shipping consumes the reservation, the order follows its shipments, one shipped notice per shipment", async () => {
    const { loc, product: p, users } = w;
    const o = placeRoutedOrder(w, { lines: [{ product: p.MUG, qty: 2 }, { product: p.TOASTER, qty: 1 }] });
    const [rtm, lej] = shipmentsOf(w.db, o.orderId);
    expect([rtm!.locationId, lej!.locationId]).toEqual([loc.RTM, loc.LEJ]);
    const mug = inv(loc.RTM, p.MUG);
    const toaster = inv(loc.LEJ, p.TOASTER);
    const c = count(o.orderId);
    const step = (shipmentId: number, to: "picking" | "packed" | "shipped" | "delivered", extra: { carrier?: string; trackingNumber?: string } = {}) =>
      runAs(users.lead, () => advanceShipmentAction({ orderId: o.orderId, shipmentId, to, ...extra }));

    expect(expectOk(await step(rtm!.id, "picking"))).toEqual({ shipmentStatus: "picking", orderStatus: "awaiting_fulfillment" });
    expect(expectOk(await step(rtm!.id, "packed"))).toEqual({ shipmentStatus: "packed", orderStatus: "awaiting_fulfillment" });
    // Picking and packing touch no stock.
    expect(inv(loc.RTM, p.MUG)).toMatchObject({ onHand: mug.onHand, reserved: mug.reserved });
    // Shipping needs a carrier and a tracking number.
    const bare = await step(rtm!.id, "shipped");
    expect(bare).toMatchObject({ ok: false, code: "invalid_input" });
    expect(shipmentsOf(w.db, o.orderId)[0]!.status).toBe("packed");

    expect(expectOk(await step(rtm!.id, "shipped", { carrier: "DHL", trackingNumber: "JD0146000001" }))).toEqual({ shipmentStatus: "shipped", orderStatus: "partially_fulfilled" });
    const shipped = shipmentsOf(w.db, o.orderId)[0]!;
    expect(shipped).toMatchObject({ status: "shipped", carrier: "DHL", trackingNumber: "JD0146000001" });
    expect(shipped.shippedAt).toEqual(expect.any(Number));
    expect(inv(loc.RTM, p.MUG)).toMatchObject({ onHand: mug.onHand - 2, reserved: mug.reserved - 2 });
    expect(orderOf(w.db, o.orderId).status).toBe("partially_fulfilled");

    await advanceTo(users.lead, o.orderId, lej!.id, "shipped");
    expect(orderOf(w.db, o.orderId).status).toBe("fulfilled");
    expect(inv(loc.LEJ, p.TOASTER)).toMatchObject({ onHand: toaster.onHand - 1, reserved: toaster.reserved - 1 });

    expect(expectOk(await step(rtm!.id, "delivered"))).toEqual({ shipmentStatus: "delivered", orderStatus: "fulfilled" });
    expect(expectOk(await step(lej!.id, "delivered"))).toEqual({ shipmentStatus: "delivered", orderStatus: "delivered" });
    expect(shipmentsOf(w.db, o.orderId).map((s) => [s.status, typeof s.deliveredAt])).toEqual([["delivered", "number"], ["delivered", "number"]]);
    // Delivery does not touch stock.
    expect(inv(loc.RTM, p.MUG)).toMatchObject({ onHand: mug.onHand - 2, reserved: mug.reserved - 2 });
    expect(orderOf(w.db, o.orderId).status).toBe("delivered");

    const audit = auditOf(w.db, o.orderId).slice(c.audit);
    // Every order status change went through transition(), by the lead, with the shipment that caused it.
    expect(audit.filter((a) => a.action === "status_changed").map((a) => [a.fromStatus, a.toStatus, a.actorId, (a.data as { shipmentId: number }).shipmentId])).toEqual([
      ["awaiting_fulfillment", "partially_fulfilled", users.lead.id, rtm!.id],
      ["partially_fulfilled", "fulfilled", users.lead.id, lej!.id],
      ["fulfilled", "delivered", users.lead.id, lej!.id],
    ]);
    expect(audit.filter((a) => a.action === "shipment_status_changed").map((a) => [a.entityId, a.fromStatus, a.toStatus])).toEqual([
      [rtm!.id, "pending", "picking"],
      [rtm!.id, "picking", "packed"],
      [rtm!.id, "packed", "shipped"],
      [lej!.id, "pending", "picking"],
      [lej!.id, "picking", "packed"],
      [lej!.id, "packed", "shipped"],
      [rtm!.id, "shipped", "delivered"],
      [lej!.id, "shipped", "delivered"],
    ]);
    expect(outboxOf(w.db, o.orderId).slice(c.outbox).filter((x) => x.topic.startsWith("shipment.")).map((x) => x.topic)).toEqual([
      "shipment.picking",
      "shipment.packed",
      "shipment.shipped",
      "shipment.picking",
      "shipment.packed",
      "shipment.shipped",
      "shipment.delivered",
      "shipment.delivered",
    ]);
    const notices = notificationsOf(w.db, o.orderId).slice(c.notifications);
    expect(notices.map((n) => n.kind)).toEqual(["shipped", "shipped"]);
    expect(notices[0]!.body).toContain("with DHL, tracking number JD0146000001. In this parcel:\n- 2 × Stoneware mug\n\nStill to come:\n- 1 × Two-slot toaster\n\n");
    expect(notices[1]!.body).toContain(`with DHL, tracking number JD-${lej!.id}-${o.orderId}. In this parcel:\n- 1 × Two-slot toaster\n\nThat completes your order.`);
  });

  test("a single shipment going out takes the order straight from awaiting_fulfillment to fulfilled", async () => {
    const { product: p, users } = w;
    const o = placeRoutedOrder(w, { lines: [{ product: p.MUG, qty: 4 }] });
    const [s] = shipmentsOf(w.db, o.orderId);
    await advanceTo(users.lead, o.orderId, s!.id, "shipped");
    expect(auditOf(w.db, o.orderId).filter((a) => a.action === "status_changed").map((a) => [a.fromStatus, a.toStatus])).toEqual([
      ["payment_processing", "paid"],
      ["paid", "awaiting_fulfillment"],
      ["awaiting_fulfillment", "fulfilled"],
    ]);
    expect(notificationsOf(w.db, o.orderId).filter((n) => n.kind === "shipped")).toHaveLength(1);
  });
});
