import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { env } from "../../lib/env.ts";
import { runAs } from "../../lib/auth/session.ts";
import { advanceShipmentAction as advanceShipmentActionAtVersion, backorderUnitsAction as backorderUnitsActionAtVersion, cancelOrderAction as cancelOrderActionAtVersion, cancelUnitsAction as cancelUnitsActionAtVersion, moveUnitsAction as moveUnitsActionAtVersion } from "../../app/(ops)/orders/[id]/actions.ts";
import { current } from "../support/current.ts";
import { receiveStock } from "../../lib/inventory/receive.ts";
import { backorders } from "../../db/schema/index.ts";
import { addCatalog, auditOf, backordersOf, decisionsOf, insertProduct, notificationsOf, shipmentsOf, stockRow, type ProductRow } from "../support/routing-world.ts";
import { createOrdersWorld, databaseSnapshot, expectOk, placeRoutedOrder, stock, type OrdersWorld, type PlacedOrder } from "../support/orders-world.ts";

// Called as from a screen opened just now (the order's current version); stale-screen tests pass their own.
const advanceShipmentAction = current(advanceShipmentActionAtVersion);
const backorderUnitsAction = current(backorderUnitsActionAtVersion);
const cancelOrderAction = current(cancelOrderActionAtVersion);
const cancelUnitsAction = current(cancelUnitsActionAtVersion);
const moveUnitsAction = current(moveUnitsActionAtVersion);

let w: OrdersWorld;
beforeAll(() => {
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
});
afterAll(() => w.cleanup());

let n = 0;
/** A SKU of its own per test, so stock elsewhere in the file never interferes. */
const product = (allowBackorder = true): ProductRow => insertProduct(w.db, { sku: `FR-${++n}`, name: `Item ${n}`, price: 1000, allowBackorder });
const inv = (locationId: number, p: ProductRow) => stockRow(w.db, locationId, p.id);
const lines = (orderId: number) => shipmentsOf(w.db, orderId).map((s) => [s.locationId, s.status, s.lines.map((l) => [l.orderLineId, l.qty, l.qtyMoved, l.qtyBackordered])]);
const waiting = (orderId: number) => backordersOf(w.db, orderId).map((b) => [b.orderLineId, b.qty, b.status]);
const lead = <T>(fn: () => T) => runAs(w.users.lead, fn);

/** What the old code left behind: one unit of a ship-complete order backordered beside its still-pending shipment. */
function strandedShipComplete(a: ProductRow, b: ProductRow): { o: PlacedOrder; shipmentId: number } {
  stock(w, w.loc.RTM, a, 2);
  stock(w, w.loc.RTM, b, 1);
  const o = placeRoutedOrder(w, { lines: [{ product: a, qty: 2 }, { product: b, qty: 1 }], shipComplete: true });
  const [s] = shipmentsOf(w.db, o.orderId);
  w.db.$client.prepare("UPDATE shipment_lines SET qty = qty - 1, qty_backordered = 1 WHERE shipment_id = ? AND order_line_id = ?").run(s!.id, o.lineIds[0]);
  w.db.$client.prepare("UPDATE inventory SET on_hand = on_hand - 1, reserved = reserved - 1 WHERE location_id = ? AND product_id = ?").run(w.loc.RTM, a.id);
  w.db.insert(backorders).values({ orderId: o.orderId, orderLineId: o.lineIds[0]!, productId: a.id, qty: 1, status: "pending", customerChoice: "asked", reason: "Crushed", createdAt: s!.createdAt + 1, updatedAt: s!.createdAt + 1 }).run();
  return { o, shipmentId: s!.id };
}

describe("a ship-complete order stays whole", () => {
  test("moving part of a ship-complete order to another warehouse is refused with the reason, and nothing is written", async () => {
    const { loc } = w;
    const [a, b] = [product(), product()];
    stock(w, loc.RTM, a, 2);
    stock(w, loc.RTM, b, 1);
    stock(w, loc.LEJ, a, 5);
    stock(w, loc.LEJ, b, 5);
    const o = placeRoutedOrder(w, { lines: [{ product: a, qty: 2 }, { product: b, qty: 1 }], shipComplete: true });
    const [s] = shipmentsOf(w.db, o.orderId);
    expect(s).toMatchObject({ locationId: loc.RTM, status: "pending" });
    const before = databaseSnapshot(w.db);

    const r = await lead(() => moveUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[0]!, qty: 2, toLocationId: loc.LEJ, reason: "Stock is at the other location" }));

    expect(r).toMatchObject({ ok: false, code: "invalid_transition", message: expect.stringContaining("ships complete, so it moves whole: moving 2 of its 3 open unit(s)") });
    expect(databaseSnapshot(w.db)).toEqual(before);
  });

  test("moving every unit of a one-line ship-complete order moves it whole, in one shipment", async () => {
    const { loc } = w;
    const a = product();
    stock(w, loc.RTM, a, 2);
    stock(w, loc.LEJ, a, 2);
    const o = placeRoutedOrder(w, { lines: [{ product: a, qty: 2 }], shipComplete: true });
    const [s] = shipmentsOf(w.db, o.orderId);
    expectOk(await lead(() => moveUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[0]!, qty: 2, toLocationId: loc.LEJ, reason: "Stock is at the other location" })));
    expect(lines(o.orderId)).toEqual([
      [loc.RTM, "cancelled", [[o.lineIds[0], 0, 2, 0]]],
      [loc.LEJ, "pending", [[o.lineIds[0], 2, 0, 0]]],
    ]);
    expect(inv(loc.LEJ, a)).toMatchObject({ onHand: 2, reserved: 2 });
    expect(inv(loc.RTM, a)).toMatchObject({ onHand: 2, reserved: 0 });
  });

  test("backordering part of a ship-complete order that no single location can ship whole backorders all of it: nothing is left to pick", async () => {
    const { loc } = w;
    const [a, b] = [product(), product()];
    stock(w, loc.RTM, a, 2);
    stock(w, loc.RTM, b, 1);
    stock(w, loc.LEJ, a, 1);
    const o = placeRoutedOrder(w, { lines: [{ product: a, qty: 2 }, { product: b, qty: 1 }], shipComplete: true });
    const [s] = shipmentsOf(w.db, o.orderId);

    const r = expectOk(await lead(() => backorderUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[0]!, qty: 1, reason: "Crushed" })));

    expect(r).toMatchObject({ backordered: 3, rerouted: 0 });
    expect(lines(o.orderId)).toEqual([[loc.RTM, "cancelled", [[o.lineIds[0], 0, 0, 2], [o.lineIds[1], 0, 0, 1]]]]);
    expect(waiting(o.orderId)).toEqual([[o.lineIds[0], 2, "pending"], [o.lineIds[1], 1, "pending"]]);
    // The crushed unit is written off; the rest is back on the shelf, and the order waits whole.
    expect(inv(loc.RTM, a)).toMatchObject({ onHand: 1, reserved: 0 });
    expect(inv(loc.RTM, b)).toMatchObject({ onHand: 1, reserved: 0 });
    const decision = decisionsOf(w.db, o.orderId).at(-1)!;
    expect(decision).toMatchObject({ id: r.decisionId, outcome: "backordered" });
    expect(decision.plan.explanation[0]).toContain("the order ships complete, so all of it was planned again");
    expect(notificationsOf(w.db, o.orderId).at(-1)).toMatchObject({ kind: "backordered", body: expect.stringContaining("your order ships complete") });
    expect(await lead(() => advanceShipmentAction({ orderId: o.orderId, shipmentId: s!.id, to: "picking" }))).toMatchObject({ ok: false });
  });

  test("backordering part of a ship-complete order moves the whole order to the one location that can ship all of it, explained as a routing decision", async () => {
    const { loc } = w;
    const [a, b] = [product(), product()];
    stock(w, loc.RTM, a, 2);
    stock(w, loc.RTM, b, 1);
    stock(w, loc.LEJ, a, 3);
    stock(w, loc.LEJ, b, 2);
    const o = placeRoutedOrder(w, { lines: [{ product: a, qty: 2 }, { product: b, qty: 1 }], shipComplete: true });
    const [s] = shipmentsOf(w.db, o.orderId);
    expect(s!.locationId).toBe(loc.RTM);

    const r = expectOk(await lead(() => backorderUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[0]!, qty: 1, reason: "Dented" })));

    expect(r).toMatchObject({ backorderId: null, backordered: 0 });
    expect(lines(o.orderId)).toEqual([
      [loc.RTM, "cancelled", [[o.lineIds[0], 0, 2, 0], [o.lineIds[1], 0, 1, 0]]],
      [loc.LEJ, "pending", [[o.lineIds[0], 2, 0, 0], [o.lineIds[1], 1, 0, 0]]],
    ]);
    expect(backordersOf(w.db, o.orderId)).toEqual([]);
    expect(inv(loc.RTM, a)).toMatchObject({ onHand: 1, reserved: 0 });
    expect(inv(loc.RTM, b)).toMatchObject({ onHand: 1, reserved: 0 });
    expect(inv(loc.LEJ, a)).toMatchObject({ onHand: 3, reserved: 2 });
    expect(inv(loc.LEJ, b)).toMatchObject({ onHand: 2, reserved: 1 });
    const decision = decisionsOf(w.db, o.orderId).at(-1)!;
    expect(decision).toMatchObject({ id: r.decisionId, outcome: "single", shipmentCount: 1 });
    expect(decision.plan.shipments.map((p) => p.locationCode)).toEqual(["LEJ"]);
  });

  test("restock fills a ship-complete order stranded beside its pending shipment by moving the whole order to where it now fits", () => {
    const { loc } = w;
    const [a, b] = [product(), product()];
    const { o, shipmentId } = strandedShipComplete(a, b);
    stock(w, loc.LEJ, b, 1);

    const result = w.db.transaction((tx) => receiveStock(tx, { locationId: loc.LEJ, sku: a.sku, qty: 2, reference: `PO-${a.sku}`, actor: { id: w.users.lead.id, label: "lead" }, at: Date.now() }), { behavior: "immediate" });

    const shipped = shipmentsOf(w.db, o.orderId);
    expect(lines(o.orderId)).toEqual([
      [loc.RTM, "cancelled", [[o.lineIds[0], 0, 1, 1], [o.lineIds[1], 0, 1, 0]]],
      [loc.LEJ, "pending", [[o.lineIds[0], 2, 0, 0], [o.lineIds[1], 1, 0, 0]]],
    ]);
    expect(result.fills.map((f) => [f.orderId, f.qty, f.remaining, f.shipmentId])).toEqual([[o.orderId, 1, 0, shipped[1]!.id]]);
    expect(waiting(o.orderId)).toEqual([[o.lineIds[0], 1, "allocated"]]);
    expect(inv(loc.RTM, a)).toMatchObject({ reserved: 0 });
    expect(inv(loc.RTM, b)).toMatchObject({ reserved: 0 });
    expect(inv(loc.LEJ, a)).toMatchObject({ onHand: 2, reserved: 2 });
    expect(inv(loc.LEJ, b)).toMatchObject({ onHand: 1, reserved: 1 });
    expect(auditOf(w.db, o.orderId).filter((x) => x.entityId === shipmentId && x.entityType === "shipment").at(-1)).toMatchObject({ action: "shipment_moved", toStatus: "cancelled" });
  });

  test("a ship-complete order whose shipment waits beside a backorder is held: picking is refused with the reason", async () => {
    const [a, b] = [product(), product()];
    const { o, shipmentId } = strandedShipComplete(a, b);
    const before = databaseSnapshot(w.db);
    const r = await lead(() => advanceShipmentAction({ orderId: o.orderId, shipmentId, to: "picking" }));
    expect(r).toMatchObject({ ok: false, code: "invalid_transition", message: expect.stringContaining("ships complete and 1 other unit(s)") });
    expect(databaseSnapshot(w.db)).toEqual(before);
  });
});

describe("a backorder means no stock anywhere", () => {
  test("a lead's backorder is re-routed to another warehouse holding the units, explained as a routing decision; nothing is backordered", async () => {
    const { loc } = w;
    const a = product();
    stock(w, loc.RTM, a, 2);
    stock(w, loc.LEJ, a, 5);
    const o = placeRoutedOrder(w, { lines: [{ product: a, qty: 2 }] });
    const [s] = shipmentsOf(w.db, o.orderId);
    expect(s!.locationId).toBe(loc.RTM);

    const r = expectOk(await lead(() => backorderUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[0]!, qty: 1, reason: "Dropped" })));

    expect(r).toMatchObject({ backorderId: null, backordered: 0, rerouted: 1 });
    expect(backordersOf(w.db, o.orderId)).toEqual([]);
    expect(lines(o.orderId)).toEqual([
      [loc.RTM, "pending", [[o.lineIds[0], 1, 1, 0]]],
      [loc.LEJ, "pending", [[o.lineIds[0], 1, 0, 0]]],
    ]);
    expect(inv(loc.RTM, a)).toMatchObject({ onHand: 1, reserved: 1 });
    expect(inv(loc.LEJ, a)).toMatchObject({ onHand: 5, reserved: 1 });
    const decision = decisionsOf(w.db, o.orderId).at(-1)!;
    expect(decision).toMatchObject({ id: r.decisionId, outcome: "single" });
    expect(decision.plan.explanation[0]).toBe(`1 × ${a.sku} of shipment #${s!.id} marked unavailable (Dropped); routed again:`);
    expect(decision.plan.candidates.find((c) => c.code === "LEJ")).toMatchObject({ verdict: "chosen" });
    expect(auditOf(w.db, o.orderId).slice(-3).map((x) => [x.entityType, x.action])).toEqual([
      ["inventory", "stock_written_off"],
      ["shipment", "shipment_created"],
      ["shipment", "units_unavailable"],
    ]);
  });

  test("with no stock anywhere the units go to a dropship supplier that carries the SKU", async () => {
    const { loc } = w;
    const a = product();
    stock(w, loc.RTM, a, 1);
    addCatalog(w.db, loc.DS_NORD, a.id, { leadDays: 3 });
    const o = placeRoutedOrder(w, { lines: [{ product: a, qty: 1 }] });
    const [s] = shipmentsOf(w.db, o.orderId);

    expectOk(await lead(() => backorderUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[0]!, qty: 1, reason: "Water damage" })));

    expect(backordersOf(w.db, o.orderId)).toEqual([]);
    expect(shipmentsOf(w.db, o.orderId).map((x) => [x.locationId, x.status, x.dropship])).toEqual([
      [loc.RTM, "cancelled", false],
      [loc.DS_NORD, "pending", true],
    ]);
    expect(decisionsOf(w.db, o.orderId).at(-1)).toMatchObject({ outcome: "dropship", dropship: true });
  });

  test("only what no stock covers is backordered: part goes to the warehouse that holds some, the rest waits", async () => {
    const { loc } = w;
    const a = product();
    stock(w, loc.RTM, a, 3);
    stock(w, loc.LEJ, a, 1);
    const o = placeRoutedOrder(w, { lines: [{ product: a, qty: 3 }] });
    const [s] = shipmentsOf(w.db, o.orderId);

    const r = expectOk(await lead(() => backorderUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[0]!, qty: 3, reason: "Wrong colour in the bin" })));

    expect(r).toMatchObject({ backordered: 2, rerouted: 1 });
    expect(lines(o.orderId)).toEqual([
      [loc.RTM, "cancelled", [[o.lineIds[0], 0, 1, 2]]],
      [loc.LEJ, "pending", [[o.lineIds[0], 1, 0, 0]]],
    ]);
    expect(waiting(o.orderId)).toEqual([[o.lineIds[0], 2, "pending"]]);
    expect(decisionsOf(w.db, o.orderId).at(-1)).toMatchObject({ outcome: "backordered", backordered: true });
  });

  test("stock freed by a cancellation goes to the oldest backorder waiting for it", async () => {
    const { loc } = w;
    const a = product();
    stock(w, loc.RTM, a, 2);
    const first = placeRoutedOrder(w, { lines: [{ product: a, qty: 2 }] });
    const second = placeRoutedOrder(w, { lines: [{ product: a, qty: 1 }] });
    expect(waiting(second.orderId)).toEqual([[second.lineIds[0], 1, "pending"]]);

    expectOk(await runAs(w.users.agent, () => cancelOrderAction({ orderId: first.orderId, reason: "Customer changed their mind" })));

    expect(waiting(second.orderId)).toEqual([[second.lineIds[0], 1, "allocated"]]);
    expect(lines(second.orderId)).toEqual([[loc.RTM, "pending", [[second.lineIds[0], 1, 0, 0]]]]);
    expect(inv(loc.RTM, a)).toMatchObject({ onHand: 2, reserved: 1 });
    expect(notificationsOf(w.db, second.orderId).map((x) => x.kind)).toEqual(["backordered", "backorder_allocated"]);
  });

  test("cancelling the units a ship-complete order waits for lets the rest ship whole from where it fits", async () => {
    const { loc } = w;
    const [a, b] = [product(), product()];
    stock(w, loc.RTM, a, 1);
    const o = placeRoutedOrder(w, { lines: [{ product: a, qty: 1 }, { product: b, qty: 1 }], shipComplete: true });
    expect(waiting(o.orderId)).toEqual([[o.lineIds[0], 1, "pending"], [o.lineIds[1], 1, "pending"]]);

    expectOk(await runAs(w.users.agent, () => cancelUnitsAction({ orderId: o.orderId, lines: [{ orderLineId: o.lineIds[1]!, qty: 1 }], reason: "Out of stock too long" })));

    expect(waiting(o.orderId)).toEqual([[o.lineIds[0], 1, "allocated"], [o.lineIds[1], 1, "cancelled"]]);
    expect(lines(o.orderId)).toEqual([[loc.RTM, "pending", [[o.lineIds[0], 1, 0, 0]]]]);
    expect(inv(loc.RTM, a)).toMatchObject({ onHand: 1, reserved: 1 });
    expect(decisionsOf(w.db, o.orderId).at(-1)!.plan.explanation[0]).toContain("can now ship every unit of this ship-complete order");
  });
});

describe("an emptied shipment keeps its lines as history", () => {
  test("a shipment emptied by a backorder is cancelled with its lines kept: 0 live, the units marked backordered", async () => {
    const { loc } = w;
    const [a, b] = [product(), product()];
    stock(w, loc.RTM, a, 2);
    stock(w, loc.RTM, b, 1);
    const o = placeRoutedOrder(w, { lines: [{ product: a, qty: 2 }, { product: b, qty: 1 }] });
    const [s] = shipmentsOf(w.db, o.orderId);
    expectOk(await lead(() => backorderUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[0]!, qty: 2, reason: "Recalled" })));
    expectOk(await lead(() => backorderUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[1]!, qty: 1, reason: "Recalled" })));
    expect(shipmentsOf(w.db, o.orderId).map((x) => [x.status, x.lines.map((l) => [l.orderLineId, l.qty, l.qtyBackordered, l.qtyMoved, l.qtyCancelled])])).toEqual([
      ["cancelled", [[o.lineIds[0], 0, 2, 0, 0], [o.lineIds[1], 0, 1, 0, 0]]],
    ]);
  });
});
