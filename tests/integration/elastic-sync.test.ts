import { afterAll, beforeAll, expect, it } from "vitest";
import { tempDatabase } from "../support/db.ts";
import { describeElasticsearch, dropIndex, eventually, docCount, shipPackedShipment, testIndex } from "../support/elastic.ts";
import { seedDatabase } from "../../lib/seed/index.ts";
import { searchOrders } from "../../lib/search/search.ts";
import { elasticBackend } from "../../lib/search/elastic/backend.ts";
import { elasticOrdersConsumer } from "../../lib/search/elastic/consumer.ts";
import { readOrders } from "../../lib/search/elastic/documents.ts";
import { bulkWrite, refreshIndex } from "../../lib/search/elastic/indexing.ts";
import { deliverOutbox, pendingOutboxCount } from "../../lib/worker/outbox.ts";
import { runWorker } from "../../lib/worker/run.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import type { OrdersIndex } from "../../lib/search/elastic/client.ts";

const agent: SessionUser = { id: 1, email: "agent@switchyard.test", name: "Agent", role: "agent" };
const lead: SessionUser = { id: 2, email: "warehouse@switchyard.test", name: "Lead", role: "warehouse_lead" };

describeElasticsearch("Elasticsearch sync through the outbox", () => {
  const t = tempDatabase();
  let target: OrdersIndex;
  let backend: ReturnType<typeof elasticBackend>;
  const search = (q: string, user = agent, status?: string[]) =>
    searchOrders({ q, user, db: t.db, backend, filters: status ? { status: status as never } : {} });

  beforeAll(async () => {
    await seedDatabase(t.db, { orders: 150, seed: 11 });
    target = testIndex("sync");
    backend = elasticBackend(() => target);
    await backend.prepare!(t.db);
  });
  afterAll(async () => {
    if (target) await dropIndex(target);
    t.cleanup();
  });

  it("indexes every order on prepare, and finds one by its number", async () => {
    expect(await docCount(target)).toBe(150);
    const number = (t.db.$client.prepare("SELECT number FROM orders WHERE id = 42").get() as { number: string }).number;
    const r = await search(number);
    expect(r.backend).toBe("elasticsearch");
    expect(r.hits[0]).toMatchObject({ orderId: 42, number });
  });

  it("makes a committed change searchable once the outbox is delivered, and moves the consumer's cursor past it", async () => {
    const shipped = shipPackedShipment(t.db, "JJD00014200001");
    const consumer = elasticOrdersConsumer(t.db, target);
    expect(pendingOutboxCount(t.db, consumer.name)).toBeGreaterThan(0);
    await refreshIndex(target);
    expect((await search("JJD00014200001")).hits).toEqual([]); // committed but not delivered: not in the index yet

    const delivered = await deliverOutbox(t.db, [consumer]);
    expect(delivered).toBeGreaterThan(0);
    expect(pendingOutboxCount(t.db, consumer.name)).toBe(0);
    const waited = await eventually(async () => {
      const r = await search("JJD00014200001");
      expect(r.hits.map((h) => h.orderId)).toEqual([shipped.orderId]);
      expect(r.hits[0]!.matched[0]).toMatchObject({ field: "tracking", value: "JJD00014200001" });
    });
    expect(waited).toBeLessThan(2_000); // refresh_interval 500 ms: no explicit refresh needed
    const status = (t.db.$client.prepare("SELECT status FROM orders WHERE id = ?").get(shipped.orderId) as { status: string }).status;
    expect((await search(shipped.number, agent, [status])).hits.map((h) => h.orderId)).toEqual([shipped.orderId]);
  });

  it("keeps up while the worker loop runs: a change is found without anyone delivering by hand", async () => {
    const controller = new AbortController();
    const consumer = elasticOrdersConsumer(t.db, target);
    const worker = runWorker({ db: t.db, consumers: [consumer], pollMs: 50, signal: controller.signal });
    try {
      const shipped = shipPackedShipment(t.db, "JJD00024200002");
      await eventually(async () => expect((await search("JJD00024200002")).hits.map((h) => h.orderId)).toEqual([shipped.orderId]));
    } finally {
      controller.abort();
      await worker;
    }
    expect(pendingOutboxCount(t.db, consumer.name)).toBe(0);
  });

  it("is idempotent: delivering the same messages again changes nothing", async () => {
    const before = await docCount(target);
    const consumer = elasticOrdersConsumer(t.db, target);
    t.db.$client.prepare("UPDATE outbox_cursors SET last_id = 0 WHERE consumer = ?").run(consumer.name);
    await deliverOutbox(t.db, [consumer], { limit: 10_000 });
    expect(pendingOutboxCount(t.db, consumer.name)).toBe(0);
    expect(await docCount(target)).toBe(before);
    expect((await search("JJD00014200001")).hits).toHaveLength(1);
  });

  it("never lets an older read overwrite a newer one (versions are outbox positions)", async () => {
    const { orderId } = shipPackedShipment(t.db, "JJD00990000001", 0);
    const stale = readOrders(t.db, [orderId]);
    t.db.$client.prepare("DELETE FROM outbox WHERE id > (SELECT last_id FROM outbox_cursors WHERE consumer = ?)").run(elasticOrdersConsumer(t.db, target).name); // keep the consumer out of this test
    const row = t.db.$client.prepare("SELECT id FROM shipments WHERE order_id = ? AND tracking_number = 'JJD00990000001'").get(orderId) as { id: number };
    const sqlite = t.db.$client;
    sqlite.transaction(() => {
      sqlite.prepare("UPDATE shipments SET tracking_number = 'FRESH00000001' WHERE id = ?").run(row.id);
      sqlite
        .prepare("INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload, created_at, available_at) VALUES ('shipment.changed', 'order', ?, '{}', ?, ?)")
        .run(orderId, Date.now(), Date.now());
    })();
    const fresh = readOrders(t.db, [orderId]);
    expect(fresh.version).toBeGreaterThan(stale.version);
    await bulkWrite(target, fresh, { refresh: true });
    await bulkWrite(target, stale, { refresh: true }); // arrives late: refused as a version conflict, not an error
    expect((await search("FRESH00000001")).hits.map((h) => h.orderId)).toEqual([orderId]);
    expect((await search("JJD00990000001")).hits).toEqual([]);
  });

  it("does not match a warehouse lead's query on email or phone", async () => {
    const c = t.db.$client.prepare("SELECT c.email, c.phone FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.phone IS NOT NULL LIMIT 1").get() as {
      email: string;
      phone: string;
    };
    expect((await search(c.email)).hits.length).toBeGreaterThan(0);
    expect((await search(c.phone.slice(-6))).hits.some((h) => h.phone === c.phone)).toBe(true);
    const asLead = await search(c.email, lead);
    expect(asLead.hits.filter((h) => h.matched.some((m) => m.field === "email"))).toEqual([]);
    expect(asLead.hits.every((h) => h.email === null && h.phone === null)).toBe(true);
    const byPhone = await search(c.phone.slice(-6), lead);
    expect(byPhone.hits.filter((h) => h.matched.some((m) => m.field === "phone"))).toEqual([]);
  });
});
