import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "../../db/client.ts";
import { evaluateAndStoreAlerts } from "../../lib/alerts/evaluate.ts";
import { pruneDelivered, readCursor, retryNow } from "../../lib/worker/cursors.ts";
import { deliverNext, type OutboxConsumer } from "../../lib/worker/outbox.ts";
import { tempDatabase } from "../support/db.ts";

describe("dead letters: a message one consumer keeps failing on is set aside so its cursor moves on", () => {
  let t: ReturnType<typeof tempDatabase>;
  let db: DB;
  const write = (at = Date.now()) =>
    (db.$client.prepare("INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload, created_at, available_at) VALUES ('order.created', 'order', 1, '{\"n\":1}', ?, ?) RETURNING id").get(at, at) as { id: number }).id;
  const setMaxAttempts = (n: number) =>
    db.$client.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('outbox_delivery', ?, 0) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify({ maxAttempts: n, retentionHours: 1 }));

  beforeEach(() => {
    t = tempDatabase();
    db = t.db;
  });
  afterEach(() => t.cleanup());

  /** Fails every delivery of the poison id; records the rest. */
  function picky(poison: Set<number>, o: { up?: () => boolean } = {}): OutboxConsumer & { got: number[] } {
    const got: number[] = [];
    return {
      name: "webhook:1",
      got,
      accepts: () => true,
      async deliver(rows, progress) {
        for (const r of rows) {
          if (poison.has(r.id)) throw new Error(`receiver answered 500 for ${r.id}`);
          got.push(r.id);
          progress.delivered(r.id);
        }
      },
      ...(o.up ? { probe: async () => o.up!() } : {}),
    };
  }

  async function passes(c: OutboxConsumer, n: number) {
    for (let i = 0; i < n; i++) {
      retryNow(db, c.name);
      await deliverNext(db, c);
    }
  }

  it("after N failures (the admin's setting) the message moves to the dead letters, the cursor passes it, the rest is delivered once, and an alert is raised", async () => {
    setMaxAttempts(3);
    const [a, poison, c] = [write(), write(), write()];
    const consumer = picky(new Set([poison]));
    await passes(consumer, 6);
    expect(consumer.got).toEqual([a, c]); // the row before the poison was confirmed and never repeated
    expect(readCursor(db, "webhook:1")).toMatchObject({ lastId: c, attempts: 0 });
    const dead = db.$client.prepare("SELECT consumer, outbox_id AS outboxId, status, attempts, last_error AS lastError, payload FROM outbox_dead_letters").all();
    expect(dead).toEqual([{ consumer: "webhook:1", outboxId: poison, status: "dead", attempts: 3, lastError: `receiver answered 500 for ${poison}`, payload: '{"n":1}' }]);
    evaluateAndStoreAlerts(db);
    const alert = db.$client.prepare("SELECT rule, subject, status FROM alerts WHERE rule = 'outbox_failing'").get();
    expect(alert).toMatchObject({ rule: "outbox_failing", subject: "outbox:order.created", status: "open" });
  });

  it("a retried dead letter is delivered again with the same outbox id, once the receiver takes it", async () => {
    setMaxAttempts(1);
    const poison = new Set([write()]);
    const consumer = picky(poison);
    await passes(consumer, 3);
    const id = [...poison][0]!;
    expect(db.$client.prepare("SELECT status FROM outbox_dead_letters").get()).toEqual({ status: "dead" });
    // The admin's retry: back in the queue for this consumer only.
    db.$client.prepare("UPDATE outbox_dead_letters SET status = 'retrying'").run();
    await passes(consumer, 1);
    expect(db.$client.prepare("SELECT status, attempts FROM outbox_dead_letters").get()).toEqual({ status: "dead", attempts: 2 });
    poison.clear();
    db.$client.prepare("UPDATE outbox_dead_letters SET status = 'retrying'").run();
    await passes(consumer, 1);
    expect(consumer.got).toEqual([id]);
    expect(db.$client.prepare("SELECT status FROM outbox_dead_letters").get()).toEqual({ status: "redelivered" });
  });

  it("a target that is down (its probe fails) is waited out, never dead-lettered", async () => {
    setMaxAttempts(2);
    const id = write();
    const consumer = picky(new Set([id]), { up: () => false });
    await passes(consumer, 6);
    expect(db.$client.prepare("SELECT count(*) AS n FROM outbox_dead_letters").get()).toEqual({ n: 0 });
    expect(readCursor(db, "webhook:1")).toMatchObject({ lastId: 0, attempts: 6 });
  });

  it("prunes only rows every consumer has passed and that are older than the retention, keeping the newest", async () => {
    const old = Date.now() - 3 * 3_600_000;
    const ids = [write(old), write(old), write(old), write()];
    const fast = picky(new Set());
    await passes(fast, 1);
    const slow = { ...picky(new Set()), name: "search" };
    expect(pruneDelivered(db, [fast.name, slow.name], { retentionMs: 3_600_000 })).toBe(0); // search has not passed any
    await passes(slow, 1);
    expect(pruneDelivered(db, [fast.name, slow.name], { retentionMs: 3_600_000 })).toBe(3);
    expect(db.$client.prepare("SELECT id FROM outbox").all()).toEqual([{ id: ids[3] }]);
  });
});
