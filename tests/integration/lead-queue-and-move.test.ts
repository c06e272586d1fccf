import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { env } from "../../lib/env.ts";
import { runAs } from "../../lib/auth/session.ts";
import { evaluateAndStoreAlerts, acknowledgeAlert } from "../../lib/alerts/evaluate.ts";
import { dueWindow, queueStatuses, readQueueFilters } from "../../lib/shipments/queue.ts";
import { listOpenShipments, openShipmentsSql, defaultLocationOf } from "../../db/queries/shipments.ts";
import { getOrderDetail } from "../../db/queries/orders.ts";
import { listAlertGroups } from "../../db/queries/alerts.ts";
import { moveUnitsAction as moveUnitsActionAtVersion, addNoteAction } from "../../app/(ops)/orders/[id]/actions.ts";
import { setDefaultLocationAction } from "../../app/(ops)/shipments/actions.ts";
import { current } from "../support/current.ts";
import { DAY, HOUR, auditOf, shipmentsOf } from "../support/routing-world.ts";
import { createOrdersWorld, databaseSnapshot, expectOk, placeRoutedOrder, stock, type OrdersWorld } from "../support/orders-world.ts";

const moveUnitsAction = current(moveUnitsActionAtVersion);

let w: OrdersWorld;
beforeAll(() => {
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
  stock(w, w.loc.RTM, w.product.KETTLE, 500);
  stock(w, w.loc.LEJ, w.product.TOASTER, 500);
  stock(w, w.loc.LEJ, w.product.KETTLE, 500);
});
afterAll(() => w.cleanup());

const sql = (text: string, ...params: unknown[]) => w.db.$client.prepare(text).run(...params);
const row = <T>(text: string, ...params: unknown[]) => w.db.$client.prepare(text).get(...params) as T;

/** A routed order with one pending shipment (kettles ship from Rotterdam, toasters from Leipzig), its ship-by set to `shipBy`. */
function openShipment(product: "KETTLE" | "TOASTER", shipBy: number, status: "pending" | "picking" | "packed" = "pending") {
  const o = placeRoutedOrder(w, { lines: [{ product: w.product[product], qty: 2 }] });
  const [s] = shipmentsOf(w.db, o.orderId);
  sql("UPDATE shipments SET ship_by = ?, status = ? WHERE id = ?", shipBy, status, s!.id);
  return { ...o, shipmentId: s!.id, locationId: s!.locationId };
}

describe("the warehouse queue", () => {
  // Wednesday 2026-11-25 10:00 UTC.
  const now = Date.UTC(2026, 10, 25, 10);
  const today = Date.UTC(2026, 10, 25);
  let made: Record<string, ReturnType<typeof openShipment>>;
  beforeAll(() => {
    made = {
      lateRtm: openShipment("KETTLE", now - 5 * HOUR),
      todayRtm: openShipment("KETTLE", today + 18 * HOUR, "picking"),
      todayLej: openShipment("TOASTER", today + 20 * HOUR, "packed"),
      tomorrowRtm: openShipment("KETTLE", today + DAY + 9 * HOUR),
      sundayLej: openShipment("TOASTER", today + 4 * DAY + 12 * HOUR),
      nextWeekRtm: openShipment("KETTLE", today + 8 * DAY),
    };
    // Left already: never in the queue.
    const gone = openShipment("KETTLE", today + 3 * HOUR);
    sql("UPDATE shipments SET status = 'shipped' WHERE id = ?", gone.shipmentId);
  });

  const ids = (f: Parameters<typeof readQueueFilters>[0], saved: number | null = null) => {
    const filters = readQueueFilters(f, saved);
    return listOpenShipments({ statuses: queueStatuses(filters), locationId: filters.locationId, window: dueWindow(filters.due, now), overdueAt: filters.due === "overdue" ? now : null, after: null }).rows.map((r) => r.id);
  };

  test("every open shipment, earliest ship-by first; shipped ones are not work", () => {
    const m = made;
    expect(ids({ location: "all" })).toEqual([m.lateRtm, m.todayRtm, m.todayLej, m.tomorrowRtm, m.sundayLej, m.nextWeekRtm].map((s) => s!.shipmentId));
  });

  test("filters: location, status, and ship-by overdue / today / tomorrow / this week, combined", () => {
    const m = made;
    const rtm = String(w.loc.RTM);
    const lej = String(w.loc.LEJ);
    expect(ids({ location: rtm })).toEqual([m.lateRtm, m.todayRtm, m.tomorrowRtm, m.nextWeekRtm].map((s) => s!.shipmentId));
    expect(ids({ location: "all", due: "overdue" })).toEqual([m.lateRtm!.shipmentId]);
    expect(ids({ location: "all", due: "today" })).toEqual([m.lateRtm, m.todayRtm, m.todayLej].map((s) => s!.shipmentId));
    expect(ids({ location: lej, due: "today" })).toEqual([m.todayLej!.shipmentId]);
    expect(ids({ location: "all", due: "tomorrow" })).toEqual([m.tomorrowRtm!.shipmentId]);
    expect(ids({ location: lej, due: "week" })).toEqual([m.todayLej, m.sundayLej].map((s) => s!.shipmentId));
    expect(ids({ location: "all", status: "packed" })).toEqual([m.todayLej!.shipmentId]);
    expect(ids({ location: rtm, status: "picking", due: "today" })).toEqual([m.todayRtm!.shipmentId]);
  });

  test("rows carry order, location, status, ship-by and items", () => {
    const filters = readQueueFilters({ location: "all", due: "overdue" }, null);
    const [r] = listOpenShipments({ statuses: queueStatuses(filters), locationId: null, window: null, overdueAt: now, after: null }).rows;
    expect(r).toMatchObject({ id: made.lateRtm!.shipmentId, orderNumber: made.lateRtm!.number, locationCode: "RTM", status: "pending", shipBy: now - 5 * HOUR, promisedShipBy: null, items: 2 });
  });

  test("keyset pages walk the whole queue once, in order", () => {
    const all = ids({ location: "all" });
    const seen: number[] = [];
    let after: { shipBy: number; id: number } | null = null;
    for (let page = 0; page < 10; page += 1) {
      const r = listOpenShipments({ statuses: queueStatuses(readQueueFilters({}, null)), locationId: null, window: null, overdueAt: null, after, limit: 2 });
      seen.push(...r.rows.map((x) => x.id));
      if (!r.next) break;
      after = r.next;
    }
    expect(seen).toEqual(all);
  });

  test("a lead's saved location applies when no filter is given; saving is audited; location=all overrides it", async () => {
    const { lead } = w.users;
    expect(defaultLocationOf({ userId: lead.id })).toBeNull();
    const refused = await runAs(lead, () => setDefaultLocationAction({ locationId: w.loc.DS_NORD }));
    expect(refused).toMatchObject({ ok: false, code: "invalid_input" });
    expectOk(await runAs(lead, () => setDefaultLocationAction({ locationId: w.loc.LEJ })));
    const saved = defaultLocationOf({ userId: lead.id });
    expect(saved).toBe(w.loc.LEJ);
    expect(row<{ action: string; data: string }>("SELECT action, data FROM audit_events WHERE entity_type = 'user' AND entity_id = ? ORDER BY id DESC LIMIT 1", lead.id)).toEqual({
      action: "default_location_set",
      data: JSON.stringify({ from: null, to: w.loc.LEJ }),
    });
    expect(ids({}, saved)).toEqual([made.todayLej, made.sundayLej].map((s) => s!.shipmentId));
    expect(ids({ location: "all" }, saved)).toHaveLength(6);
    expect(await runAs(w.users.finance, () => setDefaultLocationAction({ locationId: w.loc.LEJ }))).toMatchObject({ ok: false, code: "forbidden" });
  });

  test("every queue variant reads index ranges: no full scan of shipments", () => {
    const variants = [
      { locationId: null, window: null, overdueAt: null },
      { locationId: w.loc.RTM, window: null, overdueAt: null },
      { locationId: w.loc.RTM, window: dueWindow("today", now), overdueAt: null },
      { locationId: null, window: null, overdueAt: now },
      { locationId: w.loc.LEJ, window: dueWindow("week", now), overdueAt: now },
    ];
    for (const v of variants) {
      for (const after of [null, { shipBy: now, id: 5 }]) {
        const q = openShipmentsSql({ statuses: ["pending", "picking", "packed"], ...v, after });
        const plan = (w.db.$client.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params) as { detail: string }[]).map((p) => p.detail);
        if (process.env.SHOW_PLAN) console.log(plan.join("\n"));
        const scans = plan.filter((d) => /^SCAN (shipments|s|orders|o|alerts|a)\b/.test(d));
        expect(scans, `${JSON.stringify(v)}\n${plan.join("\n")}`).toEqual([]);
        expect(plan.some((d) => /SEARCH shipments USING (COVERING )?INDEX shipments_(status|location_status|promised)_idx/.test(d)), plan.join("\n")).toBe(true);
      }
    }
  });
});

describe("moving a shipment", () => {
  test("a reason is required: without one the move is refused and nothing is written", async () => {
    const o = placeRoutedOrder(w, { lines: [{ product: w.product.KETTLE, qty: 2 }] });
    const [s] = shipmentsOf(w.db, o.orderId);
    const before = databaseSnapshot(w.db);
    for (const reason of [undefined, "", "  "]) {
      const r = await runAs(w.users.lead, () => moveUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[0]!, qty: 2, toLocationId: w.loc.LEJ, ...(reason === undefined ? {} : { reason }) } as never));
      expect(r).toMatchObject({ ok: false, code: "invalid_input" });
    }
    expect(databaseSnapshot(w.db)).toEqual(before);
  });

  test("the move keeps the original promise, audits the reason, and leaves the overdue alert open with its owner", async () => {
    const o = placeRoutedOrder(w, { lines: [{ product: w.product.KETTLE, qty: 2 }] });
    const [s] = shipmentsOf(w.db, o.orderId);
    const promised = s!.shipBy;
    // Routed in January: long past its ship-by now, so the evaluator raises shipment_past_sla.
    evaluateAndStoreAlerts(w.db);
    const alert = row<{ id: number; status: string }>("SELECT id, status FROM alerts WHERE rule = 'shipment_past_sla' AND subject = ?", `shipment:${s!.id}`);
    expect(alert.status).toBe("open");
    w.db.transaction((tx) => acknowledgeAlert(tx, { alertId: alert.id, note: "Chasing Rotterdam", snoozeHours: 24, actor: { id: w.users.manager.id, label: "Manager" }, at: Date.now() }), { behavior: "immediate" });

    const moved = expectOk(await runAs(w.users.lead, () => moveUnitsAction({ orderId: o.orderId, shipmentId: s!.id, orderLineId: o.lineIds[0]!, qty: 2, toLocationId: w.loc.LEJ, reason: "Rotterdam conveyor down" })));
    expect(moved.fromCancelled).toBe(true);
    const into = shipmentsOf(w.db, o.orderId).find((x) => x.id === moved.toShipmentId)!;
    expect(into.promisedShipBy).toBe(promised);
    expect(into.shipBy).toBeGreaterThan(promised);
    const detail = getOrderDetail({ id: o.orderId })!;
    expect(detail.shipments.find((x) => x.id === into.id)).toMatchObject({ promisedShipBy: promised, shipBy: into.shipBy });

    const audit = auditOf(w.db, o.orderId);
    expect(audit.find((a) => a.action === "shipment_moved")?.reason).toContain("Rotterdam conveyor down");
    expect(audit.find((a) => a.action === "alert_carried")?.reason).toContain("Rotterdam conveyor down");
    // The same alert row, on the new shipment, still acknowledged and owned: nothing closed it.
    const after = () => row<{ id: number; subject: string; status: string; ownerId: number; note: string }>("SELECT id, subject, status, owner_id AS ownerId, note FROM alerts WHERE id = ?", alert.id);
    expect(after()).toEqual({ id: alert.id, subject: `shipment:${into.id}`, status: "acknowledged", ownerId: w.users.manager.id, note: "Chasing Rotterdam" });
    // Leads see it at its new location, not its old one (alerts.location_id follows the subject by trigger).
    const leadSees = (locationId: number) => listAlertGroups({ scope: { rules: ["shipment_past_sla"], locationId } }).groups.some((g) => g.alerts.some((a) => a.id === alert.id));
    expect([leadSees(w.loc.LEJ), leadSees(w.loc.RTM)]).toEqual([true, false]);
    // The evaluator keeps it: the new shipment is still late against the promise.
    evaluateAndStoreAlerts(w.db);
    expect(after().status).toBe("acknowledged");
    expect(row<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE order_id = ? AND rule = 'shipment_past_sla' AND status <> 'resolved'", o.orderId).n).toBe(1);
    // Moved again: the first promise is the one kept.
    const back = expectOk(await runAs(w.users.lead, () => moveUnitsAction({ orderId: o.orderId, shipmentId: into.id, orderLineId: o.lineIds[0]!, qty: 2, toLocationId: w.loc.RTM, reason: "Conveyor fixed" })));
    expect(shipmentsOf(w.db, o.orderId).find((x) => x.id === back.toShipmentId)!.promisedShipBy).toBe(promised);
    expect(after()).toMatchObject({ subject: `shipment:${back.toShipmentId}`, status: "acknowledged" });
    expect([leadSees(w.loc.LEJ), leadSees(w.loc.RTM)]).toEqual([false, true]);
  });

  test("a lead adds a note to the timeline", async () => {
    const o = placeRoutedOrder(w, { lines: [{ product: w.product.KETTLE, qty: 1 }] });
    expectOk(await runAs(w.users.lead, () => addNoteAction({ orderId: o.orderId, body: "Box dented on arrival, repacked" })));
    expect(getOrderDetail({ id: o.orderId })!.timeline.find((e) => e.kind === "note")).toMatchObject({ detail: "Box dented on arrival, repacked" });
  });

  test("the timeline links routing to its decision and shows a shipped shipment's tracking", async () => {
    const o = placeRoutedOrder(w, { lines: [{ product: w.product.KETTLE, qty: 1 }] });
    const [s] = shipmentsOf(w.db, o.orderId);
    sql("UPDATE shipments SET status = 'packed' WHERE id = ?", s!.id);
    const { advanceShipmentAction } = await import("../../app/(ops)/orders/[id]/actions.ts");
    expectOk(await runAs(w.users.lead, () => current(advanceShipmentAction)({ orderId: o.orderId, shipmentId: s!.id, to: "shipped", carrier: "UPS", trackingNumber: "1Z999AA10123456784" })));
    const timeline = getOrderDetail({ id: o.orderId })!.timeline;
    const routed = timeline.find((e) => e.detail?.startsWith("Routed:"));
    const decision = row<{ id: number }>("SELECT id FROM routing_decisions WHERE order_id = ?", o.orderId);
    expect(routed?.decisionId).toBe(decision.id);
    expect(timeline.find((e) => e.toStatus === "shipped" && e.title.startsWith("Shipment"))?.tracking).toEqual({ carrier: "UPS", trackingNumber: "1Z999AA10123456784" });
  });
});
