import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { eq } from "drizzle-orm";
import { backorders } from "../../db/schema/index.ts";
import { DomainError } from "../../lib/errors.ts";
import type { Actor } from "../../lib/audit.ts";
import { receiveStock } from "../../lib/inventory/receive.ts";
import { routeBatch } from "../../lib/worker/route-jobs.ts";
import {
  DAY,
  alertsOf,
  HOUR,
  PLACES,
  T0,
  auditOf,
  backordersOf,
  createWorld,
  insertCustomer,
  notificationsOf,
  outboxOf,
  payOrder,
  setStock,
  shipmentsOf,
  statusOf,
  stockRow,
  writeCounts,
  type PaidOrder,
  type World,
} from "../support/routing-world.ts";

let w: World;
beforeEach(() => {
  w = createWorld();
});
afterEach(() => w.cleanup());

const LEAD: Actor = { id: null, label: "Test lead (Warehouse lead)" };

/** Pays and routes one order for `qty` kettles at time `at`; with no kettle anywhere it is backordered whole. */
function backorderedOrder(qty: number, at: number): PaidOrder {
  const customer = insertCustomer(w.db, PLACES.berlin, `Customer ${qty}@${at}`);
  const order = payOrder(w.db, { customer, lines: [{ product: w.product.KETTLE, qty }], at });
  const { routed } = routeBatch(w.db, { now: at });
  expect(routed.map((r) => [r.orderId, r.outcome])).toEqual([[order.orderId, "backordered"]]);
  return order;
}

let delivery = 0;
/** Each call is its own delivery (its own reference): a repeated reference is a refused duplicate. */
function receive(o: { locationId: number; sku: string; qty: number; at: number; reference?: string; override?: boolean }) {
  return w.db.transaction((tx) => receiveStock(tx, { reference: `PO-${++delivery}`, ...o, actor: LEAD }), { behavior: "immediate" });
}

describe("receiveStock: FIFO restock", () => {
  test("fills the oldest backorder fully, the second in part keeping its place, and leaves the third untouched", () => {
    const { loc, product: p } = w;
    // Leipzig keeps one kettle as safety stock, so receiving 5 frees 4.
    setStock(w.db, loc.LEJ, p.KETTLE.id, 0, 1);
    const first = backorderedOrder(2, T0);
    const second = backorderedOrder(3, T0 + HOUR);
    const third = backorderedOrder(2, T0 + 2 * HOUR);
    const [b1, b2, b3] = [first, second, third].map((o) => backordersOf(w.db, o.orderId)[0]!);
    expect([b1, b2, b3].map((b) => [b!.qty, b!.status, b!.createdAt])).toEqual([
      [2, "pending", T0],
      [3, "pending", T0 + HOUR],
      [2, "pending", T0 + 2 * HOUR],
    ]);

    const at = T0 + 2 * DAY;
    const result = receive({ locationId: loc.LEJ, sku: "KTL-100", qty: 5, at });

    expect(result).toMatchObject({ locationId: loc.LEJ, productId: p.KETTLE.id, sku: "KTL-100", received: 5, onHand: 5, availableAfter: 0 });
    expect(result.fills.map((f) => [f.orderId, f.backorderId, f.qty, f.remaining])).toEqual([
      [first.orderId, b1!.id, 2, 0],
      [second.orderId, b2!.id, 2, 1],
    ]);
    expect(stockRow(w.db, loc.LEJ, p.KETTLE.id)).toMatchObject({ onHand: 5, reserved: 4, safetyStock: 1, updatedAt: at });

    // The oldest: allocated whole, with a pending shipment from Leipzig holding its reserved units.
    expect(backordersOf(w.db, first.orderId)).toEqual([expect.objectContaining({ id: b1!.id, qty: 2, status: "allocated", createdAt: T0, updatedAt: at })]);
    const firstShipments = shipmentsOf(w.db, first.orderId);
    expect(firstShipments.map((s) => ({ loc: s.locationId, status: s.status, dropship: s.dropship, shipBy: s.shipBy, lines: s.lines.map((l) => [l.orderLineId, l.qty]) }))).toEqual([
      { loc: loc.LEJ, status: "pending", dropship: false, shipBy: at + 24 * HOUR, lines: [[first.lineIds[0], 2]] },
    ]);
    expect(result.fills[0]!.shipmentId).toBe(firstShipments[0]!.id);

    // The second: 2 allocated, 1 still pending with the original creation time, so it stays ahead of the third.
    expect(backordersOf(w.db, second.orderId).map((b) => [b.qty, b.status, b.createdAt, b.orderLineId])).toEqual([
      [2, "allocated", T0 + HOUR, second.lineIds[0]],
      [1, "pending", T0 + HOUR, second.lineIds[0]],
    ]);
    expect(shipmentsOf(w.db, second.orderId).map((s) => [s.locationId, s.status, s.lines.map((l) => l.qty)])).toEqual([[loc.LEJ, "pending", [2]]]);

    // The third: untouched.
    expect(backordersOf(w.db, third.orderId)).toEqual([b3]);
    expect(shipmentsOf(w.db, third.orderId)).toEqual([]);

    // One notification and one timeline entry per fill.
    for (const [order, qty, remaining] of [[first, 2, 0], [second, 2, 1]] as const) {
      const fills = notificationsOf(w.db, order.orderId).filter((n) => n.kind === "backorder_allocated");
      expect(fills).toHaveLength(1);
      expect(fills[0]).toMatchObject({ createdAt: at });
      expect(fills[0]!.subject).toContain(`${qty} × Stovetop kettle`); // the customer reads the product name
      expect(fills[0]!.subject).toContain(order.number);
      if (remaining) expect(fills[0]!.body).toContain(`${remaining} more remain on backorder`);
      const audit = auditOf(w.db, order.orderId).filter((a) => a.action === "backorder_allocated");
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorLabel: LEAD.label, fromStatus: "pending", toStatus: "allocated", createdAt: at, data: { qty, remaining, locationId: loc.LEJ } });
      expect(outboxOf(w.db, order.orderId).filter((m) => m.topic === "backorder.allocated")).toHaveLength(1);
      expect(statusOf(w.db, order.orderId)).toBe("awaiting_fulfillment");
    }
    expect(notificationsOf(w.db, third.orderId).map((n) => n.kind)).toEqual(["backordered"]);
    expect(auditOf(w.db, third.orderId).some((a) => a.action === "backorder_allocated")).toBe(false);

    // The next unit goes to the second order's remainder, not to the third.
    const next = receive({ locationId: loc.RTM, sku: "KTL-100", qty: 1, at: at + HOUR });
    expect(next.fills.map((f) => [f.orderId, f.qty, f.remaining])).toEqual([[second.orderId, 1, 0]]);
    expect(backordersOf(w.db, second.orderId).map((b) => b.status)).toEqual(["allocated", "allocated"]);
    expect(backordersOf(w.db, third.orderId)).toEqual([b3]);
    expect(stockRow(w.db, loc.RTM, p.KETTLE.id)).toMatchObject({ onHand: 1, reserved: 1, safetyStock: 0 });
  });

  test("a backorder whose customer chose to cancel is skipped and the next in line is filled", () => {
    const { loc, product: p } = w;
    const cancelling = backorderedOrder(2, T0);
    const waiting = backorderedOrder(2, T0 + HOUR);
    const cancelled = backordersOf(w.db, cancelling.orderId)[0]!;
    w.db.update(backorders).set({ customerChoice: "cancel" }).where(eq(backorders.id, cancelled.id)).run();

    const result = receive({ locationId: loc.RTM, sku: "ktl-100", qty: 2, at: T0 + 2 * HOUR });

    expect(result.fills.map((f) => [f.orderId, f.qty])).toEqual([[waiting.orderId, 2]]);
    expect(backordersOf(w.db, cancelling.orderId)).toEqual([{ ...cancelled, customerChoice: "cancel" }]);
    expect(shipmentsOf(w.db, cancelling.orderId)).toEqual([]);
    expect(backordersOf(w.db, waiting.orderId).map((b) => b.status)).toEqual(["allocated"]);
    expect(stockRow(w.db, loc.RTM, p.KETTLE.id)).toMatchObject({ onHand: 2, reserved: 2 });
  });

  test("a ship-complete order backordered whole is never split by restock: filled whole from one location, in one shipment, or passed by", () => {
    const { loc, product: p } = w;
    const customer = insertCustomer(w.db, PLACES.berlin, "Ship-complete customer");
    const whole = payOrder(w.db, { customer, lines: [{ product: p.KETTLE, qty: 3 }, { product: p.BLENDER, qty: 1 }], shipComplete: true, at: T0 });
    expect(routeBatch(w.db, { now: T0 }).routed.map((r) => r.outcome)).toEqual(["backordered"]);
    const later = backorderedOrder(1, T0 + HOUR);

    // Two kettles cannot fill the ship-complete order: it keeps waiting, whole, and the next in line is served.
    const first = receive({ locationId: loc.LEJ, sku: "KTL-100", qty: 2, at: T0 + 2 * HOUR });
    expect(first.fills.map((f) => [f.orderId, f.qty])).toEqual([[later.orderId, 1]]);
    expect(shipmentsOf(w.db, whole.orderId)).toEqual([]);
    expect(backordersOf(w.db, whole.orderId).map((b) => [b.qty, b.status])).toEqual([[3, "pending"], [1, "pending"]]);

    // The blender alone does not fill it either: Leipzig has only one kettle free.
    const second = receive({ locationId: loc.LEJ, sku: "BLN-300", qty: 1, at: T0 + 3 * HOUR });
    expect(second.fills).toEqual([]);
    expect(shipmentsOf(w.db, whole.orderId)).toEqual([]);

    // Once Leipzig holds every unit, the whole order goes in one shipment.
    const third = receive({ locationId: loc.LEJ, sku: "KTL-100", qty: 2, at: T0 + 4 * HOUR });
    const shipped = shipmentsOf(w.db, whole.orderId);
    expect(shipped.map((s) => [s.locationId, s.status, s.lines.map((l) => [l.orderLineId, l.qty])])).toEqual([
      [loc.LEJ, "pending", [[whole.lineIds[0], 3], [whole.lineIds[1], 1]]],
    ]);
    expect(third.fills.map((f) => [f.orderId, f.qty, f.remaining, f.shipmentId])).toEqual([
      [whole.orderId, 3, 0, shipped[0]!.id],
      [whole.orderId, 1, 0, shipped[0]!.id],
    ]);
    expect(backordersOf(w.db, whole.orderId).map((b) => [b.qty, b.status])).toEqual([[3, "allocated"], [1, "allocated"]]);
    expect(stockRow(w.db, loc.LEJ, p.KETTLE.id)).toMatchObject({ onHand: 4, reserved: 4 });
    expect(stockRow(w.db, loc.LEJ, p.BLENDER.id)).toMatchObject({ onHand: 1, reserved: 1 });
    expect(auditOf(w.db, whole.orderId).filter((a) => a.action === "backorder_allocated")).toHaveLength(2);
    expect(notificationsOf(w.db, whole.orderId).map((n) => n.kind)).toEqual(["backordered", "backorder_allocated", "backorder_allocated"]);
  });

  test("receiving at a dropship supplier is refused and writes nothing", () => {
    backorderedOrder(1, T0);
    const before = writeCounts(w.db);
    const error = refusal(() => receive({ locationId: w.loc.DS_NORD, sku: "KTL-100", qty: 5, at: T0 + HOUR }));
    expect(error.code).toBe("invalid_input");
    expect(error.message).toContain("dropship");
    expect(writeCounts(w.db)).toEqual(before);
    expect(stockRow(w.db, w.loc.DS_NORD, w.product.KETTLE.id)).toBeUndefined();
  });

  test("receiving an unknown SKU is refused and writes nothing", () => {
    backorderedOrder(1, T0);
    const before = writeCounts(w.db);
    const error = refusal(() => receive({ locationId: w.loc.RTM, sku: "NOPE-999", qty: 5, at: T0 + HOUR }));
    expect(error.code).toBe("not_found");
    expect(error.message).toContain("NOPE-999");
    expect(writeCounts(w.db)).toEqual(before);
  });
});

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected a DomainError, nothing was thrown");
}

describe("receiveStock: orders held at routing", () => {
  test("a restock of the missing SKU routes a held order again and resolves its alert", () => {
    const { loc, product: p } = w;
    const customer = insertCustomer(w.db, PLACES.berlin, "Held Customer");
    const order = payOrder(w.db, { customer, lines: [{ product: p.TOASTER, qty: 2 }], at: T0 });
    expect(routeBatch(w.db, { now: T0 }).routed.map((r) => r.outcome)).toEqual(["held"]);
    expect(statusOf(w.db, order.orderId)).toBe("paid");
    expect(alertsOf(w.db, order.orderId).map((a) => [a.rule, a.status])).toEqual([["routing_held", "open"]]);

    receive({ locationId: loc.LEJ, sku: p.TOASTER.sku, qty: 5, at: T0 + DAY });
    const again = routeBatch(w.db, { now: T0 + DAY });

    expect(again.routed.map((r) => [r.orderId, r.outcome])).toEqual([[order.orderId, "single"]]);
    expect(statusOf(w.db, order.orderId)).toBe("awaiting_fulfillment");
    expect(shipmentsOf(w.db, order.orderId).map((s) => [s.locationId, s.status])).toEqual([[loc.LEJ, "pending"]]);
    expect(stockRow(w.db, loc.LEJ, p.TOASTER.id)!.reserved).toBe(2);
    expect(alertsOf(w.db, order.orderId).map((a) => [a.rule, a.status])).toEqual([["routing_held", "resolved"]]);
  });

  test("receiving at an inactive location books the stock but fills nothing from it", () => {
    const { loc, product: p } = w;
    const order = backorderedOrder(2, T0);
    w.db.$client.prepare("UPDATE locations SET active = 0 WHERE id = ?").run(loc.LEJ);
    const result = receive({ locationId: loc.LEJ, sku: p.KETTLE.sku, qty: 5, at: T0 + DAY });
    expect(result.fills).toEqual([]);
    expect(stockRow(w.db, loc.LEJ, p.KETTLE.id)!.onHand).toBe(5);
    expect(backordersOf(w.db, order.orderId).map((b) => b.status)).toEqual(["pending"]);
  });
});
