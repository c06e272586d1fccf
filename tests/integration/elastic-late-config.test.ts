import { afterAll, beforeAll, expect, it } from "vitest";
import { seedDatabase } from "../../lib/seed/index.ts";
import { SYSTEM } from "../../lib/audit.ts";
import { transition } from "../../lib/orders/state-machine.ts";
import { elasticBackend } from "../../lib/search/elastic/backend.ts";
import { elasticOrdersConsumer } from "../../lib/search/elastic/consumer.ts";
import { searchOrders } from "../../lib/search/search.ts";
import { indexDistrust } from "../../lib/search/sync-state.ts";
import { readCursor } from "../../lib/worker/cursors.ts";
import { pendingOutboxCount } from "../../lib/worker/outbox.ts";
import { runWorker } from "../../lib/worker/run.ts";
import type { OrderStatus } from "../../db/schema/orders.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import type { OrdersIndex } from "../../lib/search/elastic/client.ts";
import { tempDatabase } from "../support/db.ts";
import { describeElasticsearch, dropIndex, eventually, expectIndexMatchesDatabase, shipPackedShipment, testIndex } from "../support/elastic.ts";

const agent: SessionUser = { id: 1, email: "agent@switchyard.test", name: "Agent", role: "agent" };

describeElasticsearch("the app run without Elasticsearch, then with it again", () => {
  const t = tempDatabase();
  let target: OrdersIndex;
  const numberOf = (id: number) => (t.db.$client.prepare("SELECT number FROM orders WHERE id = ?").get(id) as { number: string }).number;
  const statusOf = (id: number) => (t.db.$client.prepare("SELECT status FROM orders WHERE id = ?").get(id) as { status: OrderStatus }).status;

  /** The worker as `npm start` runs it: with the Elasticsearch consumer when configured, without it when not. */
  async function runFor(configured: boolean, until: () => Promise<void>): Promise<void> {
    const controller = new AbortController();
    const consumers = configured ? [elasticOrdersConsumer(t.db, target, { checkEveryMs: 500 })] : [];
    const worker = runWorker({ db: t.db, consumers, pollMs: 50, signal: controller.signal, alertEveryMs: 3_600_000 });
    try {
      await until();
    } finally {
      controller.abort();
      await worker;
    }
  }

  beforeAll(async () => {
    await seedDatabase(t.db, { orders: 250, seed: 31 });
    target = testIndex("late");
  });
  afterAll(async () => {
    if (target) await dropIndex(target);
    t.cleanup();
  });

  it("delivers every change made while Elasticsearch was not configured once it is: statuses, tracking numbers and the status filter", { timeout: 120_000 }, async () => {
    const consumer = elasticOrdersConsumer(t.db, target).name;
    // Configured: the worker builds the index and keeps it in step.
    await runFor(true, () => eventually(async () => expect(indexDistrust(t.db, target.alias)).toBeNull(), 60_000).then(() => undefined));
    const position = readCursor(t.db, consumer)!.lastId;

    // Not configured: changes pile up for a consumer that is not running, and nothing is marked done for it.
    const shipped: { orderId: number; tracking: string; before: OrderStatus }[] = [];
    const cancelled: number[] = [];
    await runFor(false, async () => {
      for (let i = 0; i < 3; i++) {
        const tracking = `LATE00000000${i}`;
        const { orderId } = shipPackedShipment(t.db, tracking);
        shipped.push({ orderId, tracking, before: "awaiting_fulfillment" });
      }
      // Pending orders cancelled: the index still says pending, so a "cancelled" filter on Elasticsearch would hide them.
      const pending = t.db.$client.prepare("SELECT id FROM orders WHERE status = 'pending' ORDER BY id LIMIT 3").all() as { id: number }[];
      for (const { id } of pending) {
        t.db.transaction((tx) => transition(tx, { orderId: id, from: "pending", to: "cancelled", actor: SYSTEM, reason: "customer asked" }));
        cancelled.push(id);
      }
      await new Promise((r) => setTimeout(r, 300));
    });
    expect(cancelled.length).toBeGreaterThan(0);
    expect(readCursor(t.db, consumer)!.lastId).toBe(position);
    expect(pendingOutboxCount(t.db, consumer)).toBeGreaterThanOrEqual(shipped.length + cancelled.length);
    const es = elasticBackend(() => target);
    const find = (q: string, status?: OrderStatus) => searchOrders({ q, user: agent, db: t.db, backend: es, filters: status ? { status: [status] } : {} });
    expect((await find(shipped[0]!.tracking)).hits).toEqual([]);
    expect((await find(numberOf(cancelled[0]!), "cancelled")).hits).toEqual([]); // hidden by the stale status

    // Configured again: every change reaches the index.
    await runFor(true, () => eventually(async () => expect(pendingOutboxCount(t.db, consumer)).toBe(0), 30_000).then(() => undefined));
    await expectIndexMatchesDatabase(t.db, target);
    for (const c of shipped) {
      const status = statusOf(c.orderId);
      expect(status).not.toBe(c.before);
      expect((await find(c.tracking, status)).hits.map((h) => h.orderId), c.tracking).toEqual([c.orderId]);
    }
    for (const id of cancelled) expect((await find(numberOf(id), "cancelled")).hits.map((h) => h.orderId)).toEqual([id]);
  });
});
