import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DB } from "../../db/client.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { runAs } from "../../lib/auth/session.ts";
import { readCursor, outboxHead } from "../../lib/worker/cursors.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";

let db: DB;
let cleanup: () => void;
let admin: SessionUser;

beforeAll(async () => {
  let users: Record<string, SessionUser>;
  ({ db, cleanup, users } = await seededAppDatabase({ orders: 10 }));
  admin = users.admin!;
}, 120_000);
afterAll(() => cleanup?.());

const actions = () => import("../../app/(ops)/admin/subscriptions/actions.ts");
const audit = (id: number) => db.$client.prepare("SELECT action, actor_id AS actorId, reason, data FROM audit_events WHERE entity_type = 'webhook_subscription' AND entity_id = ? ORDER BY id").all(id) as { action: string; actorId: number; reason: string; data: string | null }[];

describe("outgoing webhook subscriptions under /admin/subscriptions", () => {
  test("a URL that is not https (other than to this machine) is refused with the reason, and nothing is written", async () => {
    const { createSubscriptionAction } = await actions();
    const before = tableCounts(db);
    for (const [url, reason] of [
      ["http://hooks.example.com/in", "Use https: plain http is only accepted for localhost or 127.0.0.1."],
      ["not a url", "Not a URL: write it whole, such as https://example.com/webhooks."],
    ]) {
      const res = await runAs(admin, () => createSubscriptionAction({ url: url!, eventTypes: ["order.created"] }));
      expect(res).toEqual({ ok: false, code: "invalid_input", message: reason });
    }
    const none = await runAs(admin, () => createSubscriptionAction({ url: "https://hooks.example.com/in", eventTypes: [] }));
    expect(none).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { eventTypes: ["Choose at least one event type."] } });
    expect(tableCounts(db)).toEqual(before);
  });

  test("creating answers the secret once; the subscription starts at the outbox's head; the audit trail holds a fingerprint, never the secret", async () => {
    const { createSubscriptionAction } = await actions();
    const head = outboxHead(db);
    const res = await runAs(admin, () => createSubscriptionAction({ url: "https://hooks.example.com/in", eventTypes: ["refund.succeeded", "order.created"] }));
    if (!res.ok) throw new Error(res.message);
    expect(res.data.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(res.data.secret.slice(6), "base64")).toHaveLength(32);
    expect(readCursor(db, `webhook:${res.data.id}`)).toMatchObject({ lastId: head });
    expect(db.$client.prepare("SELECT url, event_types AS eventTypes, enabled, created_by AS createdBy FROM webhook_subscriptions WHERE id = ?").get(res.data.id)).toEqual({
      url: "https://hooks.example.com/in",
      eventTypes: '["order.created","refund.succeeded"]',
      enabled: 1,
      createdBy: admin.id,
    });
    const rows = audit(res.data.id);
    expect(rows.map((r) => [r.action, r.actorId])).toEqual([["webhook_subscription_created", admin.id]]);
    expect(JSON.stringify(rows)).not.toContain(res.data.secret.slice(6, 30));
  });

  test("rotate, change event types, send a test event, disable and enable: each audited; a disabled subscription takes no test event", async () => {
    const a = await actions();
    const created = await runAs(admin, () => a.createSubscriptionAction({ url: "http://127.0.0.1:9/hooks", eventTypes: ["order.created"] }));
    if (!created.ok) throw new Error(created.message);
    const id = created.data.id;
    const rotated = await runAs(admin, () => a.rotateSubscriptionSecretAction({ subscriptionId: id }));
    if (!rotated.ok) throw new Error(rotated.message);
    expect(rotated.data.secret).not.toBe(created.data.secret);
    expect(db.$client.prepare("SELECT previous_secret = ? AS kept FROM webhook_subscriptions WHERE id = ?").get(created.data.secret, id)).toEqual({ kept: 1 });
    expect(await runAs(admin, () => a.changeSubscriptionEventTypesAction({ subscriptionId: id, eventTypes: ["shipment.shipped"] }))).toMatchObject({ ok: true });
    expect(await runAs(admin, () => a.sendTestEventAction({ subscriptionId: id }))).toMatchObject({ ok: true });
    expect(db.$client.prepare("SELECT topic, aggregate_id AS aggregateId FROM outbox ORDER BY id DESC LIMIT 1").get()).toEqual({ topic: "webhook.test", aggregateId: id });
    expect(await runAs(admin, () => a.setSubscriptionEnabledAction({ subscriptionId: id, enabled: false }))).toMatchObject({ ok: true });
    expect(await runAs(admin, () => a.setSubscriptionEnabledAction({ subscriptionId: id, enabled: false }))).toMatchObject({ ok: false, code: "conflict" });
    expect(await runAs(admin, () => a.sendTestEventAction({ subscriptionId: id }))).toEqual({ ok: false, code: "conflict", message: "This subscription is disabled: enable it to send a test event." });
    expect(await runAs(admin, () => a.setSubscriptionEnabledAction({ subscriptionId: id, enabled: true }))).toMatchObject({ ok: true });
    expect(audit(id).map((r) => r.action)).toEqual([
      "webhook_subscription_created",
      "webhook_subscription_secret_rotated",
      "webhook_subscription_events_changed",
      "webhook_test_sent",
      "webhook_subscription_disabled",
      "webhook_subscription_enabled",
    ]);
  });
});
