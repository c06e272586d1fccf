import { spawnSync } from "node:child_process";
import { afterAll, afterEach, beforeEach, expect, it, vi } from "vitest";
import { checkSearchIndex } from "../../scripts/lib/search-index.ts";
import { seedDatabase } from "../../lib/seed/index.ts";
import { elasticOrdersConsumer } from "../../lib/search/elastic/consumer.ts";
import { aliasTargets } from "../../lib/search/elastic/indexing.ts";
import { reindexOrders } from "../../lib/search/elastic/reindex.ts";
import { readSyncState } from "../../lib/search/sync-state.ts";
import type { OrdersIndex } from "../../lib/search/elastic/client.ts";
import { tempDatabase } from "../support/db.ts";
import { ELASTICSEARCH_URL, describeElasticsearch, dropIndex, expectIndexMatchesDatabase, testIndex } from "../support/elastic.ts";

describeElasticsearch("setting up Elasticsearch cannot go wrong", () => {
  let t: ReturnType<typeof tempDatabase>;
  let target: OrdersIndex;
  const said: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((line: string) => void said.push(line));

  beforeEach(() => {
    t = tempDatabase();
    target = testIndex("setup");
    said.length = 0;
  });
  afterEach(async () => {
    await dropIndex(target);
    t.cleanup();
  });
  afterAll(() => spy.mockRestore());

  it("npm run reindex on a database without orders says there is nothing to index, fails, and builds nothing", () => {
    const res = spawnSync(process.execPath, ["scripts/reindex.ts"], {
      encoding: "utf8",
      env: { ...process.env, DATABASE_PATH: t.file, ELASTICSEARCH_URL, ELASTICSEARCH_INDEX: target.alias },
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/Nothing to index: the database .* has no orders/);
    return expect(aliasTargets(target)).resolves.toEqual([]);
  });

  it("npm start with the index missing says it is building it, and the worker builds it from the database", { timeout: 60_000 }, async () => {
    await seedDatabase(t.db, { orders: 120, seed: 3 });
    await checkSearchIndex(t.file, ELASTICSEARCH_URL!, target.alias);
    expect(said.join("\n")).toMatch(/needs building: the alias ".*" does not exist\. The worker builds it from 120 orders in the background/);
    expect(readSyncState(t.db, target.alias)?.state.rebuildRequested).toMatch(/does not exist/);

    const consumer = elasticOrdersConsumer(t.db, target);
    await consumer.maintain!();
    await consumer.keeper.settled();
    expect(readSyncState(t.db, target.alias)?.state).toMatchObject({ build: { status: "done", done: 120 } });
    expect(readSyncState(t.db, target.alias)?.state.rebuildRequested).toBeUndefined();
    await expectIndexMatchesDatabase(t.db, target);

    said.length = 0;
    await checkSearchIndex(t.file, ELASTICSEARCH_URL!, target.alias);
    expect(said.join("\n")).toMatch(/120 orders, in step with the database/);
  });

  it("an index built before the database was seeded (the README's old order) is found incomplete and rebuilt", { timeout: 60_000 }, async () => {
    await reindexOrders(t.db, target); // empty: 0 orders
    await seedDatabase(t.db, { orders: 80, seed: 5 });
    await checkSearchIndex(t.file, ELASTICSEARCH_URL!, target.alias);
    expect(said.join("\n")).toMatch(/holds 0 order\(s\), SQLite has 80/);

    const consumer = elasticOrdersConsumer(t.db, target);
    await consumer.maintain!();
    await consumer.keeper.settled();
    await expectIndexMatchesDatabase(t.db, target);
  });
});
