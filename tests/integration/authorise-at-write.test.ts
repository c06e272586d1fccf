import { afterAll, describe, expect, test } from "vitest";
import { runAs } from "../../lib/auth/session.ts";
import { createUserAction } from "../../app/(ops)/admin/actions.ts";
import { addNoteAction } from "../../app/(ops)/orders/[id]/actions.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";
import { insertUser } from "../support/fixtures.ts";

const app = await seededAppDatabase({ orders: 20 });
const { db } = app;
afterAll(() => app.cleanup());
const setRole = (id: number, role: string) => db.$client.prepare("UPDATE users SET role = ? WHERE id = ?").run(role, id);
const order = db.$client.prepare("SELECT id FROM orders ORDER BY id LIMIT 1").get() as { id: number };

describe("permissions are checked again at the write, inside its transaction", () => {
  test("an admin demoted while the password hashes creates no account and writes nothing", async () => {
    const admin = insertUser(db, "admin", "demoted-admin@switchyard.test");
    const before = tableCounts(db);
    const pending = runAs(admin, () =>
      createUserAction({ email: "new-admin@switchyard.test", name: "New Admin", role: "admin", password: "pale lantern orbit mosaic" }),
    );
    // The action passed its entry check and is hashing (scrypt, tens of ms): another admin demotes the caller now.
    setRole(admin.id, "agent");
    const result = await pending;
    expect(result).toMatchObject({ ok: false, code: "forbidden" });
    expect(db.$client.prepare("SELECT count(*) AS n FROM users WHERE email = 'new-admin@switchyard.test'").get()).toEqual({ n: 0 });
    expect(tableCounts(db)).toEqual(before);
  });

  test("an admin disabled while the password hashes is signed out and writes nothing", async () => {
    const admin = insertUser(db, "admin", "disabled-admin@switchyard.test");
    const before = tableCounts(db);
    const pending = runAs(admin, () =>
      createUserAction({ email: "another@switchyard.test", name: "Another One", role: "agent", password: "pale lantern orbit mosaic" }),
    );
    db.$client.prepare("UPDATE users SET disabled = 1 WHERE id = ?").run(admin.id);
    expect(await pending).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(tableCounts(db)).toEqual(before);
  });

  // (Leads may add notes now; finance stays read-only on orders.)
  test("a session that still says agent, for a user now in finance, cannot add a note", async () => {
    const agent = insertUser(db, "agent", "moved-agent@switchyard.test");
    setRole(agent.id, "finance");
    const before = tableCounts(db);
    expect(await runAs(agent, () => addNoteAction({ orderId: order.id, body: "should not land" }))).toMatchObject({ ok: false, code: "forbidden" });
    expect(tableCounts(db)).toEqual(before);
  });

  test("an undemoted admin still creates the account (the check is not a blanket refusal)", async () => {
    const admin = insertUser(db, "admin", "steady-admin@switchyard.test");
    const result = await runAs(admin, () => createUserAction({ email: "steady-new@switchyard.test", name: "Steady New", role: "agent", password: "pale lantern orbit mosaic" }));
    expect(result).toMatchObject({ ok: true });
  });
});
