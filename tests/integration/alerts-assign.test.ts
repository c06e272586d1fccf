import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { env } from "../../lib/env.ts";
import { runAs } from "../../lib/auth/session.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { evaluateAndStoreAlerts } from "../../lib/alerts/evaluate.ts";
import { scopeFilter, alertScopeFor } from "../../lib/alerts/scope.ts";
import { listAlertGroups } from "../../db/queries/alerts.ts";
import { acknowledgeAlertsAction, assignAlertsAction } from "../../app/(ops)/alerts/actions.ts";
import { setDefaultLocationAction } from "../../app/(ops)/shipments/actions.ts";
import { insertUser } from "../support/fixtures.ts";
import { shipmentsOf } from "../support/routing-world.ts";
import { createOrdersWorld, databaseSnapshot, expectOk, placeRoutedOrder, stock, type OrdersWorld } from "../support/orders-world.ts";

let w: OrdersWorld;
let second: SessionUser;
let rtmOrder: ReturnType<typeof placeRoutedOrder>;
let lejOrder: ReturnType<typeof placeRoutedOrder>;
beforeAll(() => {
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
  second = insertUser(w.db, "manager", "second.manager@switchyard.test");
  w.db.$client.prepare("UPDATE users SET name = 'Sam Nights' WHERE id = ?").run(second.id);
  stock(w, w.loc.RTM, w.product.KETTLE, 50);
  stock(w, w.loc.LEJ, w.product.TOASTER, 50);
  // Routed in January and never shipped: each is awaiting fulfilment too long and its shipment is past its SLA.
  rtmOrder = placeRoutedOrder(w, { lines: [{ product: w.product.KETTLE, qty: 1 }] });
  lejOrder = placeRoutedOrder(w, { lines: [{ product: w.product.TOASTER, qty: 1 }] });
  evaluateAndStoreAlerts(w.db);
});
afterAll(() => w.cleanup());

type AlertState = { id: number; rule: string; status: string; ownerId: number | null; acknowledgedBy: number | null; note: string | null };
const alertsOf = (orderId: number) =>
  w.db.$client.prepare("SELECT id, rule, status, owner_id AS ownerId, acknowledged_by AS acknowledgedBy, note FROM alerts WHERE order_id = ? AND status <> 'resolved' ORDER BY id").all(orderId) as AlertState[];
const idsOf = (orderId: number) => alertsOf(orderId).map((a) => a.id);
const shipmentAlert = (orderId: number) => alertsOf(orderId).find((a) => a.rule === "shipment_past_sla")!;
const auditCount = () => (w.db.$client.prepare("SELECT count(*) AS n FROM audit_events").get() as { n: number }).n;
const alertRows = () => w.db.$client.prepare("SELECT * FROM alerts ORDER BY id").all();
const alertAudit = (id: number) => w.db.$client.prepare("SELECT action, reason, actor_id AS actorId, data FROM audit_events WHERE entity_type = 'alert' AND entity_id = ? ORDER BY id").all(id) as { action: string; reason: string | null; actorId: number; data: string }[];

describe("one row per order", () => {
  test("an order's alerts are one group listing its rules, with the warehouse of its open shipments", () => {
    const { groups } = listAlertGroups({ scope: scopeFilter(alertScopeFor({ role: "manager" }, null)) });
    const rtm = groups.find((g) => g.key === rtmOrder.orderId)!;
    expect(rtm.orderNumber).toBe(rtmOrder.number);
    expect(rtm.alerts.map((a) => a.rule).sort()).toEqual(["awaiting_fulfillment_stale", "shipment_past_sla"]);
    expect(rtm.locations).toEqual(["RTM"]);
    expect(groups.find((g) => g.key === lejOrder.orderId)!.locations).toEqual(["LEJ"]);
    expect(new Set(groups.map((g) => g.key)).size).toBe(groups.length);
  });

  test("keyset pages of one group each walk every group once", () => {
    const scope = scopeFilter(alertScopeFor({ role: "manager" }, null));
    const all = listAlertGroups({ scope }).groups.map((g) => g.key);
    const seen: number[] = [];
    let after: { since: number; key: number } | null = null;
    for (let i = 0; i < 10; i += 1) {
      const page = listAlertGroups({ scope, after, limit: 1 });
      seen.push(...page.groups.map((g) => g.key));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual(all);
  });
});

describe("owning an alert without acknowledging it", () => {
  test("a manager assigns an order's alerts to a colleague: owned, still open, not acknowledged; audited with the note", async () => {
    const ids = idsOf(rtmOrder.orderId);
    const r = expectOk(await runAs(w.users.manager, () => assignAlertsAction({ alertIds: ids, ownerId: second.id, note: "Sam is on nights" })));
    expect(r).toEqual({ assigned: ids.length });
    for (const a of alertsOf(rtmOrder.orderId)) expect(a).toMatchObject({ status: "open", ownerId: second.id, acknowledgedBy: null, note: null });
    for (const id of ids) {
      const last = alertAudit(id).at(-1)!;
      expect(last).toMatchObject({ action: "alert_assigned", reason: "Sam is on nights", actorId: w.users.manager.id });
      expect(JSON.parse(last.data)).toMatchObject({ from: null, to: second.id });
    }
    const group = listAlertGroups({ scope: scopeFilter(alertScopeFor({ role: "manager" }, null)), owner: second.id }).groups;
    expect(group.map((g) => g.key)).toEqual([rtmOrder.orderId]);
    expect(group[0]!.alerts.every((a) => a.owner === "Sam Nights")).toBe(true);
    // The open count still counts them: owning is not acknowledging.
    expect(evaluateAndStoreAlerts(w.db).open).toBeGreaterThanOrEqual(ids.length);
  });

  test("one cannot assign to someone who cannot see alerts, nor to a disabled user; nothing is written", async () => {
    const ids = idsOf(lejOrder.orderId);
    const gone = insertUser(w.db, "manager", "gone.manager@switchyard.test");
    w.db.$client.prepare("UPDATE users SET disabled = 1 WHERE id = ?").run(gone.id);
    const before = { db: databaseSnapshot(w.db), alerts: alertRows() };
    const auditBefore = auditCount();
    expect(await runAs(w.users.manager, () => assignAlertsAction({ alertIds: ids, ownerId: w.users.finance.id }))).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await runAs(w.users.manager, () => assignAlertsAction({ alertIds: ids, ownerId: gone.id }))).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await runAs(w.users.agent, () => assignAlertsAction({ alertIds: ids, ownerId: w.users.agent.id }))).toMatchObject({ ok: false, code: "forbidden" });
    expect({ db: databaseSnapshot(w.db), alerts: alertRows() }).toEqual(before);
    expect(auditCount()).toBe(auditBefore);
    for (const a of alertsOf(lejOrder.orderId)) expect(a.ownerId).toBeNull();
  });

  test("a new alert on an order someone owns is theirs too", async () => {
    const rtm = shipmentsOf(w.db, rtmOrder.orderId)[0]!;
    expect(alertsOf(rtmOrder.orderId).every((a) => a.ownerId === second.id)).toBe(true);
    // A failing webhook for the order raises a third rule on it.
    w.db.$client.prepare("INSERT INTO webhook_events (source, event_id, type, payload, received_at, outcome, error, order_id) VALUES ('warehouse', 'evt-own-1', 'shipment.picked', '{}', ?, 'rejected', 'bad', ?)").run(Date.now(), rtmOrder.orderId);
    evaluateAndStoreAlerts(w.db);
    const webhook = alertsOf(rtmOrder.orderId).find((a) => a.rule === "webhook_failed");
    expect(webhook).toMatchObject({ status: "open", ownerId: second.id });
    expect(rtm.status).toBe("pending");
  });
});

describe("bulk acknowledge with one note", () => {
  test("every chosen alert is acknowledged with the same note and owned by the acknowledger", async () => {
    const ids = [...idsOf(rtmOrder.orderId), ...idsOf(lejOrder.orderId)];
    const r = expectOk(await runAs(w.users.manager, () => acknowledgeAlertsAction({ alertIds: ids, note: "Both warehouses short-staffed today", snoozeHours: 4 })));
    expect(r).toEqual({ acknowledged: ids.length });
    for (const a of [...alertsOf(rtmOrder.orderId), ...alertsOf(lejOrder.orderId)]) {
      expect(a).toMatchObject({ status: "acknowledged", acknowledgedBy: w.users.manager.id, ownerId: w.users.manager.id, note: "Both warehouses short-staffed today" });
    }
  });

  test("all or none: an alert another manager holds refuses the lot, saying who", async () => {
    const ids = idsOf(rtmOrder.orderId);
    const before = { db: databaseSnapshot(w.db), alerts: alertRows(), audit: auditCount() };
    const r = await runAs(second, () => acknowledgeAlertsAction({ alertIds: ids, note: "Taking these", snoozeHours: 1 }));
    expect(r).toMatchObject({ ok: false, code: "conflict" });
    expect((r as { message: string }).message).toContain("already acknowledged");
    expect({ db: databaseSnapshot(w.db), alerts: alertRows(), audit: auditCount() }).toEqual(before);
    // Assigning does not need the holder's snooze to end: the manager hands it over explicitly.
    expectOk(await runAs(w.users.manager, () => assignAlertsAction({ alertIds: ids, ownerId: second.id })));
    expect(alertsOf(rtmOrder.orderId).every((a) => a.ownerId === second.id && a.status === "acknowledged")).toBe(true);
  });
});

describe("a warehouse lead and their location's shipment alerts", () => {
  test("a lead sees only shipment alerts, of their saved location, and may own them; other alerts are refused", async () => {
    const { lead } = w.users;
    expectOk(await runAs(lead, () => setDefaultLocationAction({ locationId: w.loc.LEJ })));
    const { groups } = listAlertGroups({ scope: scopeFilter(alertScopeFor(lead, w.loc.LEJ)) });
    expect(groups.map((g) => g.key)).toEqual([lejOrder.orderId]);
    expect(groups[0]!.alerts.map((a) => a.rule)).toEqual(["shipment_past_sla"]);
    expect(listAlertGroups({ scope: scopeFilter(alertScopeFor(lead, null)) }).groups.map((g) => g.key).sort()).toEqual([rtmOrder.orderId, lejOrder.orderId].sort());

    const mine = shipmentAlert(lejOrder.orderId);
    expectOk(await runAs(lead, () => assignAlertsAction({ alertIds: [mine.id], ownerId: lead.id })));
    expect(shipmentAlert(lejOrder.orderId).ownerId).toBe(lead.id);
    const before = { db: databaseSnapshot(w.db), alerts: alertRows(), audit: auditCount() };
    const other = shipmentAlert(rtmOrder.orderId);
    expect(await runAs(lead, () => assignAlertsAction({ alertIds: [other.id], ownerId: lead.id }))).toMatchObject({ ok: false, code: "forbidden" });
    const orderAlert = alertsOf(lejOrder.orderId).find((a) => a.rule === "awaiting_fulfillment_stale")!;
    expect(await runAs(lead, () => assignAlertsAction({ alertIds: [orderAlert.id], ownerId: lead.id }))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await runAs(lead, () => acknowledgeAlertsAction({ alertIds: [mine.id], note: "On it", snoozeHours: 1 }))).toMatchObject({ ok: false, code: "forbidden" });
    expect({ db: databaseSnapshot(w.db), alerts: alertRows(), audit: auditCount() }).toEqual(before);
  });
});
