import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "../../db/client.ts";
import { evaluateAndStoreAlerts } from "../../lib/alerts/evaluate.ts";
import { runConsumer } from "../../lib/worker/consumer-loop.ts";
import { readCursor } from "../../lib/worker/cursors.ts";
import { DeliveryDeferred, deliverOutbox, pendingOutboxCount, type OutboxConsumer, type OutboxRow } from "../../lib/worker/outbox.ts";
import { tempDatabase } from "../support/db.ts";

type Recorder = { mode: "ok" | "fail" | "defer"; probes: number; healthy: boolean; consumer: OutboxConsumer; got: number[] };

/** A consumer that records what it was given and can be told to fail or defer. */
function recorder(name: string, o: { topics?: string[] } = {}): Recorder {
  const r: Recorder = {
    mode: "ok",
    probes: 0,
    healthy: false,
    got: [],
    consumer: {
      name,
      accepts: (topic) => !o.topics || o.topics.includes(topic),
      async deliver(rows: OutboxRow[]) {
        if (r.mode === "fail") throw new Error(`${name} is down`);
        if (r.mode === "defer") throw new DeliveryDeferred(`${name} is rebuilding`);
        r.got.push(...rows.map((row) => row.id));
      },
      async probe() {
        r.probes += 1;
        return r.healthy;
      },
    },
  };
  return r;
}

describe("outbox consumers, each with its own cursor", () => {
  let t: ReturnType<typeof tempDatabase>;
  let db: DB;
  const write = (topic = "order.changed", at = Date.now()) =>
    (
      db.$client
        .prepare("INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload, created_at, available_at) VALUES (?, 'order', 1, '{}', ?, ?) RETURNING id")
        .get(topic, at, at) as { id: number }
    ).id;
  const cursor = (name: string) => readCursor(db, name)!;

  beforeEach(() => {
    t = tempDatabase();
    db = t.db;
  });
  afterEach(() => t.cleanup());

  it("delivers messages written while a consumer was not running once it runs, and a worker without it marks nothing for it", async () => {
    const search = recorder("search");
    const before = [write(), write()];
    // The worker ran with no consumer at all (Elasticsearch not configured): nothing is anyone's yet.
    expect(await deliverOutbox(db, [])).toBe(0);
    expect(readCursor(db, "search")).toBeNull();
    const webhooks = recorder("webhooks");
    expect(await deliverOutbox(db, [webhooks.consumer])).toBe(2);
    expect(pendingOutboxCount(db, "search")).toBe(2);

    const after = write();
    expect(await deliverOutbox(db, [search.consumer, webhooks.consumer])).toBe(4); // 3 for search, 1 for webhooks
    expect(search.got).toEqual([...before, after]);
    expect(webhooks.got).toEqual([...before, after]);
    expect(cursor("search").lastId).toBe(after);
    expect(pendingOutboxCount(db, "search")).toBe(0);
  });

  it("a failing consumer backs off on its own cursor and never holds back another", async () => {
    const search = recorder("search");
    const email = recorder("email");
    search.mode = "fail";
    const first = write();
    const now = Date.now();
    await deliverOutbox(db, [search.consumer, email.consumer], { now });
    expect(email.got).toEqual([first]);
    expect(cursor("email")).toMatchObject({ lastId: first, attempts: 0 });
    expect(cursor("search")).toMatchObject({ lastId: 0, attempts: 1, failingTo: first, lastError: "search is down" });
    expect(cursor("search").retryAt).toBeGreaterThan(now);

    const second = write();
    await deliverOutbox(db, [search.consumer, email.consumer], { now });
    expect(email.got).toEqual([first, second]);
    expect(cursor("search")).toMatchObject({ lastId: 0, attempts: 1 }); // waiting out its backoff, not retried

    search.mode = "ok";
    // Its probe said it was down, so the batch is retried whole (no message is singled out as poison).
    await deliverOutbox(db, [search.consumer, email.consumer], { now: now + 60_000 });
    expect(search.got).toEqual([first, second]);
    expect(cursor("search")).toMatchObject({ lastId: second, attempts: 0, retryAt: null, lastError: null, failingSince: null });
  });

  it("moves past messages a consumer does not take, without handing them to it", async () => {
    const refunds = recorder("refunds", { topics: ["refund.requested"] });
    write("order.changed");
    const wanted = write("refund.requested");
    const last = write("order.changed");
    await deliverOutbox(db, [refunds.consumer]);
    expect(refunds.got).toEqual([wanted]);
    expect(cursor("refunds").lastId).toBe(last);
  });

  it("a consumer that defers (its index is rebuilding) waits without counting a failure", async () => {
    const search = recorder("search");
    search.mode = "defer";
    write();
    await deliverOutbox(db, [search.consumer]);
    expect(cursor("search")).toMatchObject({ lastId: 0, attempts: 0, retryAt: null, lastError: null });
  });

  it("a consumer stuck on its batch raises the outgoing-delivery alert, resolved once it delivers", async () => {
    const search = recorder("search");
    search.mode = "fail";
    write("order.shipped");
    let now = Date.now();
    for (let i = 0; i < 3; i++) {
      await deliverOutbox(db, [search.consumer], { now });
      now += 120_000;
    }
    evaluateAndStoreAlerts(db, now);
    const open = () => db.$client.prepare("SELECT subject, data FROM alerts WHERE rule = 'outbox_failing' AND status = 'open'").all() as { subject: string; data: string }[];
    expect(open().map((a) => a.subject)).toEqual(["outbox:order.shipped"]);
    expect(JSON.parse(open()[0]!.data)).toMatchObject({ attempts: 3, error: "search: search is down" });

    search.mode = "ok";
    await deliverOutbox(db, [search.consumer], { now });
    evaluateAndStoreAlerts(db, now);
    expect(open()).toEqual([]);
  });

  it("while backing off, the consumer's probe starts the retry within a second of the target answering", async () => {
    const search = recorder("search");
    search.mode = "fail";
    write();
    // Ten failures in a row: the backoff is a minute long.
    for (let i = 0; i < 10; i++) await deliverOutbox(db, [search.consumer], { now: Date.now() + i * 120_000 });
    db.$client.prepare("UPDATE outbox_cursors SET retry_at = ? WHERE consumer = 'search'").run(Date.now() + 60_000);
    const controller = new AbortController();
    const loop = runConsumer(db, search.consumer, { pollMs: 50, signal: controller.signal, probeEveryMs: 200 });
    try {
      await new Promise((r) => setTimeout(r, 500));
      expect(search.probes).toBeGreaterThan(0);
      expect(search.got).toEqual([]);
      search.mode = "ok";
      search.healthy = true;
      const started = Date.now();
      while (search.got.length === 0 && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 20));
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      controller.abort();
      await loop;
    }
    expect(cursor("search")).toMatchObject({ attempts: 0, retryAt: null });
  });
});
