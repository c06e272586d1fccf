import Database from "better-sqlite3";
import type * as AlertActions from "../../app/(ops)/alerts/actions.ts";
import type * as CountRoute from "../../app/api/alerts/count/route.ts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DB } from "../../db/client.ts";
import type { Role } from "../../db/schema/auth.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { runAs } from "../../lib/auth/session.ts";
import { evaluateAndStoreAlerts } from "../../lib/alerts/evaluate.ts";
import { runWorker } from "../../lib/worker/run.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";

let db: DB;
let users: Record<Role, SessionUser>;
let cleanup: () => void;
let actions: typeof AlertActions;
let countRoute: typeof CountRoute;

const HOUR = 3_600_000;
const q = <T>(sqlText: string, ...params: unknown[]) => db.$client.prepare(sqlText).all(...params) as T[];
const one = <T>(sqlText: string, ...params: unknown[]) => db.$client.prepare(sqlText).get(...params) as T;

beforeAll(async () => {
  ({ db, users, cleanup } = await seededAppDatabase({ orders: 200 }));
  actions = await import("../../app/(ops)/alerts/actions.ts");
  countRoute = await import("../../app/api/alerts/count/route.ts");
}, 120_000);
afterAll(() => cleanup?.());

/** The real clock: acknowledging stamps the snooze with it, and these tests only move forward from it. */
const NOW = () => Date.now();

describe("evaluateAndStoreAlerts", () => {
  test("raises one alert per stuck subject with the age from when it got stuck, and a second run raises nothing", () => {
    const now = NOW();
    const first = evaluateAndStoreAlerts(db, now);
    const stale = q<{ id: number; since: number }>("SELECT id, status_changed_at AS since FROM orders WHERE status = 'awaiting_fulfillment' AND status_changed_at < ?", now - 24 * HOUR);
    const late = q<{ id: number }>("SELECT id FROM shipments WHERE status = 'pending' AND ship_by < ?", now);
    expect(stale.length + late.length).toBeGreaterThan(0);
    const rows = q<{ rule: string; subject: string; since: number; status: string }>("SELECT rule, subject, since, status FROM alerts WHERE rule <> 'routing_held'");
    expect(rows.filter((r) => r.rule === "awaiting_fulfillment_stale").map((r) => r.subject).sort()).toEqual(stale.map((o) => `order:${o.id}`).sort());
    expect(rows.filter((r) => r.rule === "shipment_past_sla")).toHaveLength(late.length);
    for (const o of stale) expect(rows.find((r) => r.subject === `order:${o.id}` && r.rule === "awaiting_fulfillment_stale")?.since).toBe(o.since);
    expect(first.raised).toBe(rows.length);
    const again = evaluateAndStoreAlerts(db, now + 1000);
    expect(again).toMatchObject({ raised: 0, reraised: 0, resolved: 0 });
  });

  test("a manager acknowledges with a note: owner set, snoozed, audited; then it is re-raised after the snooze while still stuck", async () => {
    const alert = one<{ id: number; orderId: number }>("SELECT id, order_id AS orderId FROM alerts WHERE status = 'open' AND rule = 'awaiting_fulfillment_stale' ORDER BY id LIMIT 1");
    const res = await runAs(users.manager, () => actions.acknowledgeAlertAction({ alertId: alert.id, note: "Chasing the warehouse", snoozeHours: 1 }));
    expect(res.ok).toBe(true);
    const row = one<{ status: string; acknowledged_by: number; note: string; snoozed_until: number; acknowledged_at: number }>("SELECT * FROM alerts WHERE id = ?", alert.id);
    expect(row).toMatchObject({ status: "acknowledged", acknowledged_by: users.manager.id, note: "Chasing the warehouse" });
    expect(row.snoozed_until - row.acknowledged_at).toBe(HOUR);
    const audit = one<{ entity_type: string; action: string; reason: string; actor_id: number; order_id: number }>("SELECT * FROM audit_events WHERE entity_type = 'alert' AND entity_id = ? ORDER BY id DESC", alert.id);
    expect(audit).toMatchObject({ action: "alert_acknowledged", reason: "Chasing the warehouse", actor_id: users.manager.id, order_id: alert.orderId });

    expect(evaluateAndStoreAlerts(db, row.snoozed_until - 1).reraised).toBe(0);
    expect(evaluateAndStoreAlerts(db, row.snoozed_until).reraised).toBe(1);
    const after = one<{ status: string; acknowledged_by: number }>("SELECT status, acknowledged_by FROM alerts WHERE id = ?", alert.id);
    expect(after).toEqual({ status: "open", acknowledged_by: users.manager.id });
    expect(one<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE entity_type = 'alert' AND entity_id = ? AND action = 'alert_reraised'", alert.id).n).toBe(1);
  });

  test("a run reads without holding the write lock and writes only what still holds: a snooze renewed meanwhile stays, a raise made meanwhile is not made twice", async () => {
    const alert = one<{ id: number }>("SELECT id FROM alerts WHERE status = 'open' AND rule = 'awaiting_fulfillment_stale' ORDER BY id DESC LIMIT 1");
    const res = await runAs(users.manager, () => actions.acknowledgeAlertAction({ alertId: alert.id, note: "On it", snoozeHours: 1 }));
    expect(res.ok).toBe(true);
    const { snoozed_until: until } = one<{ snoozed_until: number }>("SELECT snoozed_until FROM alerts WHERE id = ?", alert.id);
    // A stuck order with no live alert yet: the run will raise one.
    const order = one<{ id: number }>("SELECT id FROM orders WHERE status = 'awaiting_fulfillment' AND status_changed_at < ? ORDER BY id LIMIT 1", until - 24 * HOUR);
    db.$client.prepare("UPDATE alerts SET status = 'resolved', resolved_at = ? WHERE subject = ? AND status <> 'resolved'").run(until, `order:${order.id}`);
    const other = new Database(db.$client.name);
    other.pragma("busy_timeout = 0"); // a writer that would fail at once, not wait, if the run held the lock
    try {
      const r = evaluateAndStoreAlerts(db, until, {
        afterRead: () => {
          // The run has read: the snooze is over and the order has no live alert. Meanwhile, in another process,
          // the manager acknowledges again (a new snooze) and another run raises the order's alert.
          other.prepare("UPDATE alerts SET snoozed_until = ? WHERE id = ?").run(until + HOUR, alert.id);
          other.prepare("INSERT INTO alerts (rule, subject, order_id, status, raised_at, since, data) VALUES ('awaiting_fulfillment_stale', ?, ?, 'open', ?, ?, '{}')").run(`order:${order.id}`, order.id, until, until);
        },
      });
      expect(r.reraised).toBe(0);
      expect(one<{ status: string; snoozed_until: number }>("SELECT status, snoozed_until FROM alerts WHERE id = ?", alert.id)).toEqual({ status: "acknowledged", snoozed_until: until + HOUR });
      expect(q("SELECT id FROM alerts WHERE subject = ? AND status <> 'resolved'", `order:${order.id}`)).toHaveLength(1);
    } finally {
      other.close();
    }
  });

  test("runs take turns: a run whose snapshot another run has written past reads again, so the older snapshot never undoes the newer", () => {
    const now = NOW() + 3 * HOUR;
    const order = one<{ id: number; since: number }>("SELECT id, status_changed_at AS since FROM orders WHERE status = 'awaiting_fulfillment' AND status_changed_at < ? ORDER BY id LIMIT 1 OFFSET 1", now - 24 * HOUR);
    db.$client.prepare("UPDATE alerts SET status = 'resolved', resolved_at = ? WHERE subject = ? AND status <> 'resolved'").run(now, `order:${order.id}`);
    const attempts: number[] = [];
    const first = evaluateAndStoreAlerts(db, now, {
      afterRead: (attempt) => {
        attempts.push(attempt);
        if (attempt > 1) return;
        // After this run read the order as stuck, it moved on, and a manager's "Evaluate now" ran and wrote.
        db.$client.prepare("UPDATE orders SET status_changed_at = ? WHERE id = ?").run(now, order.id);
        evaluateAndStoreAlerts(db, now);
      },
    });
    expect(attempts).toEqual([1, 2]);
    expect(first.raised).toBe(0);
    expect(q("SELECT id FROM alerts WHERE subject = ? AND status <> 'resolved'", `order:${order.id}`)).toEqual([]);
    db.$client.prepare("UPDATE orders SET status_changed_at = ? WHERE id = ?").run(order.since, order.id); // as it was, for the tests after
  });

  test("an alert whose condition cleared is resolved, and a new occurrence raises a new row", () => {
    const alert = one<{ id: number; orderId: number }>("SELECT id, order_id AS orderId FROM alerts WHERE status <> 'resolved' AND rule = 'awaiting_fulfillment_stale' ORDER BY id LIMIT 1");
    const now = NOW() + 2 * HOUR; // the clock only moves forward across these tests
    db.$client.prepare("UPDATE orders SET status_changed_at = ? WHERE id = ?").run(now, alert.orderId);
    expect(evaluateAndStoreAlerts(db, now + 1000).resolved).toBe(1);
    expect(one<{ status: string }>("SELECT status FROM alerts WHERE id = ?", alert.id).status).toBe("resolved");
    evaluateAndStoreAlerts(db, now + 25 * HOUR);
    expect(q("SELECT id FROM alerts WHERE rule = 'awaiting_fulfillment_stale' AND subject = ?", `order:${alert.orderId}`)).toHaveLength(2);
  });

  test("thresholds come from settings: raising the threshold resolves what no longer qualifies", () => {
    const now = NOW() + 30 * HOUR;
    const open = one<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE rule = 'awaiting_fulfillment_stale' AND status <> 'resolved'").n;
    expect(open).toBeGreaterThan(0);
    db.$client.prepare("UPDATE settings SET value = json_set(value, '$.awaiting_fulfillment_hours', 100000) WHERE key = 'alert_thresholds'").run();
    const r = evaluateAndStoreAlerts(db, now);
    expect(r.resolved).toBeGreaterThanOrEqual(open);
    expect(one<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE rule = 'awaiting_fulfillment_stale' AND status <> 'resolved'").n).toBe(0);
    db.$client.prepare("UPDATE settings SET value = json_set(value, '$.awaiting_fulfillment_hours', 24) WHERE key = 'alert_thresholds'").run();
  });

  test("failing outbox deliveries and failed webhooks raise alerts", () => {
    const orderId = one<{ id: number }>("SELECT id FROM orders ORDER BY id LIMIT 1").id;
    const now = NOW() + 30 * HOUR;
    const { id: outboxId } = db.$client.prepare("INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload, created_at, available_at) VALUES ('search.index', 'order', ?, '{}', ?, ?) RETURNING id").get(orderId, now - HOUR, now) as { id: number };
    // A consumer stuck on that message: four failed attempts at the batch ending with it.
    db.$client.prepare("INSERT INTO outbox_cursors (consumer, last_id, attempts, failing_to, last_error, updated_at) VALUES ('search', ?, 4, ?, 'ECONNREFUSED', ?)").run(outboxId - 1, outboxId, now);
    db.$client.prepare("INSERT INTO webhook_events (source, event_id, type, order_id, payload, received_at, error) VALUES ('payment', 'evt-1', 'payment.captured', ?, '{}', ?, 'amount mismatch')").run(orderId, now - HOUR);
    evaluateAndStoreAlerts(db, now);
    expect(q<{ rule: string; subject: string }>("SELECT rule, subject FROM alerts WHERE rule IN ('outbox_failing', 'webhook_failed') AND status = 'open' ORDER BY rule")).toEqual([
      { rule: "outbox_failing", subject: "outbox:search.index" },
      { rule: "webhook_failed", subject: expect.stringMatching(/^webhook:\d+$/) },
    ]);
  });
});

describe("alert actions and the count route", () => {
  test("GET /api/alerts/count answers the open count to roles with alerts:read (a lead: open shipment alerts), 403 to others, 401 signed out", async () => {
    const open = one<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE status = 'open'").n;
    const shipmentsOpen = one<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE status = 'open' AND rule = 'shipment_past_sla'").n;
    const req = () => new Request("http://localhost/api/alerts/count");
    const ok = await runAs(users.manager, () => countRoute.GET(req()));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, data: { open } });
    const lead = await runAs(users.warehouse_lead, () => countRoute.GET(req()));
    expect(await lead.json()).toEqual({ ok: true, data: { open: shipmentsOpen } });
    for (const role of ["agent", "finance"] as const) expect((await runAs(users[role], () => countRoute.GET(req()))).status).toBe(403);
    expect((await runAs(null, () => countRoute.GET(req()))).status).toBe(401);
  });

  test("a finance user may not acknowledge, and nothing is written", async () => {
    const alert = one<{ id: number }>("SELECT id FROM alerts WHERE status = 'open' LIMIT 1");
    const before = tableCounts(db);
    const res = await runAs(users.finance, () => actions.acknowledgeAlertAction({ alertId: alert.id, note: "not mine", snoozeHours: 4 }));
    expect(res).toMatchObject({ ok: false, code: "forbidden" });
    expect(tableCounts(db)).toEqual(before);
    expect(one<{ status: string }>("SELECT status FROM alerts WHERE id = ?", alert.id).status).toBe("open");
  });

  test("acknowledging needs a note and a resolved alert cannot be acknowledged", async () => {
    const open = one<{ id: number }>("SELECT id FROM alerts WHERE status = 'open' LIMIT 1");
    expect(await runAs(users.manager, () => actions.acknowledgeAlertAction({ alertId: open.id, note: " ", snoozeHours: 4 }))).toMatchObject({ ok: false, code: "invalid_input" });
    const resolved = one<{ id: number }>("SELECT id FROM alerts WHERE status = 'resolved' LIMIT 1");
    expect(await runAs(users.manager, () => actions.acknowledgeAlertAction({ alertId: resolved.id, note: "too late", snoozeHours: 4 }))).toMatchObject({ ok: false, code: "conflict" });
  });

  test("evaluate now runs the rules for a manager", async () => {
    const res = await runAs(users.manager, () => actions.evaluateAlertsNowAction({}));
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.data.open).toBe(one<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE status = 'open'").n);
  });
});

describe("the worker", () => {
  test("evaluates alerts on its schedule: at start, then every alertEveryMs", async () => {
    const orderId = one<{ id: number }>("SELECT id FROM orders WHERE status = 'awaiting_fulfillment' ORDER BY id DESC LIMIT 1").id;
    db.$client.prepare("UPDATE alerts SET status = 'resolved', resolved_at = ? WHERE subject = ? AND status <> 'resolved'").run(Date.now(), `order:${orderId}`);
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runWorker({ db, consumers: [], pollMs: 20, signal: controller.signal, alertEveryMs: 60_000, log: (l) => lines.push(l) });
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    await running;
    expect(lines.filter((l) => l.startsWith("alerts:"))).toHaveLength(1); // once at start, not again within the minute
    expect(one<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE subject = ? AND rule = 'awaiting_fulfillment_stale' AND status = 'open'", `order:${orderId}`).n).toBe(1);
  });
});
