import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { DomainError } from "../../lib/errors.ts";
import { SYSTEM } from "../../lib/audit.ts";
import { enqueueJob } from "../../lib/jobs.ts";
import { reserveStock } from "../../lib/inventory/reserve.ts";
import { transition } from "../../lib/orders/state-machine.ts";
import { routeBatch } from "../../lib/worker/route-jobs.ts";
import {
  DAY,
  HOUR,
  MINUTE,
  PLACES,
  T0,
  PAYMENT_PROVIDER,
  addCatalog,
  alertsOf,
  allStock,
  auditOf,
  backordersOf,
  createWorld,
  decisionsOf,
  insertCustomer,
  insertPendingPayment,
  jobsOf,
  notificationsOf,
  outboxOf,
  payOrder,
  setStock,
  shipmentsOf,
  statusOf,
  stockRow,
  writeCounts,
  type World,
} from "../support/routing-world.ts";

let w: World;
beforeEach(() => {
  w = createWorld();
});
afterEach(() => w.cleanup());

const NOW = T0 + 5 * MINUTE;

/** Reserved units per "location:product" for every inventory row that has any. */
function reservations() {
  return Object.fromEntries(allStock(w.db).filter((r) => r.reserved > 0).map((r) => [`${r.locationId}:${r.productId}`, r.reserved]));
}

function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected a DomainError, nothing was thrown");
}

describe("payment queues routing", () => {
  test("paying an order queues exactly one route_order job, in the payment's transaction", () => {
    const customer = insertCustomer(w.db, PLACES.amsterdam);
    const { orderId } = payOrder(w.db, { customer, lines: [{ product: w.product.KETTLE, qty: 1 }], at: T0 });

    expect(statusOf(w.db, orderId)).toBe("paid");
    const queued = jobsOf(w.db, orderId);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ kind: "route_order", key: `route:${orderId}`, payload: { orderId }, runAt: T0, attempts: 0, doneAt: null, lastError: null });

    // The same key while the job is open is not queued twice.
    w.db.transaction((tx) => enqueueJob(tx, { kind: "route_order", key: `route:${orderId}`, payload: { orderId }, at: T0 + 1 }));
    expect(jobsOf(w.db, orderId)).toHaveLength(1);
  });

  test("a payment transition that rolls back leaves no job, no audit row and the order unpaid", () => {
    const customer = insertCustomer(w.db, PLACES.amsterdam);
    const { orderId } = insertPendingPayment(w.db, { customer, lines: [{ product: w.product.KETTLE, qty: 1 }] });
    const before = writeCounts(w.db);

    expect(() =>
      w.db.transaction((tx) => {
        transition(tx, { orderId, from: "payment_processing", to: "paid", actor: PAYMENT_PROVIDER, at: T0 });
        throw new Error("the payment callback failed after the transition");
      }),
    ).toThrow("the payment callback failed");

    expect(statusOf(w.db, orderId)).toBe("payment_processing");
    expect(jobsOf(w.db, orderId)).toEqual([]);
    expect(writeCounts(w.db)).toEqual(before);
  });
});

describe("routeBatch", () => {
  test("routes a paid order: shipments as planned, stock reserved, decision with reasons, status, audit, outbox, job done", () => {
    const { loc, product: p } = w;
    setStock(w.db, loc.RTM, p.KETTLE.id, 5);
    setStock(w.db, loc.LEJ, p.TOASTER.id, 3, 1);
    setStock(w.db, loc.LYS, p.KETTLE.id, 10);
    addCatalog(w.db, loc.DS_NORD, p.GRINDER.id, { leadDays: 3 });
    addCatalog(w.db, loc.DS_SUD, p.GRINDER.id, { leadDays: 5 });
    const customer = insertCustomer(w.db, PLACES.amsterdam);
    const { orderId, lineIds } = payOrder(w.db, {
      customer,
      lines: [
        { product: p.KETTLE, qty: 2 },
        { product: p.TOASTER, qty: 1 },
        { product: p.GRINDER, qty: 1 },
      ],
    });
    const [kettleLine, toasterLine, grinderLine] = lineIds as [number, number, number];

    const result = routeBatch(w.db, { now: NOW });

    expect(result.failed).toEqual([]);
    expect(result.routed).toEqual([
      { orderId, outcome: "dropship", attempts: 1, reserved: [{ locationId: loc.RTM, productId: p.KETTLE.id, qty: 2 }, { locationId: loc.LEJ, productId: p.TOASTER.id, qty: 1 }] },
    ]);

    // One decision, with the plan the shipments were written from.
    const decisions = decisionsOf(w.db, orderId);
    expect(decisions).toHaveLength(1);
    const decision = decisions[0]!;
    expect(decision).toMatchObject({ outcome: "dropship", split: true, dropship: true, backordered: false, held: false, shipmentCount: 3, createdAt: NOW });
    const plan = decision.plan;
    expect(plan.orderId).toBe(orderId);
    expect(plan.backorders).toEqual([]);
    expect(plan.hold).toBeNull();
    expect(plan.candidates.map((c) => c.code).sort()).toEqual(["DS-NORD", "DS-SUD", "LEJ", "LYS", "MAN-3PL", "RTM"]);
    expect(plan.candidates.filter((c) => c.verdict === "chosen").map((c) => c.code).sort()).toEqual(["DS-NORD", "LEJ", "RTM"]);
    for (const c of plan.candidates) expect(c.reasons.length, `${c.code} has a reason`).toBeGreaterThan(0);
    expect(plan.candidates.find((c) => c.code === "DS-NORD")!.reasons).toContain("dropships 1 × GRD-500 that no stock covers");
    expect(plan.explanation.join(" ")).toContain("3 shipments");

    // Shipments and their lines are exactly the plan.
    const written = shipmentsOf(w.db, orderId);
    expect(written.map((s) => ({ locationId: s.locationId, dropship: s.dropship, shipBy: s.shipBy, status: s.status, lines: s.lines.map((l) => ({ orderLineId: l.orderLineId, qty: l.qty })) }))).toEqual(
      plan.shipments.map((s) => ({ locationId: s.locationId, dropship: s.dropship, shipBy: s.shipBy, status: "pending", lines: s.lines.map((l) => ({ orderLineId: l.orderLineId, qty: l.qty })) })),
    );
    expect(written.map((s) => [s.locationId, s.dropship, s.shipBy, s.lines.map((l) => [l.orderLineId, l.qty])])).toEqual([
      [loc.RTM, false, NOW + 24 * HOUR, [[kettleLine, 2]]],
      [loc.LEJ, false, NOW + 24 * HOUR, [[toasterLine, 1]]],
      [loc.DS_NORD, true, NOW + 3 * DAY, [[grinderLine, 1]]],
    ]);

    // Reserved grew by exactly the planned stock quantities; the dropship line reserves nothing.
    expect(reservations()).toEqual({ [`${loc.RTM}:${p.KETTLE.id}`]: 2, [`${loc.LEJ}:${p.TOASTER.id}`]: 1 });
    expect(stockRow(w.db, loc.RTM, p.KETTLE.id)).toMatchObject({ onHand: 5, reserved: 2, updatedAt: NOW });
    expect(stockRow(w.db, loc.LYS, p.KETTLE.id)).toMatchObject({ onHand: 10, reserved: 0 });

    // Status, audit and outbox.
    expect(statusOf(w.db, orderId)).toBe("awaiting_fulfillment");
    const audit = auditOf(w.db, orderId).filter((a) => a.createdAt === NOW);
    const shipmentIds = written.map((s) => s.id);
    expect(audit.map((a) => [a.action, a.fromStatus, a.toStatus])).toEqual([
      ["routed", null, null],
      ["status_changed", "paid", "awaiting_fulfillment"],
    ]);
    expect(audit[0]).toMatchObject({ actorId: null, actorLabel: "system", data: { decisionId: decision.id, outcome: "dropship", shipmentIds } });
    expect(audit[1]).toMatchObject({ reason: "Routed: dropship", data: { decisionId: decision.id } });
    const routed = outboxOf(w.db, orderId).filter((m) => m.topic === "order.routed");
    expect(routed).toHaveLength(1);
    expect(routed[0]!.payload).toEqual({ orderId, decisionId: decision.id, outcome: "dropship", shipmentIds });

    // The job is done.
    expect(jobsOf(w.db, orderId)).toEqual([expect.objectContaining({ doneAt: NOW, attempts: 1, lastError: null })]);
    expect(alertsOf(w.db, orderId)).toEqual([]);
    expect(backordersOf(w.db, orderId)).toEqual([]);
  });

  test("an order no stock or supplier covers and that may not be backordered is held: still paid, alert raised, nothing reserved", () => {
    const { loc, product: p } = w;
    setStock(w.db, loc.RTM, p.KETTLE.id, 5);
    const customer = insertCustomer(w.db, PLACES.paris);
    const { orderId } = payOrder(w.db, {
      customer,
      lines: [
        { product: p.KETTLE, qty: 1 },
        { product: p.MUG, qty: 2 },
      ],
    });

    const result = routeBatch(w.db, { now: NOW });

    expect(result.routed.map((r) => [r.orderId, r.outcome])).toEqual([[orderId, "held"]]);
    expect(statusOf(w.db, orderId)).toBe("paid");
    expect(shipmentsOf(w.db, orderId)).toEqual([]);
    expect(backordersOf(w.db, orderId)).toEqual([]);
    expect(reservations()).toEqual({});
    expect(stockRow(w.db, loc.RTM, p.KETTLE.id)).toMatchObject({ onHand: 5, reserved: 0, updatedAt: T0 });

    const alerts = alertsOf(w.db, orderId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: "routing_held", subject: `order:${orderId}`, status: "open", raisedAt: NOW, since: NOW });
    expect((alerts[0]!.data as { reason: string }).reason).toContain("2 × MUG-400");

    const [decision] = decisionsOf(w.db, orderId);
    expect(decision).toMatchObject({ outcome: "held", held: true, shipmentCount: 0 });
    expect(decision!.plan.hold!.lines).toEqual([expect.objectContaining({ sku: "MUG-400", qty: 2 })]);
    const audit = auditOf(w.db, orderId).filter((a) => a.createdAt === NOW);
    expect(audit.map((a) => a.action)).toEqual(["routing_held"]);
    expect(notificationsOf(w.db, orderId)).toEqual([]);
    expect(jobsOf(w.db, orderId)[0]).toMatchObject({ doneAt: NOW, lastError: null });
  });

  test("a line stock covers only in part ships what there is and backorders the rest, and the customer is told", () => {
    const { loc, product: p } = w;
    setStock(w.db, loc.RTM, p.BLENDER.id, 1);
    const customer = insertCustomer(w.db, PLACES.amsterdam);
    const { orderId, number, lineIds } = payOrder(w.db, { customer, lines: [{ product: p.BLENDER, qty: 3 }] });

    routeBatch(w.db, { now: NOW });

    expect(statusOf(w.db, orderId)).toBe("awaiting_fulfillment");
    const written = shipmentsOf(w.db, orderId);
    expect(written.map((s) => [s.locationId, s.lines.map((l) => l.qty)])).toEqual([[loc.RTM, [1]]]);
    expect(reservations()).toEqual({ [`${loc.RTM}:${p.BLENDER.id}`]: 1 });
    expect(backordersOf(w.db, orderId)).toEqual([
      expect.objectContaining({ orderLineId: lineIds[0], productId: p.BLENDER.id, qty: 2, status: "pending", customerChoice: "not_asked", createdAt: NOW }),
    ]);
    const notes = notificationsOf(w.db, orderId);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: "backordered", customerId: customer.customerId, createdAt: NOW });
    expect(notes[0]!.subject).toContain(number);
    expect(notes[0]!.body).toContain("2 × Countertop blender is not available right now"); // the customer reads the product's name, not its SKU
    const [decision] = decisionsOf(w.db, orderId);
    expect(decision).toMatchObject({ outcome: "backordered", backordered: true, shipmentCount: 1 });
    expect(decision!.plan.backorders).toEqual([{ orderLineId: lineIds[0], productId: p.BLENDER.id, sku: "BLN-300", qty: 2 }]);
  });

  test("a batch where one order fails commits the others and leaves the failing order untouched, its job retried later", () => {
    const { loc, product: p } = w;
    setStock(w.db, loc.RTM, p.KETTLE.id, 10);
    const customer = insertCustomer(w.db, PLACES.amsterdam);
    const a = payOrder(w.db, { customer, lines: [{ product: p.KETTLE, qty: 2 }] });
    const b = payOrder(w.db, { customer, lines: [{ product: p.KETTLE, qty: 2 }] });
    const c = payOrder(w.db, { customer, lines: [{ product: p.KETTLE, qty: 2 }] });
    w.db.$client.exec(`CREATE TEMP TRIGGER fail_b BEFORE INSERT ON shipments WHEN NEW.order_id = ${b.orderId} BEGIN SELECT RAISE(ABORT, 'boom'); END`);

    const result = routeBatch(w.db, { now: NOW });

    expect(result.routed.map((r) => r.orderId)).toEqual([a.orderId, c.orderId]);
    expect(result.failed).toEqual([{ orderId: b.orderId, error: "boom" }]);
    for (const ok of [a, c]) {
      expect(statusOf(w.db, ok.orderId)).toBe("awaiting_fulfillment");
      expect(shipmentsOf(w.db, ok.orderId)).toHaveLength(1);
      expect(decisionsOf(w.db, ok.orderId)).toHaveLength(1);
      expect(jobsOf(w.db, ok.orderId)[0]).toMatchObject({ doneAt: NOW, attempts: 1 });
    }
    // The failing order: as if routing never ran, except its job.
    expect(statusOf(w.db, b.orderId)).toBe("paid");
    expect(shipmentsOf(w.db, b.orderId)).toEqual([]);
    expect(decisionsOf(w.db, b.orderId)).toEqual([]);
    expect(backordersOf(w.db, b.orderId)).toEqual([]);
    expect(auditOf(w.db, b.orderId).map((x) => x.action)).toEqual(["status_changed"]);
    expect(outboxOf(w.db, b.orderId).map((m) => m.topic)).toEqual(["order.status_changed"]);
    expect(stockRow(w.db, loc.RTM, p.KETTLE.id)).toMatchObject({ onHand: 10, reserved: 4 });
    expect(jobsOf(w.db, b.orderId)).toEqual([expect.objectContaining({ doneAt: null, attempts: 1, lastError: "boom", runAt: NOW + 1000, lockedBy: null })]);

    // Not ready before its backoff; routed once the cause is gone.
    expect(routeBatch(w.db, { now: NOW + 999 })).toEqual({ routed: [], failed: [] });
    w.db.$client.exec("DROP TRIGGER fail_b");
    const retry = routeBatch(w.db, { now: NOW + 1000 });
    expect(retry.routed.map((r) => [r.orderId, r.outcome])).toEqual([[b.orderId, "single"]]);
    expect(statusOf(w.db, b.orderId)).toBe("awaiting_fulfillment");
    expect(stockRow(w.db, loc.RTM, p.KETTLE.id)).toMatchObject({ onHand: 10, reserved: 6 });
    expect(jobsOf(w.db, b.orderId)[0]).toMatchObject({ doneAt: NOW + 1000, attempts: 2, lastError: null });
  });

  test("an order cancelled before routing has its job completed without routing", () => {
    const { loc, product: p } = w;
    setStock(w.db, loc.RTM, p.KETTLE.id, 5);
    const customer = insertCustomer(w.db, PLACES.amsterdam);
    const { orderId } = payOrder(w.db, { customer, lines: [{ product: p.KETTLE, qty: 1 }] });
    w.db.transaction((tx) => transition(tx, { orderId, from: "paid", to: "cancelled", actor: SYSTEM, reason: "customer changed their mind", at: T0 + MINUTE }));
    const before = writeCounts(w.db);

    const result = routeBatch(w.db, { now: NOW });

    expect(result.routed).toEqual([{ orderId, outcome: "skipped", attempts: 1, reason: "order is cancelled", reserved: [] }]);
    expect(statusOf(w.db, orderId)).toBe("cancelled");
    expect(jobsOf(w.db, orderId)).toEqual([expect.objectContaining({ doneAt: NOW, lastError: null })]);
    expect(writeCounts(w.db)).toEqual(before);
    expect(shipmentsOf(w.db, orderId)).toEqual([]);
    expect(decisionsOf(w.db, orderId)).toEqual([]);
    expect(stockRow(w.db, loc.RTM, p.KETTLE.id)).toMatchObject({ reserved: 0 });
  });
});

describe("reserveStock", () => {
  test("refuses to take more than is available (on hand − reserved − safety stock) and writes nothing", () => {
    const { loc, product: p } = w;
    setStock(w.db, loc.RTM, p.KETTLE.id, 5, 2);
    const before = { row: stockRow(w.db, loc.RTM, p.KETTLE.id), counts: writeCounts(w.db) };

    const error = domainErrorOf(() => w.db.transaction((tx) => reserveStock(tx, { locationId: loc.RTM, productId: p.KETTLE.id, qty: 4, at: NOW })));
    expect(error.code).toBe("insufficient_stock");
    expect(stockRow(w.db, loc.RTM, p.KETTLE.id)).toEqual(before.row);
    expect(writeCounts(w.db)).toEqual(before.counts);

    w.db.transaction((tx) => reserveStock(tx, { locationId: loc.RTM, productId: p.KETTLE.id, qty: 3, at: NOW }));
    expect(stockRow(w.db, loc.RTM, p.KETTLE.id)).toMatchObject({ onHand: 5, reserved: 3, safetyStock: 2, updatedAt: NOW });
    expect(domainErrorOf(() => w.db.transaction((tx) => reserveStock(tx, { locationId: loc.RTM, productId: p.KETTLE.id, qty: 1, at: NOW + 1 }))).code).toBe("insufficient_stock");
    expect(stockRow(w.db, loc.RTM, p.KETTLE.id)).toMatchObject({ reserved: 3, updatedAt: NOW });
    // No row at all is no stock, not an error of another kind.
    expect(domainErrorOf(() => w.db.transaction((tx) => reserveStock(tx, { locationId: loc.LEJ, productId: p.KETTLE.id, qty: 1, at: NOW }))).code).toBe("insufficient_stock");
    expect(stockRow(w.db, loc.LEJ, p.KETTLE.id)).toBeUndefined();
  });
});
