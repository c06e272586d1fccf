import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { eq, sql } from "drizzle-orm";
import { auditEvents } from "../../db/schema/index.ts";
import type { DB } from "../../db/client.ts";
import { appendAudit, SYSTEM } from "../../lib/audit.ts";
import { tempDatabase } from "../support/db.ts";
import { T0, auditRows, insertOrder } from "../support/fixtures.ts";

let db: DB;
let cleanup: () => void;
let orderId: number;

beforeEach(() => {
  ({ db, cleanup } = tempDatabase());
  orderId = insertOrder(db, "pending");
  db.transaction((tx) => {
    for (const [i, reason] of ["first", "second"].entries()) {
      appendAudit(tx, {
        entityType: "order",
        entityId: orderId,
        orderId,
        actor: SYSTEM,
        action: "status_changed",
        fromStatus: "pending",
        toStatus: "payment_processing",
        reason,
        data: { i },
        at: T0 + i,
      });
    }
  });
});
afterEach(() => cleanup());

describe("audit_events is append-only in the database", () => {
  test("a raw UPDATE is refused and the rows stay as they were", () => {
    const before = auditRows(db);
    expect(() => db.$client.prepare("UPDATE audit_events SET reason = 'tampered' WHERE id = ?").run(before[0]!.id)).toThrow(
      /append-only: UPDATE refused/,
    );
    expect(() => db.$client.exec("UPDATE audit_events SET actor_label = 'someone else'")).toThrow(/append-only: UPDATE refused/);
    expect(auditRows(db)).toEqual(before);
  });

  test("a raw DELETE is refused and the rows stay as they were", () => {
    const before = auditRows(db);
    expect(() => db.$client.prepare("DELETE FROM audit_events WHERE id = ?").run(before[0]!.id)).toThrow(/append-only: DELETE refused/);
    expect(() => db.$client.exec("DELETE FROM audit_events")).toThrow(/append-only: DELETE refused/);
    expect(auditRows(db)).toEqual(before);
  });

  test("an UPDATE through drizzle is refused and the rows stay as they were", () => {
    const before = auditRows(db);
    expect(() => db.update(auditEvents).set({ reason: "tampered" }).where(eq(auditEvents.id, before[0]!.id)).run()).toThrow(
      /append-only: UPDATE refused/,
    );
    expect(() => db.update(auditEvents).set({ toStatus: "cancelled" }).run()).toThrow(/append-only: UPDATE refused/);
    expect(auditRows(db)).toEqual(before);
  });

  test("a DELETE through drizzle is refused and the rows stay as they were", () => {
    const before = auditRows(db);
    expect(() => db.delete(auditEvents).where(eq(auditEvents.id, before[0]!.id)).run()).toThrow(/append-only: DELETE refused/);
    expect(() => db.delete(auditEvents).run()).toThrow(/append-only: DELETE refused/);
    expect(auditRows(db)).toEqual(before);
  });

  test("a refused UPDATE inside a transaction rolls back the whole transaction", () => {
    const before = auditRows(db);
    expect(() =>
      db.transaction((tx) => {
        appendAudit(tx, { entityType: "order", entityId: orderId, orderId, actor: SYSTEM, action: "note", at: T0 + 9 });
        tx.update(auditEvents).set({ reason: "tampered" }).run();
      }),
    ).toThrow(/append-only/);
    expect(auditRows(db)).toEqual(before);
  });

  test("INSERT OR REPLACE cannot overwrite an existing row", () => {
    const before = auditRows(db);
    const target = before[0]!;
    expect(() =>
      db.$client
        .prepare(
          `INSERT OR REPLACE INTO audit_events (id, entity_type, entity_id, order_id, actor_label, action, created_at)
           VALUES (?, 'order', ?, ?, 'forger', 'status_changed', ?)`,
        )
        .run(target.id, orderId, orderId, T0),
    ).toThrow(/append-only/);
    expect(() =>
      db
        .insert(auditEvents)
        .values({ id: target.id, entityType: "order", entityId: orderId, actorLabel: "forger", action: "x", createdAt: T0 })
        .onConflictDoUpdate({ target: auditEvents.id, set: { actorLabel: "forger" } })
        .run(),
    ).toThrow(/append-only/);
    expect(() => db.$client.exec(`REPLACE INTO audit_events SELECT * FROM audit_events`)).toThrow(/append-only/);
    expect(auditRows(db)).toEqual(before);
  });

  test("INSERT still works, raw and through drizzle, and leaves earlier rows alone", () => {
    const before = auditRows(db);
    db.$client
      .prepare(
        `INSERT INTO audit_events (entity_type, entity_id, order_id, actor_label, action, reason, created_at)
         VALUES ('order', ?, ?, 'system', 'note_added', 'raw insert', ?)`,
      )
      .run(orderId, orderId, T0 + 100);
    db.insert(auditEvents)
      .values({ entityType: "order", entityId: orderId, orderId, actorLabel: "system", action: "note_added", reason: "drizzle insert", createdAt: T0 + 200 })
      .run();

    const after = auditRows(db);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((r) => [r.reason, r.createdAt])).toEqual([
      ["raw insert", T0 + 100],
      ["drizzle insert", T0 + 200],
    ]);
    expect(db.select({ n: sql<number>`count(*)` }).from(auditEvents).get()?.n).toBe(before.length + 2);
  });
});
