import { afterAll, describe, expect, test } from "vitest";
import { runAs } from "../../lib/auth/session.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";

const app = await seededAppDatabase({ orders: 10 });
const { db, users } = app;
afterAll(() => app.cleanup());
const admin = await import("../../app/(ops)/admin/actions.ts");

const GOOD = { email: "new.person@switchyard.test", name: "New Person", role: "agent" as const, password: "amber kettle over bridges" };
const create = (input: Partial<typeof GOOD>) => runAs(users.admin, () => admin.createUserAction({ ...GOOD, ...input }));
const userByEmail = (email: string) => db.$client.prepare("SELECT email, name FROM users WHERE email = ?").get(email);

/** The call is refused as invalid input on `field`, and no table gained or lost a row. */
async function refusedOn(field: string, call: () => Promise<unknown>) {
  const before = tableCounts(db);
  const result = (await call()) as { ok: boolean; code?: string; fieldErrors?: Record<string, string[]> };
  expect(result).toMatchObject({ ok: false, code: "invalid_input" });
  expect(Object.keys(result.fieldErrors ?? {})).toEqual([field]);
  expect(tableCounts(db)).toEqual(before);
}

describe("creating a user: the email is read as sign-in reads it", () => {
  test("it is trimmed and lower-cased before it is stored", async () => {
    expect(await create({ email: "  Mixed.Case@Switchyard.TEST " })).toMatchObject({ ok: true, data: { email: "mixed.case@switchyard.test" } });
    expect(userByEmail("mixed.case@switchyard.test")).toBeTruthy();
  });

  test.each([
    ["a space inside", "first last@switchyard.test"],
    ["no @", "switchyard.test"],
    ["longer than 254 characters", `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.test`],
    ["a line break", "evil@switchyard.test\nbcc@evil.test"],
  ])("an email with %s is refused and nothing is written", async (_what, email) => {
    await refusedOn("email", () => create({ email }));
  });
});

describe("creating a user: the password", () => {
  test.each([
    ["shorter than 12 characters", "short-pass1"],
    ["longer than 200 characters", "x9!".repeat(67) + "zz"],
    ["only spaces", " ".repeat(16)],
    ["only whitespace of several kinds", " \t \u00A0 \u3000  \t   \u2003 "],
    ["the email itself", "careful.person@switchyard.test"],
    ["the email inside", "my careful.person@switchyard.test pw"],
    ["the email's local part inside", "Careful.Person2024!"],
    ["a common password", "password1234"],
    ["a common password in other case", "QwertyUiop123"],
    ["a common word padded with digits and symbols", "sunshine!!2024"],
  ])("one %s is refused and nothing is written", async (_what, password) => {
    await refusedOn("password", () => create({ email: "careful.person@switchyard.test", password }));
  });

  test("a long, uncommon password that does not name the account is accepted", async () => {
    expect(await create({ email: "careful.person@switchyard.test", password: "amber kettle over bridges" })).toMatchObject({ ok: true });
  });
});

describe("creating a user: the name", () => {
  test.each([
    ["a control character", "Ann\u0007e"],
    ["a line break", "Ann\nAdmin"],
    ["a right-to-left override", "Ann\u202Enimda"],
    ["a left-to-right embedding", "Ann\u202Aie"],
    ["a first-strong isolate", "Ann\u2068ie\u2069"],
    ["a right-to-left mark", "Ann\u200Fie"],
    ["a left-to-right mark", "\u200EAnnie"],
    ["only spaces", "    "],
  ])("a name with %s is refused and nothing is written", async (_what, name) => {
    await refusedOn("name", () => create({ email: "named.person@switchyard.test", name }));
  });

  test("a name is stored trimmed, accents and scripts kept", async () => {
    expect(await create({ email: "named.person@switchyard.test", name: "  Zoë Ångström-Łukasz 李  " })).toMatchObject({ ok: true, data: { name: "Zoë Ångström-Łukasz 李" } });
  });
});

describe("setting a user's password", () => {
  test("the same rules apply, and a refused password leaves the password and the user's sessions as they were", async () => {
    const target = users.finance;
    const before = db.$client.prepare("SELECT password_hash AS hash, session_version AS sv FROM users WHERE id = ?").get(target.id);
    for (const password of ["finance-demo", "password123456", `${target.email.split("@")[0]}-is-my-password`]) {
      const counts = tableCounts(db);
      expect(await runAs(users.admin, () => admin.setUserPasswordAction({ userId: target.id, password }))).toMatchObject({ ok: false, code: "invalid_input" });
      expect(tableCounts(db)).toEqual(counts);
    }
    expect(db.$client.prepare("SELECT password_hash AS hash, session_version AS sv FROM users WHERE id = ?").get(target.id)).toEqual(before);
  });
});

describe("the refund limit's currency", () => {
  test.each(["XYZ", "eur", "EURO", "E1R", ""])("%j is not an ISO 4217 currency: refused, nothing written", async (currency) => {
    await refusedOn("currency", () => runAs(users.admin, () => admin.setRefundLimitAction({ amount: 10_000, currency })));
  });

  test("an ISO 4217 currency is accepted", async () => {
    expect(await runAs(users.admin, () => admin.setRefundLimitAction({ amount: 10_000, currency: "GBP" }))).toMatchObject({ ok: true });
  });
});
