import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type * as AdminActions from "../../app/(ops)/admin/actions.ts";
import type * as Accept from "../../app/(auth)/invite/[token]/accept.ts";
import type { DB } from "../../db/client.ts";
import type { Role } from "../../db/schema/auth.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { runAs } from "../../lib/auth/session.ts";
import { verifyPassword } from "../../lib/auth/password.ts";
import { INVITE_TTL_MS } from "../../lib/admin/invites.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";

let db: DB;
let users: Record<Role, SessionUser>;
let cleanup: () => void;
let admin: typeof AdminActions;
let accept: typeof Accept;

const one = <T>(sqlText: string, ...params: unknown[]) => db.$client.prepare(sqlText).get(...params) as T;
const all = <T>(sqlText: string, ...params: unknown[]) => db.$client.prepare(sqlText).all(...params) as T[];
const PASSWORD = "violet tugboat arithmetic";

beforeAll(async () => {
  ({ db, users, cleanup } = await seededAppDatabase({ orders: 20, buildElasticsearch: false }));
  admin = await import("../../app/(ops)/admin/actions.ts");
  accept = await import("../../app/(auth)/invite/[token]/accept.ts");
}, 120_000);
afterAll(() => cleanup?.());

async function invite(email: string, role: Role = "agent") {
  const res = await runAs(users.admin, () => admin.inviteUserAction({ email, name: "Ines Invited", role }));
  if (!res.ok) throw new Error(res.message);
  return { ...res.data, token: res.data.link.split("/invite/")[1]! };
}

describe("staff invites", () => {
  test("an invite stores only the token's hash, expires in 72 h, queues the link for staff email and is audited", async () => {
    const before = Date.now();
    const i = await invite(" Ines@Switchyard.test ");
    expect(i.email).toBe("ines@switchyard.test");
    expect(i.link).toMatch(/^http:\/\/localhost:\d+\/invite\/[A-Za-z0-9_-]{43}$/);
    const row = one<{ token_hash: string; expires_at: number; created_at: number; role: string }>("SELECT * FROM staff_invites WHERE id = ?", i.id);
    expect(row.token_hash).toBe(createHash("sha256").update(i.token).digest("hex"));
    expect(JSON.stringify(all("SELECT * FROM staff_invites"))).not.toContain(i.token);
    expect(row.expires_at - row.created_at).toBe(INVITE_TTL_MS);
    expect(row.created_at).toBeGreaterThanOrEqual(before);
    const out = one<{ topic: string; aggregate_type: string; payload: string }>("SELECT topic, aggregate_type, payload FROM outbox WHERE aggregate_type = 'staff_invite' AND aggregate_id = ?", i.id);
    expect(out.topic).toBe("staff.invited");
    expect(JSON.parse(out.payload)).toMatchObject({ inviteId: i.id, email: "ines@switchyard.test", role: "agent", link: i.link });
    expect(one("SELECT action, actor_id AS actorId, to_status AS toStatus FROM audit_events WHERE entity_type = 'staff_invite' AND entity_id = ? ORDER BY id DESC LIMIT 1", i.id)).toEqual({
      action: "staff_invited",
      actorId: users.admin.id,
      toStatus: "agent",
    });
  });

  test("the password follows the policy and must be typed twice alike; a refusal writes nothing", async () => {
    const i = await invite("policy@switchyard.test");
    const before = tableCounts(db);
    expect(await accept.acceptInviteAction({ token: i.token, password: "password1234", confirm: "password1234" })).toMatchObject({ ok: false, field: "password", message: expect.stringMatching(/common/) });
    expect(await accept.acceptInviteAction({ token: i.token, password: "policy@switchyard.test!", confirm: "policy@switchyard.test!" })).toMatchObject({ ok: false, field: "password" });
    expect(await accept.acceptInviteAction({ token: i.token, password: "short", confirm: "short" })).toMatchObject({ ok: false, field: "password" });
    expect(await accept.acceptInviteAction({ token: i.token, password: PASSWORD, confirm: `${PASSWORD}x` })).toMatchObject({ ok: false, field: "confirm" });
    expect(tableCounts(db)).toEqual(before);
  });

  test("accepting creates the account with the invited role and the chosen password, once; both steps are audited", async () => {
    const i = await invite("finance.new@switchyard.test", "finance");
    expect(await accept.acceptInviteAction({ token: i.token, password: PASSWORD, confirm: PASSWORD })).toEqual({ ok: true, email: "finance.new@switchyard.test" });
    const user = one<{ id: number; role: string; password_hash: string; name: string }>("SELECT * FROM users WHERE email = ?", "finance.new@switchyard.test");
    expect(user.role).toBe("finance");
    expect(user.name).toBe("Ines Invited");
    expect(await verifyPassword(PASSWORD, user.password_hash)).toBe(true);
    expect(one("SELECT user_id AS userId, accepted_at IS NOT NULL AS accepted FROM staff_invites WHERE id = ?", i.id)).toEqual({ userId: user.id, accepted: 1 });
    expect(one("SELECT action, actor_id AS actorId FROM audit_events WHERE entity_type = 'user' AND entity_id = ?", user.id)).toEqual({ action: "user_created", actorId: users.admin.id });
    expect(one("SELECT action, actor_id AS actorId FROM audit_events WHERE entity_type = 'staff_invite' AND entity_id = ? ORDER BY id DESC LIMIT 1", i.id)).toEqual({ action: "invite_accepted", actorId: user.id });

    const before = tableCounts(db);
    const again = await accept.acceptInviteAction({ token: i.token, password: "another long passphrase", confirm: "another long passphrase" });
    expect(again).toMatchObject({ ok: false, message: expect.stringMatching(/not valid any more/) });
    expect(tableCounts(db)).toEqual(before);
    // Two tabs at once: exactly one account.
    const j = await invite("race@switchyard.test");
    const both = await Promise.all([1, 2].map(() => accept.acceptInviteAction({ token: j.token, password: PASSWORD, confirm: PASSWORD })));
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(one<{ n: number }>("SELECT count(*) AS n FROM users WHERE email = 'race@switchyard.test'").n).toBe(1);
  });

  test("an expired link is refused and says so; an unknown token is refused like a used one", async () => {
    const i = await invite("late@switchyard.test");
    db.$client.prepare("UPDATE staff_invites SET expires_at = ? WHERE id = ?").run(Date.now() - 1, i.id);
    const before = tableCounts(db);
    expect(await accept.acceptInviteAction({ token: i.token, password: PASSWORD, confirm: PASSWORD })).toMatchObject({ ok: false, message: expect.stringMatching(/expired/) });
    expect(await accept.acceptInviteAction({ token: "A".repeat(43), password: PASSWORD, confirm: PASSWORD })).toMatchObject({ ok: false, message: expect.stringMatching(/not valid any more/) });
    expect(tableCounts(db)).toEqual(before);
  });

  test("revoking is audited and ends the link; a new invite for the same email replaces the open one; an existing account cannot be invited", async () => {
    const i = await invite("revoke@switchyard.test");
    expect(await runAs(users.admin, () => admin.revokeInviteAction({ inviteId: i.id }))).toMatchObject({ ok: true });
    expect(one("SELECT action, actor_id AS actorId FROM audit_events WHERE entity_type = 'staff_invite' AND entity_id = ? ORDER BY id DESC LIMIT 1", i.id)).toEqual({ action: "invite_revoked", actorId: users.admin.id });
    expect(await accept.acceptInviteAction({ token: i.token, password: PASSWORD, confirm: PASSWORD })).toMatchObject({ ok: false });
    expect(await runAs(users.admin, () => admin.revokeInviteAction({ inviteId: i.id }))).toMatchObject({ ok: false, code: "conflict", message: "This invite is already revoked." });

    const first = await invite("twice@switchyard.test");
    const second = await invite("twice@switchyard.test");
    expect(await accept.acceptInviteAction({ token: first.token, password: PASSWORD, confirm: PASSWORD })).toMatchObject({ ok: false });
    expect(await accept.acceptInviteAction({ token: second.token, password: PASSWORD, confirm: PASSWORD })).toMatchObject({ ok: true });

    expect(await runAs(users.admin, () => admin.inviteUserAction({ email: users.agent.email, name: "Twin", role: "agent" }))).toMatchObject({ ok: false, code: "conflict" });
    expect(await runAs(users.finance, () => admin.inviteUserAction({ email: "nope@switchyard.test", name: "Nope", role: "admin" }))).toMatchObject({ ok: false, code: "forbidden" });
  });
});
