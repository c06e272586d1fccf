import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "../../db/client.ts";
import { enqueueOutbox, type Actor } from "../../lib/audit.ts";
import { messageIdFor } from "../../lib/webhooks/events.ts";
import { subscriptionConsumer, webhookDeliveries } from "../../lib/webhooks/consumer.ts";
import { createSubscription, queueTestEvent, rotateSubscriptionSecret, setSubscriptionEnabledBy } from "../../lib/webhooks/subscriptions.ts";
import { outboxHead, readCursor, retryNow } from "../../lib/worker/cursors.ts";
import { deliverNext } from "../../lib/worker/outbox.ts";
import { transition } from "../../lib/orders/state-machine.ts";
import { tempDatabase } from "../support/db.ts";
import { insertOrder } from "../support/fixtures.ts";
import { startReceiver } from "../support/webhook-receiver.ts";

const admin: Actor = { id: null, label: "test admin" };

describe("outgoing webhooks: signed per Standard Webhooks, verified by the reference package on a real HTTP receiver", () => {
  let t: ReturnType<typeof tempDatabase>;
  let db: DB;
  const closers: (() => Promise<void>)[] = [];
  beforeEach(() => {
    t = tempDatabase();
    db = t.db;
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    t.cleanup();
  });

  async function receiver(o: Parameters<typeof startReceiver>[0] = {}) {
    const r = await startReceiver(o);
    closers.push(r.close);
    return r;
  }
  const subscribe = (url: string, eventTypes = ["order.created", "order.status_changed", "refund.succeeded"]) => db.transaction((tx) => createSubscription(tx, { url, eventTypes, actor: admin, at: Date.now() }));
  const publish = (topic: string, payload: Record<string, unknown> = {}) =>
    db.transaction((tx) => {
      enqueueOutbox(tx, { topic, aggregateType: "order", aggregateId: 7, payload: { orderId: 7, ...payload }, at: Date.now() });
      return outboxHead(tx);
    });
  const attempts = (subscriptionId: number) =>
    db.$client.prepare("SELECT outbox_id AS outboxId, message_id AS messageId, attempt, status_code AS statusCode, ok, error FROM webhook_deliveries WHERE subscription_id = ? ORDER BY id").all(subscriptionId) as {
      outboxId: number;
      messageId: string;
      attempt: number;
      statusCode: number | null;
      ok: number;
      error: string | null;
    }[];
  /** One pass of the subscription's consumer, its backoff skipped (the test stands in for the clock). */
  async function pass(subscriptionId: number, o: { callTimeoutMs?: number } = {}) {
    retryNow(db, `webhook:${subscriptionId}`);
    return deliverNext(db, subscriptionConsumer(db, subscriptionId, o));
  }

  it("fails twice with 500, then the third attempt is taken: same webhook-id every time, every signature verifies, nothing is sent again after success", async () => {
    let secret = "";
    const r = await receiver({ answer: (n) => (n <= 2 ? 500 : 204), secrets: () => [secret] });
    const sub = subscribe(r.url);
    secret = sub.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/); // 32 random bytes
    const outboxId = publish("order.created", { number: "SY-1" });

    expect((await pass(sub.id)).outcome).toBe("failed");
    expect((await pass(sub.id)).outcome).toBe("failed");
    expect((await pass(sub.id)).outcome).toBe("delivered");
    expect(r.received.map((x) => x.id)).toEqual(Array(3).fill(messageIdFor(outboxId, sub.id)));
    expect(r.received.every((x) => x.verified), JSON.stringify(r.received.map((x) => x.verifyError))).toBe(true);
    const body = JSON.parse(r.received[2]!.body) as { type: string; timestamp: string; data: Record<string, unknown> };
    expect(body).toMatchObject({ type: "order.created", data: { orderId: 7, number: "SY-1" } });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    expect(attempts(sub.id)).toEqual([
      { outboxId, messageId: `msg_${outboxId}_${sub.id}`, attempt: 1, statusCode: 500, ok: 0, error: "receiver answered 500" },
      { outboxId, messageId: `msg_${outboxId}_${sub.id}`, attempt: 2, statusCode: 500, ok: 0, error: "receiver answered 500" },
      { outboxId, messageId: `msg_${outboxId}_${sub.id}`, attempt: 3, statusCode: 204, ok: 1, error: null },
    ]);
    expect(readCursor(db, `webhook:${sub.id}`)).toMatchObject({ lastId: outboxId, attempts: 0 });

    // More passes, and even a cursor set back (a crash before it moved): the taken message is not sent again.
    await pass(sub.id);
    db.$client.prepare("UPDATE outbox_cursors SET last_id = 0 WHERE consumer = ?").run(`webhook:${sub.id}`);
    expect((await pass(sub.id)).outcome).toBe("delivered");
    expect(r.received).toHaveLength(3);
  });

  it("sends only the event types a subscription chose, and nothing written before it was created", async () => {
    let secret = "";
    const r = await receiver({ secrets: () => [secret] });
    publish("order.created"); // before the subscription: not its history
    const sub = subscribe(r.url, ["refund.succeeded"]);
    secret = sub.secret;
    publish("order.created");
    const refund = publish("refund.succeeded", { refundId: 3, amount: 500, currency: "EUR" });
    publish("refund.payout");
    await pass(sub.id);
    expect(r.received.map((x) => x.id)).toEqual([messageIdFor(refund, sub.id)]);
    expect(JSON.parse(r.received[0]!.body)).toMatchObject({ type: "refund.succeeded", data: { refundId: 3, amount: 500, currency: "EUR" } });
  });

  it("a real status change (transition(), its outbox row in the same transaction) reaches the subscriber with the order's number", async () => {
    let secret = "";
    const r = await receiver({ secrets: () => [secret] });
    const sub = subscribe(r.url, ["order.status_changed"]);
    secret = sub.secret;
    const orderId = insertOrder(db, "paid");
    db.transaction((tx) => transition(tx, { orderId, from: "paid", to: "awaiting_fulfillment", actor: admin, reason: "routed", at: Date.now() }));
    await pass(sub.id);
    const number = (db.$client.prepare("SELECT number FROM orders WHERE id = ?").get(orderId) as { number: string }).number;
    expect(r.received).toMatchObject([{ verified: true }]);
    expect(JSON.parse(r.received[0]!.body)).toMatchObject({ type: "order.status_changed", data: { orderId, orderNumber: number, from: "paid", to: "awaiting_fulfillment" } });
  });

  it("410 Gone disables the subscription with the reason, raises an alert and audits it; enabling again resolves the alert", async () => {
    let secret = "";
    let answer = 410;
    const r = await receiver({ answer: () => answer, secrets: () => [secret] });
    const sub = subscribe(r.url);
    secret = sub.secret;
    const outboxId = publish("order.status_changed", { from: "paid", to: "awaiting_fulfillment" });
    expect((await pass(sub.id)).outcome).toBe("deferred");
    const row = db.$client.prepare("SELECT enabled, disabled_reason AS reason FROM webhook_subscriptions WHERE id = ?").get(sub.id);
    expect(row).toEqual({ enabled: 0, reason: `The receiver answered 410 Gone to msg_${outboxId}_${sub.id}` });
    expect(db.$client.prepare("SELECT rule, subject, status FROM alerts").all()).toEqual([{ rule: "webhook_subscription_gone", subject: `webhook_subscription:${sub.id}`, status: "open" }]);
    expect(db.$client.prepare("SELECT action, actor_label AS actor FROM audit_events WHERE entity_type = 'webhook_subscription' ORDER BY id").all()).toEqual([
      { action: "webhook_subscription_created", actor: "test admin" },
      { action: "webhook_subscription_disabled", actor: "system" },
    ]);
    // Disabled: nothing more is sent.
    publish("order.created");
    await pass(sub.id);
    expect(r.received).toHaveLength(1);
    expect(attempts(sub.id)).toMatchObject([{ statusCode: 410, ok: 0 }]);

    db.transaction((tx) => setSubscriptionEnabledBy(tx, { id: sub.id, enabled: true, actor: admin, at: Date.now() }));
    expect(db.$client.prepare("SELECT status FROM alerts").get()).toEqual({ status: "resolved" });
    // Enabled again, it hears what happens from now on, not what was written while it was off.
    answer = 200;
    const next = publish("order.created");
    await pass(sub.id);
    expect(r.received.map((x) => x.id)).toEqual([messageIdFor(outboxId, sub.id), messageIdFor(next, sub.id)]);
  });

  it("during a rotation's overlap every request carries both signatures: a receiver with the old secret and one with the new verify it; after the overlap only the new one signs", async () => {
    let secrets: string[] = [];
    const r = await receiver({ secrets: () => secrets });
    const sub = subscribe(r.url);
    const { secret: rotated, previousValidUntil } = db.transaction((tx) => rotateSubscriptionSecret(tx, { id: sub.id, actor: admin, at: Date.now() }));
    expect(rotated).not.toBe(sub.secret);
    expect(previousValidUntil - Date.now()).toBeGreaterThan(23 * 3_600_000);
    secrets = [sub.secret, rotated]; // the receiver checks with each: both must verify
    publish("order.created");
    await pass(sub.id);
    expect(r.received[0]).toMatchObject({ verified: true });
    expect(r.received[0]!.signature.split(" ")).toHaveLength(2);

    db.$client.prepare("UPDATE webhook_subscriptions SET previous_valid_until = ? WHERE id = ?").run(Date.now() - 1, sub.id);
    secrets = [rotated];
    publish("order.created");
    await pass(sub.id);
    expect(r.received[1]).toMatchObject({ verified: true });
    expect(r.received[1]!.signature.split(" ")).toHaveLength(1);
    secrets = [sub.secret];
    publish("order.created");
    await pass(sub.id);
    expect(r.received[2]).toMatchObject({ verified: false });
    expect(db.$client.prepare("SELECT action FROM audit_events WHERE action LIKE 'webhook_subscription_secret%'").all()).toEqual([{ action: "webhook_subscription_secret_rotated" }]);
    expect(JSON.stringify(db.$client.prepare("SELECT reason, data FROM audit_events").all())).not.toContain(rotated.slice(6, 20));
  });

  it("a test event goes to that subscription only, signed and logged", async () => {
    let secretA = "";
    const a = await receiver({ secrets: () => [secretA] });
    const b = await receiver({ secrets: () => [] });
    const subA = subscribe(a.url);
    const subB = subscribe(b.url);
    secretA = subA.secret;
    db.transaction((tx) => queueTestEvent(tx, { id: subA.id, actor: admin, at: Date.now() }));
    await pass(subA.id);
    await pass(subB.id);
    expect(b.received).toHaveLength(0);
    expect(a.received).toHaveLength(1);
    expect(a.received[0]).toMatchObject({ verified: true });
    expect(JSON.parse(a.received[0]!.body)).toMatchObject({ type: "webhook.test", data: { subscriptionId: subA.id } });
    expect(attempts(subA.id)).toMatchObject([{ attempt: 1, statusCode: 200, ok: 1 }]);
    expect(db.$client.prepare("SELECT action FROM audit_events WHERE action = 'webhook_test_sent'").all()).toHaveLength(1);
  });

  it("a subscriber that never answers times out per call and does not hold back a healthy one (the worker's loops, side by side)", async () => {
    let healthySecret = "";
    const silent = await receiver({ answer: () => "hang", secrets: () => [] });
    const healthy = await receiver({ secrets: () => [healthySecret] });
    const stuck = subscribe(silent.url);
    const ok = subscribe(healthy.url);
    healthySecret = ok.secret;
    const ids = [publish("order.created"), publish("order.status_changed"), publish("refund.succeeded")];
    const stop = new AbortController();
    const running = webhookDeliveries(db, { pollMs: 20, syncEveryMs: 20, callTimeoutMs: 400 }).run(stop.signal);
    try {
      const started = Date.now();
      while (healthy.received.length < 3 && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 20));
      expect(healthy.received.map((x) => x.id)).toEqual(ids.map((id) => messageIdFor(id, ok.id)));
      expect(healthy.received.every((x) => x.verified)).toBe(true);
      // The silent one is still on its first message, retrying after each timeout.
      while (attempts(stuck.id).length < 2 && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 20));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(attempts(stuck.id).slice(0, 2)).toMatchObject([
        { outboxId: ids[0], attempt: 1, statusCode: null, ok: 0, error: "request failed: no answer within 400 ms" },
        { outboxId: ids[0], attempt: 2, statusCode: null, ok: 0 },
      ]);
    } finally {
      stop.abort();
      await running;
    }
  });
});
