import { afterAll, beforeAll, expect, it } from "vitest";
import { tempDatabase } from "../support/db.ts";
import { describeElasticsearch, eventually, shipPackedShipment } from "../support/elastic.ts";
import { startElasticsearch, stopElasticsearch, type EsNode } from "../../scripts/elasticsearch.ts";
import { seedDatabase } from "../../lib/seed/index.ts";
import { searchOrders } from "../../lib/search/search.ts";
import { elasticBackend } from "../../lib/search/elastic/backend.ts";
import { ordersIndex, type OrdersIndex } from "../../lib/search/elastic/client.ts";
import { elasticOrdersConsumer } from "../../lib/search/elastic/consumer.ts";
import { deliverOutbox, pendingOutboxCount } from "../../lib/worker/outbox.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";

const agent: SessionUser = { id: 1, email: "agent@switchyard.test", name: "Agent", role: "agent" };

type CursorState = { last_id: number; attempts: number; retry_at: number | null; last_error: string | null };

// This file stops and restarts a node, so it runs its own rather than the one other files share.
describeElasticsearch("Elasticsearch catch-up after the node was down", () => {
  const t = tempDatabase();
  let node: EsNode | null = null;
  let target: OrdersIndex;
  let backend: ReturnType<typeof elasticBackend>;
  const cursorOf = (name: string) => t.db.$client.prepare("SELECT last_id, attempts, retry_at, last_error FROM outbox_cursors WHERE consumer = ?").get(name) as CursorState;

  beforeAll(async () => {
    await seedDatabase(t.db, { orders: 120, seed: 5 });
    node = await startElasticsearch();
    target = ordersIndex({ url: node.url, alias: "orders" });
    backend = elasticBackend(() => target);
    await backend.prepare!(t.db);
  }, 180_000);
  afterAll(async () => {
    if (node) await stopElasticsearch(node);
    t.cleanup();
  });

  it("backs off (its cursor, not the messages) while the node is stopped, loses nothing, and indexes everything once it is back", { timeout: 180_000 }, async () => {
    const consumer = elasticOrdersConsumer(t.db, target);
    await stopElasticsearch(node!, { keepData: true });

    const first = shipPackedShipment(t.db, "JJD00044200004", 0);
    const second = shipPackedShipment(t.db, "JJD00054200005", 0);
    const pending = pendingOutboxCount(t.db, consumer.name);
    expect(pending).toBeGreaterThan(1);
    const start = cursorOf(consumer.name).last_id;

    const now = Date.now();
    expect(await deliverOutbox(t.db, [consumer], { now })).toBe(0);
    let cursor = cursorOf(consumer.name);
    expect(cursor).toMatchObject({ last_id: start, attempts: 1, last_error: expect.any(String) });
    expect(cursor.retry_at).toBeGreaterThan(now);
    // Not retried before its backoff is over.
    expect(await deliverOutbox(t.db, [consumer], { now })).toBe(0);
    expect(cursorOf(consumer.name).attempts).toBe(1);
    // Still down after the backoff: the next attempt backs off further.
    expect(await deliverOutbox(t.db, [consumer], { now: now + 60_000 })).toBe(0);
    cursor = cursorOf(consumer.name);
    expect(cursor).toMatchObject({ last_id: start, attempts: 2 });
    expect(cursor.retry_at).toBeGreaterThan(now + 60_000);
    expect(pendingOutboxCount(t.db, consumer.name)).toBe(pending);

    node = await startElasticsearch({ basePath: node!.basePath, port: node!.port });
    expect(await deliverOutbox(t.db, [consumer], { now: now + 10 * 60_000 })).toBe(pending);
    expect(pendingOutboxCount(t.db, consumer.name)).toBe(0);
    expect(cursorOf(consumer.name)).toMatchObject({ attempts: 0, retry_at: null, last_error: null });
    await eventually(async () => {
      const hits = (await searchOrders({ q: "JJD00044200004", user: agent, db: t.db, backend })).hits;
      expect(hits[0]).toMatchObject({ orderId: first.orderId, matched: [expect.objectContaining({ field: "tracking", value: "JJD00044200004" })] });
    });
    const hits = (await searchOrders({ q: "JJD00054200005", user: agent, db: t.db, backend })).hits;
    expect(hits[0]?.orderId).toBe(second.orderId); // the other shipment follows as a two-typo match
    // The index kept what it had before the stop.
    const count = (await target.client.count({ index: target.alias })).body as { count: number };
    expect(count.count).toBe(120);
  });
});
