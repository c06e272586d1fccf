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

type OutboxState = { delivered_at: number | null; attempts: number; available_at: number; last_error: string | null };

// This file stops and restarts a node, so it runs its own rather than the one other files share.
describeElasticsearch("Elasticsearch catch-up after the node was down", () => {
  const t = tempDatabase();
  let node: EsNode | null = null;
  let target: OrdersIndex;
  let backend: ReturnType<typeof elasticBackend>;
  const outboxState = () => t.db.$client.prepare("SELECT delivered_at, attempts, available_at, last_error FROM outbox ORDER BY id").all() as OutboxState[];

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

  it("backs off while the node is stopped, loses nothing, and indexes everything once it is back", { timeout: 180_000 }, async () => {
    const consumer = elasticOrdersConsumer(t.db, target);
    await stopElasticsearch(node!, { keepData: true });

    const first = shipPackedShipment(t.db, "JJD00044200004", 0);
    const second = shipPackedShipment(t.db, "JJD00054200005", 0);
    const pending = pendingOutboxCount(t.db);
    expect(pending).toBeGreaterThan(1);

    const now = Date.now();
    expect(await deliverOutbox(t.db, [consumer], { now })).toBe(0);
    let rows = outboxState();
    expect(rows.every((r) => r.delivered_at === null && r.attempts === 1 && r.available_at > now && r.last_error)).toBe(true);
    // Not retried before its backoff is over.
    expect(await deliverOutbox(t.db, [consumer], { now })).toBe(0);
    expect(outboxState().every((r) => r.attempts === 1)).toBe(true);
    // Still down after the backoff: the next attempt backs off further.
    expect(await deliverOutbox(t.db, [consumer], { now: now + 60_000 })).toBe(0);
    rows = outboxState();
    expect(rows.every((r) => r.delivered_at === null && r.attempts === 2 && r.available_at > now + 60_000)).toBe(true);
    expect(pendingOutboxCount(t.db)).toBe(pending);

    node = await startElasticsearch({ basePath: node!.basePath, port: node!.port });
    expect(await deliverOutbox(t.db, [consumer], { now: now + 10 * 60_000 })).toBe(pending);
    expect(pendingOutboxCount(t.db)).toBe(0);
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
