import { settlePayouts } from "../support/payouts.ts";
import type * as AdminActions from "../../app/(ops)/admin/actions.ts";
import type * as RefundActions from "../../app/(ops)/refunds/actions.ts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DB } from "../../db/client.ts";
import type { Role } from "../../db/schema/auth.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { runAs } from "../../lib/auth/session.ts";
import { verifyPassword } from "../../lib/auth/password.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";

let db: DB;
let users: Record<Role, SessionUser>;
let cleanup: () => void;
let admin: typeof AdminActions;
let refunds: typeof RefundActions;

const one = <T>(sqlText: string, ...params: unknown[]) => db.$client.prepare(sqlText).get(...params) as T;
const lastAudit = () => one<{ entity_type: string; entity_id: number; action: string; actor_id: number; from_status: string | null; to_status: string | null; data: string; reason: string | null }>("SELECT * FROM audit_events ORDER BY id DESC LIMIT 1");

beforeAll(async () => {
  ({ db, users, cleanup } = await seededAppDatabase({ orders: 120 }));
  admin = await import("../../app/(ops)/admin/actions.ts");
  refunds = await import("../../app/(ops)/refunds/actions.ts");
}, 120_000);
afterAll(() => cleanup?.());

describe("admin: users", () => {
  test("creating a user stores a scrypt hash, returns no password or hash, and audits the role", async () => {
    const res = await runAs(users.admin, () => admin.createUserAction({ email: " New.Agent@Switchyard.test ", name: "New Agent", role: "agent", password: "correct horse battery" }));
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.data).toEqual({ id: expect.any(Number), email: "new.agent@switchyard.test", name: "New Agent", role: "agent", disabled: false });
    expect(JSON.stringify(res)).not.toMatch(/scrypt|correct horse/);
    const stored = one<{ password_hash: string }>("SELECT password_hash FROM users WHERE id = ?", res.data.id);
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(await verifyPassword("correct horse battery", stored.password_hash)).toBe(true);
    const audit = lastAudit();
    expect(audit).toMatchObject({ entity_type: "user", entity_id: res.data.id, action: "user_created", actor_id: users.admin.id, to_status: "agent" });
    expect(audit.data).not.toMatch(/scrypt|correct horse/);
  });

  test("a duplicate email is a conflict and writes nothing; a short password is invalid_input", async () => {
    const before = tableCounts(db);
    expect(await runAs(users.admin, () => admin.createUserAction({ email: "agent@switchyard.test", name: "Twin", role: "agent", password: "long enough password" }))).toMatchObject({ ok: false, code: "conflict" });
    expect(await runAs(users.admin, () => admin.createUserAction({ email: "x@switchyard.test", name: "Short", role: "agent", password: "short" }))).toMatchObject({ ok: false, code: "invalid_input" });
    expect(tableCounts(db)).toEqual(before);
  });

  test("changing a role and disabling a user are audited with from and to", async () => {
    expect(await runAs(users.admin, () => admin.changeUserRoleAction({ userId: users.agent.id, role: "finance" }))).toMatchObject({ ok: true, data: { role: "finance" } });
    expect(lastAudit()).toMatchObject({ entity_type: "user", entity_id: users.agent.id, action: "role_changed", from_status: "agent", to_status: "finance" });
    expect(await runAs(users.admin, () => admin.setUserDisabledAction({ userId: users.agent.id, disabled: true }))).toMatchObject({ ok: true, data: { disabled: true } });
    expect(lastAudit()).toMatchObject({ action: "user_disabled", from_status: "active", to_status: "disabled" });
    await runAs(users.admin, () => admin.setUserDisabledAction({ userId: users.agent.id, disabled: false }));
    await runAs(users.admin, () => admin.changeUserRoleAction({ userId: users.agent.id, role: "agent" }));
  });

  test("an admin cannot disable or demote themselves, so there is always an admin", async () => {
    const before = tableCounts(db);
    expect(await runAs(users.admin, () => admin.setUserDisabledAction({ userId: users.admin.id, disabled: true }))).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await runAs(users.admin, () => admin.changeUserRoleAction({ userId: users.admin.id, role: "agent" }))).toMatchObject({ ok: false, code: "invalid_input" });
    expect(tableCounts(db)).toEqual(before);
  });
});

describe("admin: settings", () => {
  test("the refund limit, thresholds and a location's SLA are saved and audited as settings with old and new values", async () => {
    expect((await runAs(users.admin, () => admin.setRefundLimitAction({ amount: 25_000, currency: "EUR" }))).ok).toBe(true);
    let audit = lastAudit();
    expect(audit).toMatchObject({ entity_type: "setting", action: "setting_changed", reason: "agent_refund_limit" });
    // Limits are per currency: setting the euro limit keeps the pound one.
    expect(JSON.parse(audit.data)).toEqual({ key: "agent_refund_limit", from: { limits: { EUR: 10_000, GBP: 8_500 } }, to: { limits: { EUR: 25_000, GBP: 8_500 } } });

    const thresholds = { awaiting_fulfillment_hours: 12, payment_processing_minutes: 30, backorder_age_days: 3, shipment_sla_hours: 36 };
    expect((await runAs(users.admin, () => admin.setAlertThresholdsAction(thresholds))).ok).toBe(true);
    expect(JSON.parse(one<{ value: string }>("SELECT value FROM settings WHERE key = 'alert_thresholds'").value)).toEqual(thresholds);
    expect(lastAudit()).toMatchObject({ entity_type: "setting", reason: "alert_thresholds" });

    const loc = one<{ id: number; sla: number }>("SELECT id, sla_hours AS sla FROM locations ORDER BY id LIMIT 1");
    expect((await runAs(users.admin, () => admin.setLocationSlaAction({ locationId: loc.id, hours: loc.sla + 6 }))).ok).toBe(true);
    audit = lastAudit();
    expect(audit).toMatchObject({ entity_type: "setting", entity_id: loc.id, action: "location_sla_changed" });
    expect(JSON.parse(audit.data)).toMatchObject({ from: loc.sla, to: loc.sla + 6 });
  });

  test("saving an unchanged value writes no audit row; nonsense is refused", async () => {
    const before = tableCounts(db);
    await runAs(users.admin, () => admin.setRefundLimitAction({ amount: 25_000, currency: "EUR" }));
    expect(await runAs(users.admin, () => admin.setAlertThresholdsAction({ awaiting_fulfillment_hours: 0, payment_processing_minutes: 30, backorder_age_days: 3, shipment_sla_hours: 36 }))).toMatchObject({ ok: false, code: "invalid_input" });
    expect(tableCounts(db)).toEqual(before);
  });
});

describe("finance approval queue", () => {
  test("approving a waiting refund pays it out and audits the decision; deciding twice is a conflict", async () => {
    const waiting = one<{ id: number; order_id: number; amount: number }>("SELECT id, order_id, amount FROM refunds WHERE status = 'pending_approval' ORDER BY id LIMIT 1");
    const refundedBefore = one<{ refunded: number }>("SELECT refunded FROM orders WHERE id = ?", waiting.order_id).refunded;
    const res = await runAs(users.finance, () => refunds.decideQueuedRefundAction({ refundId: waiting.id, approve: true, note: "Photos confirm the damage" }));
    // Approved is "being paid out"; the worker's payments consumer makes it succeeded after commit.
    expect(res).toMatchObject({ ok: true, data: { status: "approved" } });
    await settlePayouts(db);
    expect(one<{ status: string; decided_by: number; decision_note: string }>("SELECT status, decided_by, decision_note FROM refunds WHERE id = ?", waiting.id)).toEqual({
      status: "succeeded",
      decided_by: users.finance.id,
      decision_note: "Photos confirm the damage",
    });
    expect(one<{ refunded: number }>("SELECT refunded FROM orders WHERE id = ?", waiting.order_id).refunded).toBe(refundedBefore + waiting.amount);
    expect(one<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE entity_type = 'refund' AND entity_id = ? AND action = 'refund_approved' AND actor_id = ?", waiting.id, users.finance.id).n).toBe(1);
    expect(await runAs(users.finance, () => refunds.decideQueuedRefundAction({ refundId: waiting.id, approve: false, note: "again" }))).toMatchObject({ ok: false, code: "conflict" });
  });

  test("rejecting needs a reason; an agent or manager may not decide and nothing is written", async () => {
    const order = one<{ id: number; currency: string }>("SELECT id, currency FROM orders WHERE paid - refunded > 500 ORDER BY id LIMIT 1");
    const waiting = { id: Number(db.$client.prepare("INSERT INTO refunds (order_id, amount, currency, reason, status, requested_by, created_at) VALUES (?, 500, ?, 'Damaged', 'pending_approval', ?, ?)").run(order.id, order.currency, users.agent.id, Date.now()).lastInsertRowid) };
    const before = tableCounts(db);
    expect(await runAs(users.finance, () => refunds.decideQueuedRefundAction({ refundId: waiting.id, approve: false, note: "" }))).toMatchObject({ ok: false, code: "invalid_input" });
    for (const role of ["agent", "manager", "warehouse_lead"] as const) {
      expect(await runAs(users[role], () => refunds.decideQueuedRefundAction({ refundId: waiting.id, approve: true, note: "let me" }))).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(tableCounts(db)).toEqual(before);
    expect(await runAs(users.finance, () => refunds.decideQueuedRefundAction({ refundId: 999_999, approve: true, note: "ghost" }))).toMatchObject({ ok: false, code: "not_found" });
  });
});
