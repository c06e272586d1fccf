import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { env } from "../../lib/env.ts";
import { runAs } from "../../lib/auth/session.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { acknowledgeAlert, evaluateAndStoreAlerts } from "../../lib/alerts/evaluate.ts";
import { receiveStock } from "../../lib/inventory/receive.ts";
import { acknowledgeAlertAction } from "../../app/(ops)/alerts/actions.ts";
import { cancelOrderAction as cancelOrderActionAtVersion } from "../../app/(ops)/orders/[id]/actions.ts";
import { current } from "../support/current.ts";
import { insertUser } from "../support/fixtures.ts";
import { DAY, HOUR, alertsOf, auditOf, backordersOf, insertProduct, statusOf, type ProductRow } from "../support/routing-world.ts";
import { createOrdersWorld, expectOk, placeRoutedOrder, type OrdersWorld } from "../support/orders-world.ts";

// Called as from a screen opened just now (the order's current version); stale-screen tests pass their own.
const cancelOrderAction = current(cancelOrderActionAtVersion);

let w: OrdersWorld;
let second: SessionUser;
beforeAll(() => {
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
  w.db.$client.prepare("UPDATE users SET name = 'Dana Shift-Lead' WHERE id = ?").run(w.users.manager.id);
  second = insertUser(w.db, "manager", "second.manager@switchyard.test");
  w.db.$client.prepare("UPDATE users SET name = 'Sam Nights' WHERE id = ?").run(second.id);
});
afterAll(() => w.cleanup());

let n = 0;
const product = (allowBackorder: boolean): ProductRow => insertProduct(w.db, { sku: `AL-${++n}`, name: `Alert item ${n}`, allowBackorder });
const alertRow = (id: number) =>
  w.db.$client.prepare("SELECT id, rule, subject, status, acknowledged_by AS owner, note, snoozed_until AS snoozedUntil FROM alerts WHERE id = ?").get(id) as {
    id: number;
    rule: string;
    subject: string;
    status: string;
    owner: number | null;
    note: string | null;
    snoozedUntil: number | null;
  };
const ack = (alertId: number, who: SessionUser, at: number, note: string, snoozeHours = 1) =>
  w.db.transaction((tx) => acknowledgeAlert(tx, { alertId, note, snoozeHours, actor: { id: who.id, label: who.name }, at }), { behavior: "immediate" });

/** A paid order for a SKU nobody stocks and nobody may backorder: routing holds it and raises routing_held. */
function heldOrder() {
  const o = placeRoutedOrder(w, { lines: [{ product: product(false), qty: 1 }] });
  expect(statusOf(w.db, o.orderId)).toBe("paid");
  const [alert] = alertsOf(w.db, o.orderId);
  expect(alert).toMatchObject({ rule: "routing_held", status: "open" });
  return { o, alert: alert! };
}

describe("alerts keep their owner", () => {
  test("a routing_held alert re-opens after its snooze while the order is still held, keeping its owner, and resolves once the order is cancelled", async () => {
    const { o, alert } = heldOrder();
    const at = alert.raisedAt + HOUR;
    ack(alert.id, w.users.manager, at, "Asked purchasing for an ETA");

    expect(evaluateAndStoreAlerts(w.db, at + HOUR - 1)).toMatchObject({ reraised: 0 });
    expect(alertRow(alert.id)).toMatchObject({ status: "acknowledged", owner: w.users.manager.id });
    evaluateAndStoreAlerts(w.db, at + HOUR);
    expect(alertRow(alert.id)).toMatchObject({ status: "open", owner: w.users.manager.id, note: "Asked purchasing for an ETA" });
    expect(auditOf(w.db, o.orderId).filter((a) => a.entityType === "alert").map((a) => a.action)).toEqual(["alert_acknowledged", "alert_reraised"]);

    expectOk(await runAs(w.users.agent, () => cancelOrderAction({ orderId: o.orderId, reason: "Customer gave up waiting" })));
    evaluateAndStoreAlerts(w.db, at + 2 * HOUR);
    expect(alertRow(alert.id).status).toBe("resolved");
  });

  test("a partial backorder fill keeps the acknowledged alert on the units still waiting: its owner, note and snooze", () => {
    const item = product(true);
    const o = placeRoutedOrder(w, { lines: [{ product: item, qty: 3 }] });
    const [bo] = backordersOf(w.db, o.orderId);
    const late = bo!.createdAt + 8 * DAY;
    evaluateAndStoreAlerts(w.db, late);
    const [alert] = alertsOf(w.db, o.orderId).filter((a) => a.rule === "backorder_aged");
    expect(alert).toMatchObject({ subject: `backorder:${bo!.id}`, status: "open" });
    const { snoozedUntil } = ack(alert!.id, w.users.manager, late, "Supplier ships Friday", 24);

    w.db.transaction((tx) => receiveStock(tx, { locationId: w.loc.RTM, sku: item.sku, qty: 1, reference: `GRN-${item.sku}`, actor: { id: w.users.lead.id, label: "lead" }, at: late + HOUR }), { behavior: "immediate" });
    evaluateAndStoreAlerts(w.db, late + 2 * HOUR);

    const rest = backordersOf(w.db, o.orderId).find((b) => b.status === "pending")!;
    expect(rest).toMatchObject({ qty: 2, createdAt: bo!.createdAt });
    const live = alertsOf(w.db, o.orderId).filter((a) => a.rule === "backorder_aged" && a.status !== "resolved");
    expect(live.map((a) => a.id)).toEqual([alert!.id]);
    expect(alertRow(alert!.id)).toEqual({ id: alert!.id, rule: "backorder_aged", subject: `backorder:${rest.id}`, status: "acknowledged", owner: w.users.manager.id, note: "Supplier ships Friday", snoozedUntil });
    expect(auditOf(w.db, o.orderId).filter((a) => a.action === "alert_carried")).toHaveLength(1);
  });

  test("acknowledging an alert another manager holds is a conflict that names them and writes nothing; the holder may update it, and after the snooze anyone may take it", async () => {
    const { alert } = heldOrder();
    expectOk(await runAs(w.users.manager, () => acknowledgeAlertAction({ alertId: alert.id, note: "On it with the supplier", snoozeHours: 4 })));
    const held = alertRow(alert.id);
    const audits = auditOf(w.db, alert.orderId!).length;

    const taken = await runAs(second, () => acknowledgeAlertAction({ alertId: alert.id, note: "Mine now", snoozeHours: 1 }));

    expect(taken).toMatchObject({ ok: false, code: "conflict", message: expect.stringContaining("Dana Shift-Lead already acknowledged this alert") });
    expect(!taken.ok && taken.message).toContain("“On it with the supplier”");
    expect(alertRow(alert.id)).toEqual(held);
    expect(auditOf(w.db, alert.orderId!)).toHaveLength(audits);

    expectOk(await runAs(w.users.manager, () => acknowledgeAlertAction({ alertId: alert.id, note: "Supplier confirmed Monday", snoozeHours: 4 })));
    expect(alertRow(alert.id)).toMatchObject({ owner: w.users.manager.id, note: "Supplier confirmed Monday" });

    w.db.$client.prepare("UPDATE alerts SET snoozed_until = ? WHERE id = ?").run(Date.now() - 1, alert.id);
    expectOk(await runAs(second, () => acknowledgeAlertAction({ alertId: alert.id, note: "Taking over for the night", snoozeHours: 1 })));
    expect(alertRow(alert.id)).toMatchObject({ owner: second.id, note: "Taking over for the night" });
  });

  test("two managers acknowledging the same alerts at once from two processes: each alert gets one owner, and the other is told who", async () => {
    w.db.$client.prepare("UPDATE alerts SET status = 'resolved', resolved_at = 0 WHERE status <> 'resolved'").run();
    const alerts = Array.from({ length: 12 }, () => heldOrder().alert);
    const sides = [w.users.manager, second].map((who) => start(who));
    await Promise.all(sides.map((s) => s.ready));
    for (const s of sides) s.child.stdin.write("go\n");
    const [a, b] = await Promise.all(sides.map((s) => s.done));

    for (const alert of alerts) {
      const mine = a!.outcomes.find((x) => x.alertId === alert.id)!;
      const theirs = b!.outcomes.find((x) => x.alertId === alert.id)!;
      expect([mine.won, theirs.won].filter(Boolean)).toHaveLength(1);
      const winner = mine.won ? w.users.manager : second;
      const loser = mine.won ? theirs : mine;
      expect(loser).toMatchObject({ code: "conflict", message: expect.stringContaining(`${winner.id === second.id ? "Sam Nights" : "Dana Shift-Lead"} already acknowledged this alert`) });
      expect(alertRow(alert.id)).toMatchObject({ status: "acknowledged", owner: winner.id, note: `Mine: ${winner.name}` });
      expect(auditOf(w.db, alert.orderId!).filter((x) => x.action === "alert_acknowledged")).toHaveLength(1);
    }
  });
});

type Outcomes = { outcomes: { alertId: number; won: boolean; code?: string; message?: string }[] };

function start(who: SessionUser) {
  const child = spawn(process.execPath, [path.resolve("tests/support/ack-race-child.ts"), w.file, String(who.id), who.name], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const lines: string[] = [];
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    if (line.includes('"ready":true')) onReady();
  });
  const done = new Promise<Outcomes>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(lines.at(-1)!) as Outcomes) : reject(new Error(`ack side exited with ${code}: ${stderr}`))));
  });
  return { child, ready, done };
}
