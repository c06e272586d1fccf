import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { count } from "drizzle-orm";
import { auditEvents } from "../../db/schema/index.ts";
import type { DB } from "../../db/client.ts";
import { action } from "../../lib/actions.ts";
import { appendAudit } from "../../lib/audit.ts";
import { runAs } from "../../lib/auth/session.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { DomainError } from "../../lib/errors.ts";
import { tempDatabase } from "../support/db.ts";
import { T0, auditRows, insertOrder, insertUser, outboxRows } from "../support/fixtures.ts";

let db: DB;
let cleanup: () => void;
let orderId: number;
let agent: SessionUser;
let finance: SessionUser;
let admin: SessionUser;

// The app database must never be opened: runAs replaces the session, and the action uses the temp db.
const appDir = mkdtempSync(path.join(tmpdir(), "switchyard-appdb-"));
const appDbDir = path.join(appDir, "must-not-be-created");
const savedDatabasePath = process.env.DATABASE_PATH;

beforeAll(() => {
  process.env.DATABASE_PATH = path.join(appDbDir, "app.db");
  ({ db, cleanup } = tempDatabase());
  orderId = insertOrder(db, "awaiting_fulfillment");
  agent = insertUser(db, "agent");
  finance = insertUser(db, "finance");
  admin = insertUser(db, "admin");
});

afterAll(() => {
  cleanup();
  rmSync(appDir, { recursive: true, force: true });
  if (savedDatabasePath === undefined) delete process.env.DATABASE_PATH;
  else process.env.DATABASE_PATH = savedDatabasePath;
});

const addNoteInput = z.object({
  orderId: z.number().int().positive(),
  body: z.string().trim().min(1, "Write something.").max(500),
  outcome: z.enum(["ok", "conflict", "bug"]).default("ok"),
});

/** A note action shaped like the real ones: one transaction, audit row inside it, DomainError thrown inside it. */
const addNote = action({ schema: addNoteInput, permission: "orders:note" }, (input, { user, actor }) =>
  db.transaction((tx) => {
    appendAudit(tx, {
      entityType: "order",
      entityId: input.orderId,
      orderId: input.orderId,
      actor,
      action: "note_added",
      reason: input.body,
      data: { by: user.email },
      at: T0 + 1,
    });
    if (input.outcome === "conflict") throw new DomainError("conflict", "Someone else changed this order first.");
    if (input.outcome === "bug") throw new TypeError("not a domain error");
    return { orderId: input.orderId, notes: tx.select({ n: count() }).from(auditEvents).get()?.n ?? 0 };
  }),
);

let before: { audit: ReturnType<typeof auditRows>; outbox: ReturnType<typeof outboxRows> };
beforeEach(() => {
  before = { audit: auditRows(db), outbox: outboxRows(db) };
});
function nothingWritten() {
  expect({ audit: auditRows(db), outbox: outboxRows(db) }).toEqual(before);
}

describe("action() wrapper", () => {
  test("with nobody signed in it answers unauthenticated and writes nothing", async () => {
    const result = await runAs(null, () => addNote({ orderId, body: "hello" }));
    expect(result).toEqual({ ok: false, code: "unauthenticated", message: expect.any(String) });
    nothingWritten();
  });

  test("a role without the permission is forbidden and nothing is written", async () => {
    const result = await runAs(finance, () => addNote({ orderId, body: "finance may not write notes" }));
    expect(result).toMatchObject({ ok: false, code: "forbidden" });
    expect(result.ok === false && result.message).toContain("orders:note");
    nothingWritten();
  });

  test("the permission is checked before the input, so a forbidden caller learns nothing about the schema", async () => {
    const result = await runAs(finance, () => addNote({ orderId: -1, body: "" }));
    expect(result).toMatchObject({ ok: false, code: "forbidden" });
    expect(result).not.toHaveProperty("fieldErrors");
    nothingWritten();
  });

  test("invalid input answers invalid_input with errors per field and writes nothing", async () => {
    const result = await runAs(agent, () => addNote({ orderId: -3, body: "   " }));
    expect(result).toMatchObject({ ok: false, code: "invalid_input", message: expect.any(String) });
    if (result.ok) throw new Error("unreachable");
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(["body", "orderId"]);
    expect(result.fieldErrors?.body).toEqual(["Write something."]);
    nothingWritten();
  });

  test("input of the wrong shape altogether is invalid_input, not a crash", async () => {
    const result = await runAs(agent, () => addNote("not an object" as unknown as z.input<typeof addNoteInput>));
    expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { _: [expect.any(String)] } });
    nothingWritten();
  });

  test("a DomainError thrown inside the body's transaction becomes its code and message, and the audit row is rolled back", async () => {
    const result = await runAs(agent, () => addNote({ orderId, body: "will conflict", outcome: "conflict" }));
    expect(result).toEqual({ ok: false, code: "conflict", message: "Someone else changed this order first." });
    nothingWritten();
  });

  test("any other error is a bug: it is rethrown, and the transaction still rolls back", async () => {
    await expect(runAs(agent, () => addNote({ orderId, body: "will crash", outcome: "bug" }))).rejects.toThrow(TypeError);
    nothingWritten();
  });

  test("the happy path returns ok with the body's data and the row is written by the signed-in actor", async () => {
    const result = await runAs(agent, () => addNote({ orderId, body: "  Customer called about delivery.  " }));

    expect(result).toEqual({ ok: true, data: { orderId, notes: before.audit.length + 1 } });
    const after = auditRows(db);
    expect(after.slice(0, before.audit.length)).toEqual(before.audit);
    expect(after.slice(before.audit.length)).toEqual([
      expect.objectContaining({
        orderId,
        actorId: agent.id,
        actorLabel: "Test agent (Support agent)",
        action: "note_added",
        reason: "Customer called about delivery.",
        data: { by: agent.email },
      }),
    ]);
  });

  test("admin may use every action", async () => {
    const result = await runAs(admin, () => addNote({ orderId, body: "admin note" }));
    expect(result.ok).toBe(true);
    expect(auditRows(db).at(-1)).toMatchObject({ actorId: admin.id, actorLabel: "Test admin (Admin)", reason: "admin note" });
  });

  test("runAs sessions do not leak between concurrent calls", async () => {
    const [a, f] = await Promise.all([
      runAs(agent, () => addNote({ orderId, body: "agent concurrent" })),
      runAs(finance, () => addNote({ orderId, body: "finance concurrent" })),
    ]);
    expect(a.ok).toBe(true);
    expect(f).toMatchObject({ ok: false, code: "forbidden" });
    const written = auditRows(db).slice(before.audit.length);
    expect(written.map((r) => [r.actorId, r.reason])).toEqual([[agent.id, "agent concurrent"]]);
  });

  test("the app database and its auth secret were never touched", () => {
    expect(existsSync(appDbDir)).toBe(false);
    expect((globalThis as { switchyardDb?: unknown }).switchyardDb).toBeUndefined();
  });
});
