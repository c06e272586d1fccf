import { afterAll, describe, expect, test } from "vitest";
import { encode, type JWT } from "next-auth/jwt";
import type { User } from "next-auth";
import { authOptions, SESSION_MAX_AGE_S } from "../../lib/auth/options.ts";
import { runAs, userFromToken } from "../../lib/auth/session.ts";
import { env } from "../../lib/env.ts";
import { demoUser } from "../../lib/seed/demo-users.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";

const app = await seededAppDatabase({ orders: 20 });
const { db, users } = app;
afterAll(() => app.cleanup());
const { GET: search } = await import("../../app/api/search/route.ts");
const admin = await import("../../app/(ops)/admin/actions.ts");

type Credentials = { email: string; password: string };
const sessionVersion = (id: number) => (db.$client.prepare("SELECT session_version AS v FROM users WHERE id = ?").get(id) as { v: number }).v;

/** Signs in the way next-auth does: the credentials provider's authorize, the jwt callback, the encrypted cookie. */
async function signIn({ email, password }: Credentials): Promise<{ token: JWT; cookie: string }> {
  const options = authOptions();
  const provider = options.providers[0] as unknown as { options: { authorize: (c: Credentials, req: { headers: Record<string, string> }) => Promise<User> } };
  const user = await provider.options.authorize({ email, password }, { headers: {} });
  const token = await options.callbacks!.jwt!({ token: { name: user.name, email: user.email, sub: user.id }, user, account: null, trigger: "signIn" });
  const jwt = await encode({ token, secret: env().AUTH_SECRET, maxAge: SESSION_MAX_AGE_S });
  return { token, cookie: `next-auth.session-token=${jwt}` };
}

async function signOut(token: JWT): Promise<void> {
  await authOptions().events!.signOut!({ token, session: undefined as never });
}

/** GET /api/search carrying this cookie, as a browser would send it. */
const searchWith = (cookie: string) => search(new Request("http://localhost/api/search?q=SY", { headers: { cookie } }));

describe("sessions end when they are ended, not when the cookie expires", () => {
  test("a cookie that worked before sign-out is refused after it, by route handlers and currentUser alike", async () => {
    const manager = demoUser("manager");
    const { token, cookie } = await signIn(manager);
    expect(token.sv).toBe(sessionVersion(users.manager.id));
    expect((await searchWith(cookie)).status).toBe(200);

    await signOut(token);

    const replayed = await searchWith(cookie);
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ code: "unauthenticated" });
    expect(userFromToken(db, token)).toBeNull();
  });

  test("signing in again after sign-out works, and replaying the old sign-out does not end the new session", async () => {
    const finance = demoUser("finance");
    const first = await signIn(finance);
    await signOut(first.token);
    const second = await signIn(finance);
    expect((await searchWith(second.cookie)).status).toBe(200);

    const version = sessionVersion(users.finance.id);
    await signOut(first.token);
    expect(sessionVersion(users.finance.id)).toBe(version);
    expect((await searchWith(second.cookie)).status).toBe(200);
  });

  test.each([
    ["disabling the user", (id: number) => admin.setUserDisabledAction({ userId: id, disabled: true }), "user_disabled"],
    ["changing the user's role", (id: number) => admin.changeUserRoleAction({ userId: id, role: "manager" }), "role_changed"],
    ["setting the user's password", (id: number) => admin.setUserPasswordAction({ userId: id, password: "quiet harbour lantern 42" }), "password_changed"],
  ])("%s ends their sessions in the same transaction as the change and its audit row", async (_what, change, auditAction) => {
    const email = `session-${auditAction}@switchyard.test`;
    const created = await runAs(users.admin, () => admin.createUserAction({ email, name: "Session Holder", role: "agent", password: "first quiet harbour 17" }));
    if (!created.ok) throw new Error(created.message);
    const { cookie } = await signIn({ email, password: "first quiet harbour 17" });
    expect((await searchWith(cookie)).status).toBe(200);
    const before = sessionVersion(created.data.id);

    expect(await runAs(users.admin, () => change(created.data.id))).toMatchObject({ ok: true });

    expect(sessionVersion(created.data.id)).toBe(before + 1);
    const audit = db.$client.prepare("SELECT action FROM audit_events WHERE entity_type = 'user' AND entity_id = ? ORDER BY id DESC LIMIT 1").get(created.data.id);
    expect(audit).toEqual({ action: auditAction });
    expect((await searchWith(cookie)).status).toBe(401);
  });

  test("a write still in flight when its session ends is refused and writes nothing", async () => {
    const { token } = await signIn(demoUser("admin"));
    const caller = userFromToken(db, token)!;
    expect(caller.sessionVersion).toBe(token.sv);
    const before = tableCounts(db);
    const pending = runAs(caller, () => admin.createUserAction({ email: "late-write@switchyard.test", name: "Late Write", role: "agent", password: "late quiet harbour 99" }));
    // The action passed its entry check and is hashing the password: the admin signs out now.
    await signOut(token);
    expect(await pending).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(tableCounts(db)).toEqual({ ...before });
  });

  test("a cookie signed with another secret, or a token from before session versions, is refused", async () => {
    const agent = demoUser("agent");
    const { token } = await signIn(agent);
    const forged = await encode({ token, secret: "another-secret-another-secret-another", maxAge: SESSION_MAX_AGE_S });
    expect((await searchWith(`next-auth.session-token=${forged}`)).status).toBe(401);
    const { sv: _dropped, ...unversioned } = token;
    const old = await encode({ token: unversioned, secret: env().AUTH_SECRET, maxAge: SESSION_MAX_AGE_S });
    expect((await searchWith(`next-auth.session-token=${old}`)).status).toBe(401);
  });
});
