import { afterAll, beforeAll, expect, it } from "vitest";
import { tempDatabase } from "../support/db.ts";
import { describeElasticsearch, docCount, dropIndex, shipPackedShipment, testIndex } from "../support/elastic.ts";
import { seedDatabase } from "../../lib/seed/index.ts";
import { searchOrders } from "../../lib/search/search.ts";
import { elasticBackend } from "../../lib/search/elastic/backend.ts";
import { elasticOrdersConsumer } from "../../lib/search/elastic/consumer.ts";
import { aliasTargets, refreshIndex } from "../../lib/search/elastic/indexing.ts";
import { reindexOrders } from "../../lib/search/elastic/reindex.ts";
import { deliverOutbox } from "../../lib/worker/outbox.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import type { OrdersIndex } from "../../lib/search/elastic/client.ts";

const agent: SessionUser = { id: 1, email: "agent@switchyard.test", name: "Agent", role: "agent" };
const ORDERS = 400;

describeElasticsearch("Elasticsearch reindex with an alias swap", () => {
  const t = tempDatabase();
  let target: OrdersIndex;
  let backend: ReturnType<typeof elasticBackend>;
  const search = (q: string) => searchOrders({ q, user: agent, db: t.db, backend });
  const numberOf = (id: number) => (t.db.$client.prepare("SELECT number FROM orders WHERE id = ?").get(id) as { number: string }).number;

  beforeAll(async () => {
    await seedDatabase(t.db, { orders: ORDERS, seed: 23 });
    target = testIndex("reindex");
    backend = elasticBackend(() => target);
    await reindexOrders(t.db, target);
  });
  afterAll(async () => {
    if (target) {
      await target.client.indices.deleteTemplate({ name: `${target.alias}-blocked` }, { ignore: [404] });
      await dropIndex(target);
    }
    t.cleanup();
  });

  it("keeps answering during a reindex, then points the alias at the new index and deletes the old one", async () => {
    const [before] = await aliasTargets(target);
    expect(before).toBeDefined();
    const number = numberOf(123);
    let shipped: { orderId: number } | null = null;
    const consumer = elasticOrdersConsumer(t.db, target);
    let running = true;
    const answers: { ok: boolean; found: boolean }[] = [];
    const queries = (async () => {
      while (running) {
        try {
          const r = await search(number);
          answers.push({ ok: true, found: r.hits[0]?.orderId === 123 });
        } catch {
          answers.push({ ok: false, found: false });
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const result = await reindexOrders(t.db, target, {
      batchSize: 20,
      onProgress: (done) => {
        // Halfway, a change is committed and delivered: the consumer writes it to the old index.
        if (!shipped && done >= ORDERS / 2) {
          shipped = shipPackedShipment(t.db, "JJD00034200003");
          void deliverOutbox(t.db, [consumer]);
        }
      },
    });
    running = false;
    await queries;

    expect(result.orders).toBe(ORDERS);
    expect(result.previous).toEqual([before]);
    expect(answers.length).toBeGreaterThan(5);
    expect(answers.filter((a) => !a.ok || !a.found)).toEqual([]);
    expect(await aliasTargets(target)).toEqual([result.index]);
    expect(result.index).not.toBe(before);
    expect((await target.client.indices.exists({ index: before! })).body).toBe(false);
    expect(await docCount(target)).toBe(ORDERS);
    // The change made during the load reached the new index (caught up from the outbox).
    expect(shipped).not.toBeNull();
    await refreshIndex(target);
    expect((await search("JJD00034200003")).hits.map((h) => h.orderId)).toEqual([shipped!.orderId]);
  });

  it("leaves the alias and the old index untouched when the new index cannot be loaded", async () => {
    const [before] = await aliasTargets(target);
    // A real refusal, no mock: new indices behind this alias are created write-blocked.
    await target.client.indices.putTemplate({
      name: `${target.alias}-blocked`,
      body: { index_patterns: [`${target.alias}-*`], settings: { "index.blocks.write": true } },
    });
    try {
      await expect(reindexOrders(t.db, target, { batchSize: 100 })).rejects.toThrow(/cluster_block_exception|blocked/);
    } finally {
      await target.client.indices.deleteTemplate({ name: `${target.alias}-blocked` });
    }
    expect(await aliasTargets(target)).toEqual([before]);
    const indices = Object.keys((await target.client.indices.get({ index: `${target.alias}-*` })).body as object);
    expect(indices).toEqual([before]); // the half-built index was removed
    expect((await search(numberOf(7))).hits[0]?.orderId).toBe(7);
  });
});
