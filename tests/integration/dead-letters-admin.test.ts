import type * as AdminActions from "../../app/(ops)/admin/actions.ts";
import type * as DeadLetterActions from "../../app/(ops)/admin/dead-letters/actions.ts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DB } from "../../db/client.ts";
import type { Role } from "../../db/schema/auth.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { runAs } from "../../lib/auth/session.ts";
import { readCursor, retryNow, outboxHead } from "../../lib/worker/cursors.ts";
import { deliverNext, type OutboxConsumer } from "../../lib/worker/outbox.ts";
import { runWorker } from "../../lib/worker/run.ts";
import { readDeliverySettings } from "../../lib/worker/delivery-settings.ts";
import { deliveryMetrics } from "../../lib/worker/delivery-metrics.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";

let db: DB;
let users: Record<Role, SessionUser>;
let cleanup: () => void;
let admin: typeof AdminActions;
let letters: typeof DeadLetterActions;

const one = <T>(sqlText: string, ...params: unknown[]) => db.$client.prepare(sqlText).get(...params) as T;
const all = <T>(sqlText: string, ...params: unknown[]) => db.$client.prepare(sqlText).all(...params) as T[];
const NAME = "webhook:admin-test";

/** A subscriber that takes order.* messages and answers 500 for the poisoned ids (its target is up: no probe). */
function subscriber(poison: Set<number>): OutboxConsumer & { got: number[] } {
  const got: number[] = [];
  return {
    name: NAME,
    got,
    accepts: (topic) => topic.startsWith("order."),
    async deliver(rows, progress) {
      for (const r of rows) {
        if (poison.has(r.id)) throw new Error(`receiver answered 500 for message ${r.id}`);
        got.push(r.id);
        progress.delivered(r.id);
      }
    },
  };
}

async function drain(c: OutboxConsumer, passes = 30) {
  for (let i = 0; i < passes; i++) {
    retryNow(db, c.name);
    const p = await deliverNext(db, c);
    if (p.outcome === "idle") return;
  }
}

const writeOrderMessage = (topic = "order.status_changed", at = Date.now()) => {
  const order = one<{ id: number }>("SELECT id FROM orders ORDER BY id LIMIT 1");
  return one<{ id: number }>(
    "INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload, created_at, available_at) VALUES (?, 'order', ?, ?, ?, ?) RETURNING id",
    topic,
    order.id,
    JSON.stringify({ orderId: order.id, note: "dead letter test" }),
    at,
    at,
  ).id;
};

beforeAll(async () => {
  ({ db, users, cleanup } = await seededAppDatabase({ orders: 30, buildElasticsearch: false }));
  admin = await import("../../app/(ops)/admin/actions.ts");
  letters = await import("../../app/(ops)/admin/dead-letters/actions.ts");
  // A topic the subscriber does not take, present when it first runs.
  db.$client.prepare("INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload, created_at, available_at) VALUES ('refund.payout', 'order', 1, '{}', ?, ?)").run(Date.now(), Date.now());
}, 120_000);
afterAll(() => cleanup?.());

describe("delivery settings", () => {
  test("an admin sets attempts and retention, audited with old and new value; bad values and other roles write nothing", async () => {
    const before = tableCounts(db);
    for (const bad of [{ maxAttempts: 0, retentionHours: 24 }, { maxAttempts: 1.5, retentionHours: 24 }, { maxAttempts: 101, retentionHours: 24 }, { maxAttempts: 3, retentionHours: 24 * 366 }]) {
      expect(await runAs(users.admin, () => admin.setDeliverySettingsAction(bad))).toMatchObject({ ok: false, code: "invalid_input" });
    }
    expect(await runAs(users.manager, () => admin.setDeliverySettingsAction({ maxAttempts: 3, retentionHours: 24 }))).toMatchObject({ ok: false, code: "forbidden" });
    expect(tableCounts(db)).toEqual(before);
    expect(await runAs(users.admin, () => admin.setDeliverySettingsAction({ maxAttempts: 2, retentionHours: 48 }))).toEqual({ ok: true, data: { changed: true } });
    expect(readDeliverySettings(db)).toEqual({ maxAttempts: 2, retentionHours: 48 });
    const audit = one<{ entity_type: string; action: string; actor_id: number; data: string }>("SELECT * FROM audit_events ORDER BY id DESC LIMIT 1");
    expect(audit).toMatchObject({ entity_type: "setting", action: "setting_changed", actor_id: users.admin.id });
    expect(JSON.parse(audit.data)).toEqual({ key: "outbox_delivery", from: null, to: { maxAttempts: 2, retentionHours: 48 } });
  });
});

describe("dead letters: the admin's retry and discard", () => {
  const poison = new Set<number>();
  const consumer = subscriber(poison);
  let first: number;

  test("a message failing N times while the worker runs is dead-lettered, its cursor moves on, and the alert is raised at once (not at the next minute's check)", async () => {
    first = writeOrderMessage();
    poison.add(first);
    const after = writeOrderMessage();
    const controller = new AbortController();
    // Alerts are checked at start and then only hourly: the one found after the dead letter is the engine's doing.
    const worker = runWorker({ db, consumers: [consumer], pollMs: 20, signal: controller.signal, alertEveryMs: 3_600_000, purgeEveryMs: 3_600_000 });
    try {
      await expect.poll(() => one<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE rule = 'outbox_failing' AND status = 'open'").n, { timeout: 15_000, interval: 50 }).toBe(1);
    } finally {
      controller.abort();
      await worker;
    }
    expect(all("SELECT outbox_id AS outboxId, status, attempts FROM outbox_dead_letters")).toEqual([{ outboxId: first, status: "dead", attempts: 2 }]);
    expect(readCursor(db, NAME)!.lastId).toBe(outboxHead(db));
    expect(consumer.got).toContain(after);
    expect(consumer.got).not.toContain(first);
    const alert = one<{ subject: string; data: string }>("SELECT subject, data FROM alerts WHERE rule = 'outbox_failing'");
    expect(alert.subject).toBe("outbox:order.status_changed");
    expect(JSON.parse(alert.data).error).toContain(`${NAME} (dead letter #`);
    const m = deliveryMetrics(db).find((c) => c.consumer === NAME)!;
    expect(m).toMatchObject({ backlog: 0, oldestMs: null, topicsKnown: true, deadLetters: { dead: 1, retrying: 0, redelivered: 0, discarded: 0 } });
  });

  test("only an admin retries; the retry is audited and the worker redelivers the same message id once the receiver takes it, the cursor staying where it was", async () => {
    const letter = one<{ id: number; aggregate_id: number }>("SELECT id, aggregate_id FROM outbox_dead_letters WHERE outbox_id = ?", first);
    const before = tableCounts(db);
    for (const role of ["manager", "finance", "agent"] as const) {
      expect(await runAs(users[role], () => letters.retryDeadLettersAction({ consumer: NAME, ids: [letter.id] }))).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(tableCounts(db)).toEqual(before);
    const lastId = readCursor(db, NAME)!.lastId;
    expect(await runAs(users.admin, () => letters.retryDeadLettersAction({ consumer: NAME, ids: [letter.id] }))).toEqual({ ok: true, data: { consumer: NAME, moved: 1, ids: [letter.id] } });
    const audit = one<{ entity_type: string; entity_id: number; order_id: number; action: string; from_status: string; to_status: string; actor_id: number }>("SELECT * FROM audit_events ORDER BY id DESC LIMIT 1");
    expect(audit).toMatchObject({ entity_type: "dead_letter", entity_id: letter.id, order_id: letter.aggregate_id, action: "dead_letter_retried", from_status: "dead", to_status: "retrying", actor_id: users.admin.id });
    // Retrying it again is a conflict: it is no longer dead.
    expect(await runAs(users.admin, () => letters.retryDeadLettersAction({ consumer: NAME, ids: [letter.id] }))).toMatchObject({ ok: false, code: "conflict" });
    poison.clear();
    const got = consumer.got.length;
    await drain(consumer);
    expect(consumer.got.slice(got)).toEqual([first]);
    expect(one("SELECT status, resolved_by AS by FROM outbox_dead_letters WHERE id = ?", letter.id)).toEqual({ status: "redelivered", by: users.admin.id });
    expect(readCursor(db, NAME)!.lastId).toBe(lastId);
  });

  test("retry and discard all for a consumer move only its dead letters, one audit row each; discarded ones are never delivered", async () => {
    const ids = [writeOrderMessage("order.cancelled"), writeOrderMessage("order.cancelled"), writeOrderMessage("order.cancelled")];
    ids.forEach((id) => poison.add(id));
    await drain(consumer);
    expect(all<{ status: string }>("SELECT status FROM outbox_dead_letters WHERE outbox_id IN (?, ?, ?)", ...ids).map((r) => r.status)).toEqual(["dead", "dead", "dead"]);
    const single = one<{ id: number }>("SELECT id FROM outbox_dead_letters WHERE outbox_id = ?", ids[0]);
    expect(await runAs(users.admin, () => letters.discardDeadLettersAction({ consumer: NAME, ids: [single.id] }))).toMatchObject({ ok: true, data: { moved: 1 } });
    const audits = one<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE entity_type = 'dead_letter'").n;
    expect(await runAs(users.admin, () => letters.discardDeadLettersAction({ consumer: NAME, ids: "all" }))).toMatchObject({ ok: true, data: { moved: 2 } });
    expect(one<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE entity_type = 'dead_letter' AND action = 'dead_letter_discarded'").n).toBe(3);
    expect(one<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE entity_type = 'dead_letter'").n).toBe(audits + 2);
    // Nothing dead is left: "all" again moves nothing and writes nothing.
    const before = tableCounts(db);
    expect(await runAs(users.admin, () => letters.retryDeadLettersAction({ consumer: NAME, ids: "all" }))).toEqual({ ok: true, data: { consumer: NAME, moved: 0, ids: [] } });
    expect(tableCounts(db)).toEqual(before);
    poison.clear();
    const got = consumer.got.length;
    await drain(consumer);
    expect(consumer.got.slice(got)).toEqual([]);
    expect(deliveryMetrics(db).find((c) => c.consumer === NAME)!.deadLetters).toEqual({ dead: 0, retrying: 0, redelivered: 1, discarded: 3 });
  });

  test("the Delivery panel counts only the topics a consumer takes after its cursor, with the oldest one's age; a topic new since its last pass counts", async () => {
    const old = Date.now() - 5 * 60_000;
    writeOrderMessage("order.status_changed", old);
    writeOrderMessage("order.cancelled");
    db.$client.prepare("INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload, created_at, available_at) VALUES ('refund.payout', 'order', 1, '{}', ?, ?)").run(old - 60_000, old - 60_000);
    const m = deliveryMetrics(db).find((c) => c.consumer === NAME)!;
    expect(m.backlog).toBe(2);
    expect(m.oldestMs).toBeGreaterThanOrEqual(5 * 60_000);
    expect(m.oldestMs).toBeLessThan(6 * 60_000);
    db.$client.prepare("INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload, created_at, available_at) VALUES ('return.received', 'order', 1, '{}', ?, ?)").run(Date.now(), Date.now());
    expect(deliveryMetrics(db).find((c) => c.consumer === NAME)!.backlog).toBe(3);
    // The query plan reads the (topic, id) index, never the whole outbox.
    const plan = all<{ detail: string }>("EXPLAIN QUERY PLAN SELECT count(*) AS n FROM outbox WHERE topic = ? AND id > ?", "order.cancelled", 0).map((p) => p.detail).join("; ");
    expect(plan).toMatch(/USING COVERING INDEX outbox_topic_id_idx \(topic=\? AND (?:id|rowid)>\?\)/);
  });
});
